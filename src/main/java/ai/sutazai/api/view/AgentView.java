package ai.sutazai.api.view;

import java.util.List;

/**
 * An agent as the management API shows it.
 *
 * @param name unique agent name
 * @param pool the AgentPool it belongs to
 * @param state current lifecycle state
 * @param priority higher wins admission and preemption
 * @param activation "ALWAYS" or "ON_DEMAND"
 * @param containerId Docker container id while one exists; null otherwise
 * @param node the supervisor node that runs it, as its cluster address (e.g. akka://sutazai@127.0.0.1:2551);
 *     null until it has reported from one
 * @param restarts restarts of its container since the supervisor started
 * @param memoryRequestBytes memory the agent asks for (what admission counts), bytes
 * @param cpuRequest CPU the agent asks for, cores
 * @param dependsOn agents it needs running first
 * @param models Ollama models it uses
 * @param queuePosition 1-based position in its pool's activation queue while QUEUED; null otherwise
 * @param responseTimeP95Seconds 95th percentile of its recent response times, seconds; null when unknown
 * @param lastEvent its most recent journal event; null when it has none yet
 * @param heldRequests requests the agent front holds for it now, waiting for it to become healthy (count; 0
 *     without a front)
 * @param lastColdStartMillis its last cold start, from the activation request to healthy, milliseconds; null
 *     when it has not been started since its journal began
 */
public record AgentView(
    String name,
    String pool,
    AgentState state,
    int priority,
    String activation,
    String containerId,
    String node,
    int restarts,
    long memoryRequestBytes,
    double cpuRequest,
    List<String> dependsOn,
    List<String> models,
    Integer queuePosition,
    Double responseTimeP95Seconds,
    EventView lastEvent,
    int heldRequests,
    Long lastColdStartMillis) {
  public AgentView {
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    models = models == null ? List.of() : List.copyOf(models);
  }
}
