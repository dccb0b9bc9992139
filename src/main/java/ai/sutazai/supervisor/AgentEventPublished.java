package ai.sutazai.supervisor;

/**
 * Published on the actor system's event stream after an agent event was journalled, for live views
 * (dashboard SSE, tests, the `run --mode once` summary). The journal stays the source of truth.
 */
public record AgentEventPublished(String fleet, String agent, AgentEvent event, AgentStatus status) {}
