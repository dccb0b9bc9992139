package ai.sutazai.supervisor.protocol;


import ai.sutazai.common.CborSerializable;
import java.time.Instant;
import java.util.Set;

/**
 * A read-only view of one agent, as the pool, the API and the dashboard see it.
 *
 * @param memoryBytes memory request, bytes
 * @param cpus CPU request, cores
 * @param lastColdStartMillis last time from activation request to healthy, -1 if never measured
 * @param node the cluster node whose supervisor runs the agent (its Akka address), null when not known yet
 */
public record AgentStatus(
    String name,
    String pool,
    AgentPhase phase,
    boolean desiredActive,
    String containerId,
    long totalRestarts,
    String lastReason,
    Instant since,
    long lastColdStartMillis,
    Set<String> degradedBy,
    int priority,
    long memoryBytes,
    double cpus,
    String node)
    implements CborSerializable {
}
