package ai.sutazai.runtime;

import java.time.Instant;
import java.util.Map;

/**
 * A managed container as the engine reports it.
 *
 * @param state engine state: created, running, paused, restarting, exited, dead
 * @param health engine health-check status (starting, healthy, unhealthy) or "none"
 * @param exitCode last exit code, meaningful when not running
 * @param restartCount restarts counted by the engine itself
 * @param memoryLimitBytes current memory limit in bytes (0 = none)
 * @param cpus current CPU limit in cores (0 = none)
 */
public record ContainerInfo(
    String id,
    String name,
    String image,
    String state,
    String health,
    int exitCode,
    int restartCount,
    Instant startedAt,
    long memoryLimitBytes,
    double cpus,
    Map<String, String> labels) {

  public boolean running() {
    return "running".equals(state);
  }

  public String agent() {
    return labels.get(Labels.AGENT);
  }

  public String fleet() {
    return labels.get(Labels.FLEET);
  }
}
