package ai.sutazai.metrics;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import org.HdrHistogram.Histogram;

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
 * <p>Each series is an HdrHistogram of nanoseconds (three significant digits: a reading is within 0.1 % of
 * the time recorded), unbounded in count and constant in size; read its percentiles with
 * {@link ai.sutazai.metrics.stats.Statistics#percentile(Histogram, double)}, the one percentile rule of the
 * product. Thread-safe: pools of one system write concurrently.
 */
public final class DecisionLatency implements Extension {
  private static final int DIGITS = 3;

  private final Histogram requests = new Histogram(DIGITS);
  private final Histogram own = new Histogram(DIGITS);
  private final Histogram computed = new Histogram(DIGITS);
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
    requests.recordValue(Math.max(0, elapsedNanos));
    journalled.observe(elapsedNanos / 1e9);
  }

  /** A command's own decisions were journalled {@code elapsedNanos} after it started. */
  public synchronized void recordOwn(long elapsedNanos) {
    own.recordValue(Math.max(0, elapsedNanos));
    journalled.observe(elapsedNanos / 1e9);
  }

  /** A decision was made {@code elapsedNanos} after its command started, before the journal write. */
  public synchronized void recordCompute(long elapsedNanos) {
    computed.recordValue(Math.max(0, elapsedNanos));
  }

  /** Forgets every time kept for percentiles (a benchmark phase starts); the exported histogram keeps counting. */
  public synchronized void clear() {
    requests.reset();
    own.reset();
    computed.reset();
  }

  /** Journalled decisions of both kinds recorded since the last {@link #clear}. */
  public synchronized long count() {
    return requests.getTotalCount() + own.getTotalCount();
  }

  /** The decision times before the journal write, nanoseconds (a copy). */
  public synchronized Histogram computeNanos() {
    return computed.copy();
  }

  /** Journalled times of both kinds, nanoseconds (a copy). */
  public synchronized Histogram journalledNanos() {
    Histogram all = requests.copy();
    all.add(own);
    return all;
  }

  /** Journalled times of activation requests, nanoseconds (a copy). */
  public synchronized Histogram requestNanos() {
    return requests.copy();
  }

  /** Journalled times of the pools' own decisions, nanoseconds (a copy). */
  public synchronized Histogram ownNanos() {
    return own.copy();
  }
}
