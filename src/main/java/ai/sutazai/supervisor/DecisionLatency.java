package ai.sutazai.supervisor;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import java.util.Arrays;

/**
 * How long the pools take per scaling decision, in nanoseconds, two ways: <b>journalled</b>, from the moment
 * a pool starts handling a command (an activation request, a status change that frees quota, a tick) to
 * the moment its decisions are journalled (what an acknowledged request waits for); and <b>computed</b>,
 * from the same start to the moment the decision is made, before the journal write. Time spent waiting in
 * the pool's mailbox is in neither. One per actor system; read by {@code sutazai bench}, usable for metrics.
 *
 * <p>Keeps the most recent {@value #CAPACITY} samples. Thread-safe: pools of one system write concurrently.
 */
public final class DecisionLatency implements Extension {
  static final int CAPACITY = 1 << 17;

  private final long[] nanos = new long[CAPACITY];
  private final long[] computeNanos = new long[CAPACITY];
  private long count;
  private long computeCount;

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

  synchronized void recordCompute(long elapsedNanos) {
    computeNanos[(int) (computeCount % CAPACITY)] = elapsedNanos;
    computeCount++;
  }

  /** Forgets every sample (a benchmark phase starts). */
  public synchronized void clear() {
    count = 0;
    computeCount = 0;
  }

  /** The decision times before the journal write (at most the last {@value #CAPACITY}), sorted, nanoseconds. */
  public synchronized long[] sortedComputeNanos() {
    long[] copy = Arrays.copyOf(computeNanos, (int) Math.min(computeCount, CAPACITY));
    Arrays.sort(copy);
    return copy;
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
