package ai.sutazai.supervisor.agent;

import ai.sutazai.supervisor.settings.SupervisorSettings;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/** Exponential restart backoff with a cap and jitter; pure, so it is tested on its own. */
public final class BackoffPolicy {
  private BackoffPolicy() {}

  /**
   * Delay before restart number {@code attempt} (0 for the first restart).
   *
   * @param random supplies values in [0, 1); the jitter adds up to {@code jitter} x the base delay
   */
  public static Duration delay(SupervisorSettings.Backoff backoff, int attempt, DoubleSupplier random) {
    long minMillis = backoff.minBackoff().toMillis();
    long maxMillis = backoff.maxBackoff().toMillis();
    long base = minMillis;
    for (int i = 0; i < attempt && base < maxMillis; i++) {
      base = base * 2;
    }
    base = Math.min(base, maxMillis);
    long jitterMillis = (long) (base * backoff.jitter() * random.getAsDouble());
    return Duration.ofMillis(base + jitterMillis);
  }
}
