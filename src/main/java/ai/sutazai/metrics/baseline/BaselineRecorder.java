package ai.sutazai.metrics.baseline;

import ai.sutazai.common.CborSerializable;
import ai.sutazai.metrics.stats.Sample;
import ai.sutazai.metrics.alerts.AlertRule;
import ai.sutazai.metrics.stats.Point;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.pattern.StatusReply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Child of the MetricsCollector: records a statistical baseline over a given duration from the samples
 * the collector hands it, derives alert thresholds ({@link Thresholds}) and stores it through
 * {@link BaselineStore} on {@code sutazai-blocking-dispatcher} as it goes: after every sample its statistics
 * so far and its new kept samples, marked incomplete, then complete at the end. A recording stopped early
 * ({@link Interrupt}: Ctrl-C of {@code sutazai baseline}) or killed keeps what it recorded, marked incomplete.
 * One recording at a time; one write in flight at a time (a sample that arrives meanwhile is written next).
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

  /**
   * Stops the recording now and stores what it recorded, marked incomplete; the reply carries that baseline
   * (an error when nothing is being recorded or no sample was taken). The recording's own requester gets an error.
   */
  public record Interrupt(ActorRef<StatusReply<Baseline>> replyTo) implements Command, CborSerializable {}

  private enum Finish implements Command { INSTANCE }

  /** A write ended: the baseline as stored (with its id), or the failure; {@code samples} are those it carried. */
  private record Stored(Baseline baseline, Throwable failure, Map<String, List<Point>> samples) implements Command {}

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

  /**
   * One recording; confined to this actor. {@code id} is 0 until the first write stored the row; {@code ending}
   * is set once it is to end (complete or not), and {@code endingReplies} get the final baseline.
   */
  private static final class Recording {
    final Record request;
    final long startMillis;
    final BaselineDraft draft = new BaselineDraft();
    long id;
    long lastSampleMillis;
    boolean writing;
    boolean dirty;
    Boolean ending; // null: recording; TRUE: finished complete; FALSE: interrupted
    final List<ActorRef<StatusReply<Baseline>>> endingReplies = new java.util.ArrayList<>();

    Recording(Record request, long startMillis) {
      this.request = request;
      this.startMillis = startMillis;
      this.lastSampleMillis = startMillis;
    }
  }

  private Behavior<Command> idle() {
    return Behaviors.receive(Command.class)
        .onMessage(Record.class, this::start)
        .onMessage(Observed.class, o -> Behaviors.same())
        .onMessage(Interrupt.class, i -> {
          i.replyTo().tell(StatusReply.error("no baseline is being recorded"));
          return Behaviors.same();
        })
        .build();
  }

  private Behavior<Command> start(Record r) {
    if (r.duration().isZero() || r.duration().isNegative()) {
      r.replyTo().tell(StatusReply.error("baseline duration must be positive, was " + r.duration()));
      return Behaviors.same();
    }
    timers.startSingleTimer(Finish.INSTANCE, r.duration());
    context.getLog().info("recording a baseline for {}", r.duration());
    return recording(new Recording(r, clock.millis()));
  }

  private Behavior<Command> recording(Recording rec) {
    return Behaviors.receive(Command.class)
        .onMessage(Observed.class, o -> onObserved(rec, o))
        .onMessage(Record.class, other -> {
          other.replyTo().tell(StatusReply.error("a baseline is already being recorded"));
          return Behaviors.same();
        })
        .onMessage(Finish.class, f -> end(rec, true, null))
        .onMessage(Interrupt.class, i -> end(rec, false, i.replyTo()))
        .onMessage(Stored.class, s -> onStored(rec, s))
        .build();
  }

  // ---- recording ----

  private Behavior<Command> onObserved(Recording rec, Observed o) {
    if (rec.ending != null) {
      return Behaviors.same(); // the recording is over; its last write is being made
    }
    rec.draft.add(o.sample());
    rec.lastSampleMillis = Math.max(rec.lastSampleMillis, o.sample().timeMillis());
    Duration total = rec.request.duration();
    Duration elapsed = elapsed(rec);
    rec.request.progressTo().tell(new Progress(elapsed.compareTo(total) > 0 ? total : elapsed, total, rec.draft.samples()));
    rec.dirty = true;
    writeIfIdle(rec);
    return Behaviors.same();
  }

  private Duration elapsed(Recording rec) {
    return Duration.ofMillis(Math.max(0, rec.lastSampleMillis - rec.startMillis));
  }

  /** Starts a write of what is not stored yet, unless one is in flight (its completion starts the next). */
  private void writeIfIdle(Recording rec) {
    if (store == null || rec.writing || !rec.dirty || rec.draft.samples() == 0) {
      return;
    }
    boolean complete = Boolean.TRUE.equals(rec.ending);
    Duration recorded = complete ? rec.request.duration() : elapsed(rec);
    Baseline snapshot = rec.draft.snapshot(rec.id, Instant.ofEpochMilli(clock.millis()), recorded, rec.request.duration(),
        sampleInterval, rec.request.label(), complete, ewmaAlpha, rules);
    Map<String, List<Point>> samples = rec.draft.takeUnstored();
    long id = rec.id;
    rec.writing = true;
    rec.dirty = false;
    context.pipeToSelf(CompletableFuture.supplyAsync(() -> {
      if (id == 0) {
        return store.insert(snapshot, samples);
      }
      store.update(snapshot, samples);
      return snapshot;
    }, blocking), (stored, failure) -> new Stored(stored, failure, samples));
  }

  private Behavior<Command> onStored(Recording rec, Stored s) {
    rec.writing = false;
    if (s.failure() != null) {
      Throwable cause = s.failure().getCause() != null ? s.failure().getCause() : s.failure();
      rec.draft.storeFailed(s.samples());
      if (rec.ending != null) {
        return reply(rec, StatusReply.error(cause.getMessage()));
      }
      context.getLog().warn("baseline: storing the samples so far failed, retrying with the next sample: {}", cause.getMessage());
      return Behaviors.same();
    }
    rec.id = s.baseline().id();
    if (rec.ending != null && !rec.dirty) {
      context.getLog().info("baseline {} stored{}: {} series from {} samples", rec.id, rec.ending ? "" : " incomplete",
          s.baseline().metrics().size(), s.baseline().samples());
      return reply(rec, StatusReply.success(s.baseline()));
    }
    writeIfIdle(rec);
    return Behaviors.same();
  }

  // ---- the end: finished (complete) or interrupted (incomplete) ----

  private Behavior<Command> end(Recording rec, boolean complete, ActorRef<StatusReply<Baseline>> interrupter) {
    if (interrupter != null) {
      rec.endingReplies.add(interrupter);
    }
    if (rec.ending != null) {
      return Behaviors.same(); // already ending; this asker gets the same answer
    }
    timers.cancel(Finish.INSTANCE);
    rec.ending = complete;
    if (!complete) {
      rec.request.replyTo().tell(StatusReply.error("interrupted; what was recorded is kept, marked incomplete"));
    }
    if (rec.draft.samples() == 0) {
      return reply(rec, StatusReply.error("no samples were taken in " + (complete ? rec.request.duration() : elapsed(rec))
          + " (sample interval " + sampleInterval + ")"));
    }
    if (complete) {
      rec.request.progressTo().tell(new Progress(rec.request.duration(), rec.request.duration(), rec.draft.samples()));
    }
    if (store == null) {
      Duration recorded = complete ? rec.request.duration() : elapsed(rec);
      return reply(rec, StatusReply.success(rec.draft.snapshot(0, Instant.ofEpochMilli(clock.millis()), recorded,
          rec.request.duration(), sampleInterval, rec.request.label(), complete, ewmaAlpha, rules)));
    }
    rec.dirty = true; // the last write: complete now, or the end time of an interrupted one
    writeIfIdle(rec);
    return Behaviors.same();
  }

  private Behavior<Command> reply(Recording rec, StatusReply<Baseline> answer) {
    if (Boolean.TRUE.equals(rec.ending)) {
      rec.request.replyTo().tell(answer);
    }
    rec.endingReplies.forEach(r -> r.tell(answer));
    return idle();
  }
}
