package ai.sutazai.supervisor.protocol;


import akka.actor.typed.ActorSystem;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.PersistenceQuery;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Reads an agent's journal back (the read side of AgentEntity), for the API and reports. Reads stream
 * through the journal's own query plugin and keep at most one page in memory.
 */
public final class AgentJournal {
  private final JdbcReadJournal readJournal;
  private final ActorSystem<?> system;

  /** One journalled event with its sequence number (1 for the agent's first event). */
  public record Entry(long seqNr, AgentEvent event) {}

  public AgentJournal(ActorSystem<?> system) {
    this.system = system;
    this.readJournal = PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
  }

  /**
   * Newest first: at most {@code limit} events of the agent with a sequence number below {@code before}
   * ({@link Long#MAX_VALUE} for the newest page).
   */
  public CompletionStage<List<Entry>> page(String fleet, String agent, long before, int limit) {
    String pid = JournalIds.agent(fleet, agent).id();
    long to = before == Long.MAX_VALUE ? Long.MAX_VALUE : before - 1;
    return readJournal.currentEventsByPersistenceId(pid, 0L, to)
        .runFold(new ArrayDeque<Entry>(), (Deque<Entry> acc, EventEnvelope e) -> {
          if (e.event() instanceof AgentEvent ev) {
            acc.addLast(new Entry(e.sequenceNr(), ev));
            if (acc.size() > limit) {
              acc.removeFirst();
            }
          }
          return acc;
        }, system)
        .thenApply(d -> {
          List<Entry> out = new ArrayList<>(d);
          Collections.reverse(out);
          return out;
        });
  }
}
