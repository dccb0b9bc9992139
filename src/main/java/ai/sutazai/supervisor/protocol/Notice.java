package ai.sutazai.supervisor.protocol;

import ai.sutazai.common.CborSerializable;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What an agent tells its pool. An agent's entity sends it to its node's notice router, which passes it to the
 * pool singleton (through its proxy, so it follows a handover); the pool answers through the agent's own
 * protocol. It extends no room's command: the pool wraps it on arrival ({@code AgentPool.Noticed}), and crosses
 * nodes inside that wrapper when the pool runs on another node, hence the type names (without them Jackson cannot
 * tell the records apart, and a restart request from an agent on another node than the pool's was dropped).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Notice.StatusChanged.class, name = "status-changed"),
  @JsonSubTypes.Type(value = Notice.RestartWanted.class, name = "restart-wanted")
})
public sealed interface Notice extends CborSerializable {

  /** The agent's status changed. */
  record StatusChanged(AgentStatus status) implements Notice {}

  /** A restart of {@code agent} is due: the pool permits it (attempt {@code attempt}) when its restart budget allows. */
  record RestartWanted(String agent, int attempt) implements Notice {}
}
