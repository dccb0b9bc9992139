package ai.sutazai.supervisor.pool.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A pool-wide sliding-window budget of restarts, so a failing shared dependency cannot set off a restart
 * storm across its dependents. Confined to the pool actor; not thread-safe.
 */
public final class RestartBudget {
  private final int maxRestarts;
  private final Duration window;
  private final Deque<Instant> granted = new ArrayDeque<>();

  public RestartBudget(int maxRestarts, Duration window) {
    this.maxRestarts = maxRestarts;
    this.window = window;
  }

  /** Takes one restart from the budget if there is room at {@code now}. */
  public boolean tryTake(Instant now) {
    expire(now);
    if (granted.size() >= maxRestarts) {
      return false;
    }
    granted.addLast(now);
    return true;
  }

  /** How long until the budget has room again (zero when it has room now). */
  public Duration untilRoom(Instant now) {
    expire(now);
    if (granted.size() < maxRestarts) {
      return Duration.ZERO;
    }
    Duration d = Duration.between(now, granted.peekFirst().plus(window));
    return d.isNegative() ? Duration.ZERO : d;
  }

  private void expire(Instant now) {
    Instant from = now.minus(window);
    while (!granted.isEmpty() && !granted.peekFirst().isAfter(from)) {
      granted.removeFirst();
    }
  }
}
