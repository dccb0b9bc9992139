package ai.sutazai.supervisor.healthfix;

import ai.sutazai.common.CborSerializable;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import java.util.List;
import java.util.Set;

/**
 * The journal of one fleet's applied health fixes (persistence id {@code HealthFix|<fleet>}): it only
 * appends {@link HealthFixEvent}s, and counts them. Read back by ai.sutazai.supervisor.healthfix.HealthFixJournal.
 */
public final class HealthFixLog
    extends EventSourcedBehaviorWithEnforcedReplies<HealthFixLog.Command, HealthFixEvent, HealthFixLog.State> {

  /** The tag of every health-fix event. */
  public static final String TAG = "health-fix";

  public interface Command extends CborSerializable {}

  /** Journals {@code events} (all of this fleet) and replies with the number journalled so far. */
  public record Record(List<HealthFixEvent> events, ActorRef<StatusReply<Long>> replyTo) implements Command {
    public Record {
      events = List.copyOf(events);
    }
  }

  /** Fixes journalled for the fleet so far. */
  public record State(long fixes) implements CborSerializable {
    State apply(HealthFixEvent e) {
      return new State(fixes + 1);
    }
  }

  public static PersistenceId persistenceId(String fleet) {
    return PersistenceId.of("HealthFix", fleet);
  }

  public static Behavior<Command> create(String fleet) {
    return Behaviors.setup(ctx -> new HealthFixLog(fleet));
  }

  private HealthFixLog(String fleet) {
    super(persistenceId(fleet));
  }

  @Override
  public State emptyState() {
    return new State(0);
  }

  @Override
  public Set<String> tagsFor(HealthFixEvent event) {
    return Set.of(TAG);
  }

  @Override
  public CommandHandlerWithReply<Command, HealthFixEvent, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Record.class, (state, r) -> Effect().persist(r.events())
            .thenReply(r.replyTo(), s -> StatusReply.success(s.fixes())))
        .build();
  }

  @Override
  public EventHandler<State, HealthFixEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }
}
