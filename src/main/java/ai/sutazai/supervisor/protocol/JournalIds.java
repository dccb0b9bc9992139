package ai.sutazai.supervisor.protocol;

import akka.persistence.typed.PersistenceId;

/**
 * The persistence ids of the supervisor's journals, for the rooms that read them (the API, reports) without
 * reaching into the actors that write them.
 */
public final class JournalIds {
  private JournalIds() {}

  /** The journal of one agent's lifecycle (written by its AgentEntity). */
  public static PersistenceId agent(String fleet, String agent) {
    return PersistenceId.of("Agent", fleet + ":" + agent);
  }

  /** The ledger of one pool (written by its AgentPool). */
  public static PersistenceId pool(String fleet, String pool) {
    return PersistenceId.of("Pool", fleet + ":" + pool);
  }
}
