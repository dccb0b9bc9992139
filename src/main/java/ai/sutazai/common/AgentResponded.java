package ai.sutazai.common;

/**
 * One answer of an agent to a request that reached it through the agent front: the time from forwarding the
 * request to the agent until the agent's response headers, milliseconds (the time the front held the request
 * while the agent started is not included; refusals of the front itself are not answers of the agent).
 * Published on the actor system's event stream by the front; the app forwards it to the metrics collector,
 * which exports it as {@code sutazai_agent_response_time_seconds} and computes the built-in alert rule's
 * {@code sutazai_agent_response_time_p95_seconds} from it.
 */
public record AgentResponded(String agent, long millis) {}
