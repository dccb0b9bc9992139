package ai.sutazai.supervisor.protocol;

/**
 * Published on the actor system's event stream after an agent event was journalled, for live views
 * (dashboard SSE, tests, the `run --mode once` summary). The journal stays the source of truth.
 *
 * @param seqNr the event's sequence number in the agent's journal
 */
public record AgentEventPublished(String fleet, String agent, long seqNr, AgentEvent event, AgentStatus status) {}
