package ai.sutazai.metrics.alerts;

import ai.sutazai.CborSerializable;
import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The alert history as events in the journal (conf/persistence.conf): every fired, changed and resolved
 * alert is persisted, and the state — the alerts firing now — is rebuilt from them after a restart.
 */
public final class AlertJournal
    extends EventSourcedBehaviorWithEnforcedReplies<AlertJournal.Command, AlertEvent, AlertJournal.State> {

  /** Tag on every alert event, for projections and the dashboard. */
  public static final String TAG = "alerts";

  public interface Command extends CborSerializable {}

  /** Persists {@code event}; replies Done once it is in the journal. */
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

  public static Behavior<Command> create(String persistenceId) {
    return new AlertJournal(PersistenceId.ofUniqueId(persistenceId));
  }

  private AlertJournal(PersistenceId persistenceId) {
    // A journal outage stops the actor; restart it with backoff rather than lose alerting for good.
    super(persistenceId, SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
  }

  @Override
  public State emptyState() {
    return State.empty();
  }

  @Override
  public CommandHandlerWithReply<Command, AlertEvent, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Append.class, (state, cmd) ->
            Effect().persist(cmd.event()).thenReply(cmd.replyTo(), s -> StatusReply.ack()))
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
