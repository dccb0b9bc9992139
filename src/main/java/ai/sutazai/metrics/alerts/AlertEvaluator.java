package ai.sutazai.metrics.alerts;

import ai.sutazai.common.CborSerializable;
import ai.sutazai.common.JournalHealth;
import ai.sutazai.metrics.stats.Sample;
import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.StashBuffer;
import java.time.Duration;
import java.util.List;

/**
 * Child of the MetricsCollector: evaluates the alert rules on every sample with hysteresis
 * ({@link AlertEngine}, on the sample's own timestamp, i.e. the collector's injectable clock), and for
 * every transition logs it, persists it ({@link AlertJournal}) and hands it to the
 * {@link WebhookNotifier}. At start it reads the firing alerts back from the journal, so a restart
 * neither fires them twice nor forgets to resolve them; samples arriving meanwhile are stashed.
 */
public final class AlertEvaluator {

  public interface Command {}

  /** Evaluates the rules on one sample (sent by the collector). */
  public record Evaluate(Sample sample) implements Command, CborSerializable {}

  /** Replies with the keys ({@code rule|series}) of the alerts firing now. */
  public record GetFiring(ActorRef<Firing> replyTo) implements Command, CborSerializable {}

  /** The firing alerts with their details, as journalled. */
  public record GetActive(ActorRef<AlertJournal.Active> replyTo) implements Command, CborSerializable {}

  public record Firing(List<String> keys) implements CborSerializable {}

  private record Restored(List<AlertEvent.AlertFired> firing, String error) implements Command {}

  private record Persisted(AlertEvent event, int attempt, String error) implements Command {}

  /**
   * The evaluator with its journal (persistence id {@code persistenceId}; use one per node, e.g.
   * {@code metrics-alerts|<host>}, as each node watches its own host) and, when webhooks are configured,
   * a notifier.
   */
  public static Behavior<Command> create(AlertSettings settings, String persistenceId) {
    return Behaviors.setup(ctx -> create(settings.rules(), AlertJournal.create(persistenceId, ctx.getSystem()),
        settings.webhooks().isEmpty() ? null : WebhookNotifier.create(settings)));
  }

  /** As above with the children given ({@code notifier} may be null: no webhooks). */
  public static Behavior<Command> create(List<AlertRule> rules, Behavior<AlertJournal.Command> journal,
      Behavior<WebhookNotifier.Command> notifier) {
    return Behaviors.withStash(10_000, stash -> Behaviors.setup(context -> {
      ActorRef<AlertJournal.Command> journalRef = context.spawn(journal, "journal");
      ActorRef<WebhookNotifier.Command> notifierRef = notifier == null ? null : context.spawn(notifier, "webhooks");
      context.ask(AlertJournal.Active.class, journalRef, Duration.ofSeconds(30), AlertJournal.GetActive::new,
          (active, failure) -> failure != null
              ? new Restored(List.of(), failure.toString())
              : new Restored(active.alerts(), null));
      return new AlertEvaluator(context, journalRef, notifierRef).restoring(stash, AlertEngine.of(rules));
    }));
  }

  private static final Duration PERSIST_TIMEOUT = Duration.ofSeconds(30);
  /** Appends of one alert event whose write failed during a journal outage (the journal recovers in between). */
  private static final int PERSIST_ATTEMPTS = 5;
  private final ActorContext<Command> context;
  private final ActorRef<AlertJournal.Command> journal;
  private final ActorRef<WebhookNotifier.Command> notifier;

  private AlertEvaluator(ActorContext<Command> context, ActorRef<AlertJournal.Command> journal,
      ActorRef<WebhookNotifier.Command> notifier) {
    this.context = context;
    this.journal = journal;
    this.notifier = notifier;
  }

  private Behavior<Command> restoring(StashBuffer<Command> stash, AlertEngine engine) {
    return Behaviors.receive(Command.class)
        .onMessage(Restored.class, r -> {
          if (r.error() != null) {
            context.getLog().warn("could not read firing alerts from the journal ({}); starting with none", r.error());
          } else if (!r.firing().isEmpty()) {
            context.getLog().info("{} alert(s) still firing from before: {}", r.firing().size(),
                r.firing().stream().map(AlertEvent.AlertFired::key).toList());
          }
          return stash.unstashAll(running(engine.withFiring(r.firing())));
        })
        .onAnyMessage(m -> {
          stash.stash(m);
          return Behaviors.same();
        })
        .build();
  }

  private Behavior<Command> running(AlertEngine engine) {
    return Behaviors.receive(Command.class)
        .onMessage(Evaluate.class, e -> {
          AlertEngine.Result result = engine.evaluate(e.sample().values(), e.sample().timeMillis());
          result.events().forEach(this::publish);
          return running(result.engine());
        })
        .onMessage(GetActive.class, g -> {
          journal.tell(new AlertJournal.GetActive(g.replyTo()));
          return Behaviors.same();
        })
        .onMessage(GetFiring.class, g -> {
          g.replyTo().tell(new Firing(engine.firing()));
          return Behaviors.same();
        })
        .onMessage(Persisted.class, p -> {
          if (p.error() != null && p.error().startsWith(JournalHealth.PREFIX) && p.attempt() < PERSIST_ATTEMPTS) {
            context.getLog().warn("alert event not persisted ({}); appending it again", p.error());
            append(p.event(), p.attempt() + 1);
          } else if (p.error() != null) {
            context.getLog().error("alert event not persisted: {}", p.error());
          }
          return Behaviors.same();
        })
        .onMessage(Restored.class, r -> Behaviors.same())
        .build();
  }

  private void publish(AlertEvent event) {
    if (event instanceof AlertEvent.AlertFired f) {
      context.getLog().warn("ALERT {} {}: {} = {} (threshold {})", f.severity(), f.rule(), f.series(), f.value(), f.threshold());
    } else if (event instanceof AlertEvent.AlertSeverityChanged c) {
      context.getLog().warn("ALERT {} -> {} {}: {} = {} (threshold {})", c.from(), c.to(), c.rule(), c.series(), c.value(), c.threshold());
    } else if (event instanceof AlertEvent.AlertResolved r) {
      context.getLog().info("RESOLVED {}: {}", r.rule(), r.series());
    }
    append(event, 1);
    if (notifier != null) {
      notifier.tell(new WebhookNotifier.Deliver(event));
    }
  }

  private void append(AlertEvent event, int attempt) {
    context.askWithStatus(Done.class, journal, PERSIST_TIMEOUT, replyTo -> new AlertJournal.Append(event, replyTo),
        (done, failure) -> new Persisted(event, attempt, failure == null ? null : failure.getMessage()));
  }
}
