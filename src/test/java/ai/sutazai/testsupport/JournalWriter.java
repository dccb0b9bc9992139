package ai.sutazai.testsupport;

import ai.sutazai.supervisor.protocol.AgentEvent;
import akka.Done;
import akka.actor.typed.ActorRef;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import java.util.List;

/** Persists hand-made agent events under a persistence id, as the agent entity would: a journal for read-side tests. */
public final class JournalWriter extends EventSourcedBehavior<JournalWriter.Write, AgentEvent, Integer> {
  /** Journals {@code events} and answers Done. */
  public record Write(List<AgentEvent> events, ActorRef<Done> replyTo) {}

  public JournalWriter(PersistenceId id) {
    super(id);
  }

  @Override
  public Integer emptyState() {
    return 0;
  }

  @Override
  public CommandHandler<Write, AgentEvent, Integer> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Write.class, (s, w) -> Effect().persist(w.events()).thenReply(w.replyTo(), x -> Done.getInstance()))
        .build();
  }

  @Override
  public EventHandler<Integer, AgentEvent> eventHandler() {
    return (s, e) -> s + 1;
  }
}
