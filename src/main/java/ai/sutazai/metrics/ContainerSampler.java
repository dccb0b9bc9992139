package ai.sutazai.metrics;

import ai.sutazai.runtime.ContainerInfo;
import ai.sutazai.runtime.ContainerRuntime;
import ai.sutazai.runtime.ContainerStats;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the managed containers through {@link ContainerRuntime}: per agent CPU, memory, restarts and
 * health, and the fleet's health rate. Blocking: runs on {@code sutazai-blocking-dispatcher}.
 *
 * <p>Health rate = healthy / expected-up, where expected-up containers are those running or restarting,
 * or stopped with a non-zero exit code (crashed). A container stopped cleanly (exit 0, or never started)
 * is an agent deactivated on purpose and does not count. Healthy = running with health "healthy" or
 * without a health check. With no expected-up container the rate is left out rather than reported as 1.
 */
public final class ContainerSampler {
  private static final Logger log = LoggerFactory.getLogger(ContainerSampler.class);
  private final ContainerRuntime runtime;
  private final String fleet;

  /** {@code fleet} empty or null: every managed container. */
  public ContainerSampler(ContainerRuntime runtime, String fleet) {
    this.runtime = runtime;
    this.fleet = fleet == null || fleet.isBlank() ? null : fleet;
  }

  /** One sample as series name → value (see {@link MetricNames}). */
  public Map<String, Double> sample() {
    List<ContainerInfo> containers = fleet == null ? runtime.listAllManaged() : runtime.listManaged(fleet);
    Map<String, Double> out = new HashMap<>();
    int expectedUp = 0;
    int healthy = 0;
    int running = 0;
    for (ContainerInfo c : containers) {
      String agent = c.agent() != null ? c.agent() : c.name();
      boolean isHealthy = c.running() && ("healthy".equals(c.health()) || "none".equals(c.health()));
      boolean crashed = ("exited".equals(c.state()) || "dead".equals(c.state())) && c.exitCode() != 0;
      if (c.running() || "restarting".equals(c.state()) || crashed) {
        expectedUp++;
      }
      if (isHealthy) {
        healthy++;
      }
      out.put(MetricNames.forAgent(MetricNames.CONTAINER_RESTARTS, agent), (double) c.restartCount());
      out.put(MetricNames.forAgent(MetricNames.CONTAINER_HEALTHY, agent), isHealthy ? 1.0 : 0.0);
      if (c.running()) {
        running++;
        try {
          ContainerStats s = runtime.stats(c.id());
          out.put(MetricNames.forAgent(MetricNames.CONTAINER_CPU_PERCENT, agent), s.cpuPercent());
          out.put(MetricNames.forAgent(MetricNames.CONTAINER_MEMORY_USAGE_BYTES, agent), (double) s.memoryUsageBytes());
          out.put(MetricNames.forAgent(MetricNames.CONTAINER_MEMORY_LIMIT_BYTES, agent), (double) s.memoryLimitBytes());
        } catch (RuntimeException e) {
          // The container may have stopped between list and stats; the next round will tell.
          log.debug("stats of container {} ({}) failed: {}", c.name(), c.id(), e.toString());
        }
      }
    }
    out.put(MetricNames.CONTAINERS_MANAGED, (double) containers.size());
    out.put(MetricNames.CONTAINERS_RUNNING, (double) running);
    if (expectedUp > 0) {
      out.put(MetricNames.CONTAINER_HEALTH_RATE_RATIO, healthy / (double) expectedUp);
    }
    return out;
  }
}
