package ai.sutazai.metrics.alerts;

import ai.sutazai.common.CborSerializable;
import ai.sutazai.common.JournalHealth;
import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.BackoffSupervisorStrategy;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.SupervisorStrategy;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.RecoveryFailed;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The alert history as events in the journal (reference.conf): every fired, changed and resolved
 * alert is persisted, and the state — the alerts firing now — is rebuilt from them after a restart.
 */
public final class AlertJournal
    extends EventSourcedBehaviorWithEnforcedReplies<AlertJournal.Command, AlertEvent, AlertJournal.State> {

  /** Tag on every alert event, for projections and the dashboard. */
  public static final String TAG = "alerts";

  public interface Command extends CborSerializable {}

  /**
   * Persists {@code event}; replies Done once it is in the journal, or an error starting with "journal
   * unavailable: " when its write failed (the journal then restarts with backoff; the sender may retry).
   */
  public record Append(AlertEvent event, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** Replies with the alerts firing now. */
  public record GetActive(ActorRef<Active> replyTo) implements Command {}

  /** Alerts firing now (their latest fired or changed event as AlertFired), and all events counted. */
  public record Active(List<AlertEvent.AlertFired> alerts, long eventsRecorded) implements CborSerializable {}

  /** Firing alerts by key, and how many events were recorded in total. */
  public record State(Map<String, AlertEvent.AlertFired> firing, long eventsRecorded) implements CborSerializable {
    public State {
      firing = Map.copyOf(firing);
    }

    static State empty() {
      return new State(Map.of(), 0);
    }

    State apply(AlertEvent event) {
      Map<String, AlertEvent.AlertFired> next = new HashMap<>(firing);
      if (event instanceof AlertEvent.AlertFired f) {
        next.put(f.key(), f);
      } else if (event instanceof AlertEvent.AlertSeverityChanged c) {
        AlertEvent.AlertFired before = firing.get(c.key());
        long firedAt = before != null ? before.atMillis() : c.atMillis();
        next.put(c.key(), new AlertEvent.AlertFired(c.key(), c.rule(), c.series(), c.to(), c.value(), c.threshold(), firedAt));
      } else if (event instanceof AlertEvent.AlertResolved r) {
        next.remove(r.key());
      }
      return new State(next, eventsRecorded + 1);
    }
  }

  /** With the backoff of sutazai.persistence.failure-backoff, reporting outages to {@link JournalHealth}. */
  public static Behavior<Command> create(String persistenceId, ActorSystem<?> system) {
    return new AlertJournal(PersistenceId.ofUniqueId(persistenceId),
        JournalHealth.get(system).restartStrategy(), JournalHealth.get(system));
  }

  /** Standalone (tests): a fixed backoff, no outage reporting. */
  public static Behavior<Command> create(String persistenceId) {
    return new AlertJournal(PersistenceId.ofUniqueId(persistenceId),
        SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 0.2).withStopChildren(false), null);
  }

  private final JournalHealth health;
  /** The Append whose event is being written (null when none). */
  private Append unjournalled;

  private AlertJournal(PersistenceId persistenceId, BackoffSupervisorStrategy onFailure, JournalHealth health) {
    // A journal outage would stop the actor; it restarts with backoff instead and recovers.
    super(persistenceId, onFailure);
    this.health = health;
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> {
          if (health != null) {
            health.recovered(persistenceId().id());
          }
        })
        .onSignal(RecoveryFailed.class, (s, f) -> onJournalFailure(JournalHealth.describe(f.getFailure())))
        .onSignal(PreRestart.instance(), s -> onJournalFailure(null))
        .onSignal(PostStop.instance(), s -> {
          if (health != null) {
            health.forget(persistenceId().id());
          }
        })
        .build();
  }

  /** A write or the recovery failed: the sender of the Append that was not written hears so, and may retry. */
  private void onJournalFailure(String reason) {
    if (health != null) {
      health.failed(persistenceId().id(), reason);
    }
    if (unjournalled != null) {
      unjournalled.replyTo().tell(StatusReply.error(JournalHealth.PREFIX + (reason != null ? reason : JournalHealth.WRITE_FAILED)
          + " (alert event " + unjournalled.event().key() + ")"));
      unjournalled = null;
    }
  }

  @Override
  public State emptyState() {
    return State.empty();
  }

  @Override
  public CommandHandlerWithReply<Command, AlertEvent, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Append.class, (state, cmd) -> {
          unjournalled = cmd;
          return Effect().persist(cmd.event()).thenRun(s -> unjournalled = null).thenReply(cmd.replyTo(), s -> StatusReply.ack());
        })
        .onCommand(GetActive.class, this::onGetActive)
        .build();
  }

  private ReplyEffect<AlertEvent, State> onGetActive(State state, GetActive cmd) {
    List<AlertEvent.AlertFired> alerts = new ArrayList<>(state.firing().values());
    alerts.sort((a, b) -> a.key().compareTo(b.key()));
    return Effect().reply(cmd.replyTo(), new Active(alerts, state.eventsRecorded()));
  }

  @Override
  public EventHandler<State, AlertEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  @Override
  public Set<String> tagsFor(AlertEvent event) {
    return Set.of(TAG);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 3);
  }
}
