package ai.sutazai.supervisor;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import java.util.Arrays;

/**
 * How long the pools take per scaling decision: from the moment a pool starts handling a command (an
 * activation request, a status change that frees quota, a tick) to the moment its decisions are
 * journalled, in nanoseconds. Time spent waiting in the pool's mailbox is not included. One per actor
 * system; read by {@code sutazai bench} and usable for metrics.
 *
 * <p>Keeps the most recent {@value #CAPACITY} samples. Thread-safe: pools of one system write concurrently.
 */
public final class DecisionLatency implements Extension {
  static final int CAPACITY = 1 << 20;

  private final long[] nanos = new long[CAPACITY];
  private long count;

  /** The extension's id. */
  public static final class Id extends ExtensionId<DecisionLatency> {
    @Override
    public DecisionLatency createExtension(ActorSystem<?> system) {
      return new DecisionLatency();
    }
  }

  private static final Id ID = new Id();

  public static DecisionLatency get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  synchronized void record(long elapsedNanos) {
    nanos[(int) (count % CAPACITY)] = elapsedNanos;
    count++;
  }

  /** Forgets every sample (a benchmark phase starts). */
  public synchronized void clear() {
    count = 0;
  }

  /** Samples recorded since the last {@link #clear}. */
  public synchronized long count() {
    return count;
  }

  /** The recorded samples (at most the last {@value #CAPACITY}), sorted, nanoseconds. */
  public synchronized long[] sortedNanos() {
    long[] copy = Arrays.copyOf(nanos, (int) Math.min(count, CAPACITY));
    Arrays.sort(copy);
    return copy;
  }
}
