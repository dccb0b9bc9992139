package ai.sutazai.api.view;

import java.time.Instant;
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
 * @param stale true when its pool could not be reached in time (e.g. while the pool's singleton moves to another
 *     node after a node loss): state, node and queue position are the answering node's last known, not current
 * @param staleSince while stale, when the answering node last heard from the agent's pool; null when fresh, or when
 *     that node never heard from the pool
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
    Long lastColdStartMillis,
    boolean stale,
    Instant staleSince) {
  public AgentView {
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    models = models == null ? List.of() : List.copyOf(models);
  }

  /** A view that is current (its pool answered). */
  public AgentView(String name, String pool, AgentState state, int priority, String activation, String containerId,
      String node, int restarts, long memoryRequestBytes, double cpuRequest, List<String> dependsOn, List<String> models,
      Integer queuePosition, Double responseTimeP95Seconds, EventView lastEvent, int heldRequests, Long lastColdStartMillis) {
    this(name, pool, state, priority, activation, containerId, node, restarts, memoryRequestBytes, cpuRequest, dependsOn,
        models, queuePosition, responseTimeP95Seconds, lastEvent, heldRequests, lastColdStartMillis, false, null);
  }

  /** This view with {@code event} as its last event. */
  public AgentView withLastEvent(EventView event) {
    return new AgentView(name, pool, state, priority, activation, containerId, node, restarts, memoryRequestBytes,
        cpuRequest, dependsOn, models, queuePosition, responseTimeP95Seconds, event, heldRequests, lastColdStartMillis,
        stale, staleSince);
  }
}
