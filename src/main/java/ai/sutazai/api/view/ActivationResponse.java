package ai.sutazai.api.view;

/**
 * Answer of {@code POST /api/v1/agents/{name}/activate}.
 *
 * @param agent the agent's name
 * @param status "queued" (202, waiting for quota), "starting" (202, admitted) or "active" (200, already ran)
 * @param queuePosition 1-based queue position while queued; null otherwise
 * @param view the agent's view when it was already active; null otherwise
 */
public record ActivationResponse(String agent, String status, Integer queuePosition, AgentView view) {}
