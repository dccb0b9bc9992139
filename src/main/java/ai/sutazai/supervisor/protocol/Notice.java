package ai.sutazai.supervisor.protocol;

import ai.sutazai.common.CborSerializable;

/**
 * What an agent tells its pool. An agent's entity sends it to its node's notice router, which passes it to the
 * pool singleton (through its proxy, so it follows a handover); the pool answers through the agent's own
 * protocol. It extends no room's command: the pool wraps it on arrival.
 */
public sealed interface Notice extends CborSerializable {

  /** The agent's status changed. */
  record StatusChanged(AgentStatus status) implements Notice {}

  /** A restart of {@code agent} is due: the pool permits it (attempt {@code attempt}) when its restart budget allows. */
  record RestartWanted(String agent, int attempt) implements Notice {}
}
