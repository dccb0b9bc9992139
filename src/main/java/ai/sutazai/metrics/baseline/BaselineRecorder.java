package ai.sutazai.metrics.baseline;

import ai.sutazai.common.CborSerializable;
import ai.sutazai.metrics.stats.Sample;
import ai.sutazai.metrics.alerts.AlertRule;
import ai.sutazai.metrics.stats.Point;
import ai.sutazai.metrics.stats.Statistics;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.pattern.StatusReply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Child of the MetricsCollector: records a statistical baseline over a given duration from the samples
 * the collector hands it, derives alert thresholds ({@link Thresholds}) and stores the result through
 * {@link BaselineStore} on {@code sutazai-blocking-dispatcher}. One recording at a time.
 */
public final class BaselineRecorder {

  public interface Command {}

  /** Records for {@code duration}; progress after every sample; the stored baseline in the reply. */
  public record Record(Duration duration, String label, ActorRef<Progress> progressTo,
      ActorRef<StatusReply<Baseline>> replyTo) implements Command, CborSerializable {}

  /** Recording progress: time elapsed of the total, samples taken so far. */
  public record Progress(Duration elapsed, Duration total, int samples) implements CborSerializable {}

  /** A sample taken by the collector (sent by the collector itself). */
  public record Observed(Sample sample) implements Command {}

  private enum Finish implements Command { INSTANCE }

  private record Stored(Baseline baseline, Throwable failure) implements Command {}

  /** {@code store} may be null: the baseline is then returned with id 0 and not stored. */
  public static Behavior<Command> create(BaselineStore store, List<AlertRule> rules, double ewmaAlpha,
      Duration sampleInterval, Clock clock) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new BaselineRecorder(context, timers, store, rules, ewmaAlpha, sampleInterval, clock).idle()));
  }

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final BaselineStore store;
  private final List<AlertRule> rules;
  private final double ewmaAlpha;
  private final Duration sampleInterval;
  private final Clock clock;
  private final Executor blocking;

  private BaselineRecorder(ActorContext<Command> context, TimerScheduler<Command> timers, BaselineStore store,
      List<AlertRule> rules, double ewmaAlpha, Duration sampleInterval, Clock clock) {
    this.context = context;
    this.timers = timers;
    this.store = store;
    this.rules = List.copyOf(rules);
    this.ewmaAlpha = ewmaAlpha;
    this.sampleInterval = sampleInterval;
    this.clock = clock;
    this.blocking = ai.sutazai.common.Concurrency.blocking(context.getSystem());
  }

  private Behavior<Command> idle() {
    return Behaviors.receive(Command.class)
        .onMessage(Record.class, this::start)
        .onMessage(Observed.class, o -> Behaviors.same())
        .build();
  }

  private Behavior<Command> start(Record r) {
    if (r.duration().isZero() || r.duration().isNegative()) {
      r.replyTo().tell(StatusReply.error("baseline duration must be positive, was " + r.duration()));
      return Behaviors.same();
    }
    timers.startSingleTimer(Finish.INSTANCE, r.duration());
    context.getLog().info("recording a baseline for {}", r.duration());
    return recording(r, clock.millis(), new TreeMap<>(), new TreeMap<>(), 0);
  }

  /**
   * {@code values} and {@code history} are confined to this actor: one growing list per series, in time
   * order; {@code history} keeps times too, for the series a forecast needs ({@link Baseline#keepsHistory}).
   */
  private Behavior<Command> recording(Record r, long startMillis, Map<String, List<Double>> values,
      Map<String, List<Point>> history, int samples) {
    return Behaviors.receive(Command.class)
        .onMessage(Observed.class, o -> {
          o.sample().values().forEach((series, v) -> {
            values.computeIfAbsent(series, s -> new ArrayList<>()).add(v);
            if (Baseline.keepsHistory(series)) {
              history.computeIfAbsent(series, s -> new ArrayList<>()).add(new Point(o.sample().timeMillis(), v));
            }
          });
          int taken = samples + 1;
          Duration elapsed = Duration.ofMillis(Math.max(0, o.sample().timeMillis() - startMillis));
          r.progressTo().tell(new Progress(elapsed.compareTo(r.duration()) > 0 ? r.duration() : elapsed, r.duration(), taken));
          return recording(r, startMillis, values, history, taken);
        })
        .onMessage(Record.class, other -> {
          other.replyTo().tell(StatusReply.error("a baseline is already being recorded"));
          return Behaviors.same();
        })
        .onMessage(Finish.class, f -> finish(r, values, history, samples))
        .build();
  }

  private Behavior<Command> finish(Record r, Map<String, List<Double>> values, Map<String, List<Point>> history, int samples) {
    if (samples == 0) {
      r.replyTo().tell(StatusReply.error("no samples were taken in " + r.duration()
          + " (sample interval " + sampleInterval + ")"));
      return idle();
    }
    r.progressTo().tell(new Progress(r.duration(), r.duration(), samples));
    Baseline baseline = build(r, values, history, samples);
    if (store == null) {
      r.replyTo().tell(StatusReply.success(baseline));
      return idle();
    }
    context.pipeToSelf(CompletableFuture.supplyAsync(() -> store.save(baseline), blocking), Stored::new);
    return Behaviors.receive(Command.class)
        .onMessage(Stored.class, s -> {
          if (s.failure() != null) {
            Throwable cause = s.failure().getCause() != null ? s.failure().getCause() : s.failure();
            r.replyTo().tell(StatusReply.error(cause.getMessage()));
          } else {
            context.getLog().info("baseline {} stored: {} series from {} samples", s.baseline().id(),
                s.baseline().metrics().size(), samples);
            r.replyTo().tell(StatusReply.success(s.baseline()));
          }
          return idle();
        })
        .onMessage(Record.class, other -> {
          other.replyTo().tell(StatusReply.error("a baseline is already being recorded"));
          return Behaviors.same();
        })
        .onMessage(Observed.class, o -> Behaviors.same())
        .build();
  }

  private Baseline build(Record r, Map<String, List<Double>> values, Map<String, List<Point>> history, int samples) {
    List<MetricBaseline> metrics = new ArrayList<>();
    values.forEach((series, list) -> {
      double[] v = list.stream().mapToDouble(Double::doubleValue).toArray();
      metrics.add(Thresholds.derive(series, Statistics.summarize(v, ewmaAlpha), rules));
    });
    return new Baseline(0, Instant.ofEpochMilli(clock.millis()), r.duration(), sampleInterval, r.label(), samples, metrics,
        history);
  }
}
