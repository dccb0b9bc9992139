package ai.sutazai.api.view;

import java.util.List;
import java.util.Map;

/**
 * The numbers {@code /metrics} needs beyond the agent, pool, container, worker and alert views.
 *
 * @param host the latest host sample; null before the first one
 * @param thresholds the alert thresholds in force
 * @param agentResponseTimes response-time distribution per agent name
 * @param journalWrites latency of event journal writes (persist to acknowledgement)
 * @param journalFailuresTotal journal writes that failed since start
 * @param inferenceRequests latency of inference requests through the router, by model name
 */
public record Telemetry(
    HostSample host,
    Thresholds thresholds,
    Map<String, LatencySummary> agentResponseTimes,
    LatencySummary journalWrites,
    long journalFailuresTotal,
    Map<String, LatencySummary> inferenceRequests) {
  public Telemetry {
    agentResponseTimes = Map.copyOf(agentResponseTimes);
    inferenceRequests = Map.copyOf(inferenceRequests);
  }
}
