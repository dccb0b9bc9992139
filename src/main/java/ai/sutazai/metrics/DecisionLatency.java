package ai.sutazai.metrics;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import java.util.Arrays;

/**
 * How long the pools take per scaling decision, in nanoseconds, two ways: <b>journalled</b>, from the moment
 * a pool starts handling a command to the moment its decisions are journalled (what an acknowledged request
 * waits for); and <b>computed</b>, from the same start to the moment the decision is made, before the
 * journal write. Time spent waiting in the pool's mailbox is in neither. One per actor system; read by
 * {@code sutazai bench} and the API's live telemetry.
 *
 * <p>Journalled times are kept by kind: <b>requests</b>, one per activation request (the requests of a
 * batch share one write, so they share its time), and <b>pool's own</b> decisions, one per command that
 * led to any (a status change that freed quota and admitted from the queue, an idle check, a deactivation,
 * a quota change).
 *
 * <p>Each series keeps its most recent {@value #CAPACITY} samples. Thread-safe: pools of one system write
 * concurrently.
 */
public final class DecisionLatency implements Extension {
  static final int CAPACITY = 1 << 17;

  private final Samples requests = new Samples();
  private final Samples own = new Samples();
  private final Samples computed = new Samples();
  /** Every journalled decision since start, never cleared ({@code sutazai_journal_write_duration_seconds}). */
  private final io.prometheus.metrics.core.metrics.Histogram journalled;

  /** Outside an actor system (tests): its own registry. */
  DecisionLatency() {
    this(ai.sutazai.common.MetricsRegistry.standalone());
  }

  /** With its histogram in {@code registry}. */
  DecisionLatency(ai.sutazai.common.MetricsRegistry registry) {
    this.journalled = registry.once("sutazai_journal_write_duration_seconds",
        r -> io.prometheus.metrics.core.metrics.Histogram.builder().name("sutazai_journal_write_duration_seconds")
            .help("Pools' scaling decisions, from handling the command to its events journalled")
            .classicOnly().classicUpperBounds(ai.sutazai.common.MetricsRegistry.MILLIS_BUCKETS_SECONDS).register(r));
  }

  /** The extension's id. */
  public static final class Id extends ExtensionId<DecisionLatency> {
    @Override
    public DecisionLatency createExtension(ActorSystem<?> system) {
      return new DecisionLatency(ai.sutazai.common.MetricsRegistry.get(system));
    }
  }

  private static final Id ID = new Id();

  public static DecisionLatency get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  /** An activation request's decision was journalled {@code elapsedNanos} after its batch started. */
  public synchronized void recordRequest(long elapsedNanos) {
    requests.add(elapsedNanos);
    journalled.observe(elapsedNanos / 1e9);
  }

  /** A command's own decisions were journalled {@code elapsedNanos} after it started. */
  public synchronized void recordOwn(long elapsedNanos) {
    own.add(elapsedNanos);
    journalled.observe(elapsedNanos / 1e9);
  }

  public synchronized void recordCompute(long elapsedNanos) {
    computed.add(elapsedNanos);
  }

  /** Forgets every sample kept for percentiles (a benchmark phase starts); the exported histogram keeps counting. */
  public synchronized void clear() {
    requests.clear();
    own.clear();
    computed.clear();
  }

  /** The decision times before the journal write, sorted, nanoseconds. */
  public synchronized long[] sortedComputeNanos() {
    return computed.sorted();
  }

  /** Journalled samples of both kinds recorded since the last {@link #clear}. */
  public synchronized long count() {
    return requests.count + own.count;
  }

  /** Journalled times of both kinds, sorted, nanoseconds. */
  public synchronized long[] sortedNanos() {
    long[] a = requests.recent();
    long[] b = own.recent();
    long[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    Arrays.sort(all);
    return all;
  }

  /** Journalled times of activation requests, sorted, nanoseconds. */
  public synchronized long[] sortedRequestNanos() {
    return requests.sorted();
  }

  /** Journalled times of the pools' own decisions, sorted, nanoseconds. */
  public synchronized long[] sortedOwnNanos() {
    return own.sorted();
  }

  /** A ring of the most recent {@value #CAPACITY} samples; guarded by the extension's lock. */
  private static final class Samples {
    private final long[] nanos = new long[CAPACITY];
    private long count;

    void add(long n) {
      nanos[(int) (count % CAPACITY)] = n;
      count++;
    }

    void clear() {
      count = 0;
    }

    long[] recent() {
      return Arrays.copyOf(nanos, (int) Math.min(count, CAPACITY));
    }

    long[] sorted() {
      long[] copy = recent();
      Arrays.sort(copy);
      return copy;
    }
  }
}
