package ai.sutazai.metrics;

import ai.sutazai.metrics.stats.CollectorSeries;

import ai.sutazai.runtime.ContainerInfo;
import ai.sutazai.runtime.ContainerRuntime;
import ai.sutazai.runtime.ContainerStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
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
 *
 * <p>One {@code docker stats} call takes a second or two (the engine waits for a second CPU reading), so
 * with many containers the calls run in {@code parallelism} parallel lanes on the given executor (the
 * blocking dispatcher); the calling thread waits for them. Keep parallelism well below the dispatcher's
 * pool size so the supervisor's own blocking calls are not starved.
 */
public final class ContainerSampler {
  private static final Logger log = LoggerFactory.getLogger(ContainerSampler.class);
  private final ContainerRuntime runtime;
  private final String fleet;
  private final Executor executor;
  private final int parallelism;
  /**
   * Container id → CPU seconds used since it started, from the latest stats call. Kept beside the sample,
   * not in it: a cumulative counter is exported as such, while a sample's series are recorded as levels
   * (baselines, alerts, forecasts).
   */
  private final Map<String, Double> cpuSecondsTotal;

  /** Sequential stats calls on the calling thread; {@code fleet} empty or null: every managed container. */
  public ContainerSampler(ContainerRuntime runtime, String fleet) {
    this(runtime, fleet, Runnable::run, 1);
  }

  /** Stats calls in {@code parallelism} lanes, once given an executor with {@link #onExecutor}. */
  public ContainerSampler(ContainerRuntime runtime, String fleet, int parallelism) {
    this(runtime, fleet, Runnable::run, parallelism);
  }

  /** Stats calls in {@code parallelism} lanes on {@code executor}. */
  public ContainerSampler(ContainerRuntime runtime, String fleet, Executor executor, int parallelism) {
    this(runtime, fleet, executor, parallelism, new ConcurrentHashMap<>());
  }

  private ContainerSampler(ContainerRuntime runtime, String fleet, Executor executor, int parallelism,
      Map<String, Double> cpuSecondsTotal) {
    this.cpuSecondsTotal = cpuSecondsTotal;
    this.runtime = runtime;
    this.fleet = fleet == null || fleet.isBlank() ? null : fleet;
    this.executor = executor;
    this.parallelism = Math.max(1, parallelism);
  }

  /** The same sampler running its stats lanes on {@code executor} (the collector passes its blocking dispatcher). */
  public ContainerSampler onExecutor(Executor other) {
    return new ContainerSampler(runtime, fleet, other, parallelism, cpuSecondsTotal);
  }

  /**
   * Container id → CPU seconds each running container has used since it started, as of the latest
   * {@link #sample}; containers whose runtime does not report it are absent.
   */
  public Map<String, Double> cpuSecondsTotal() {
    return Map.copyOf(cpuSecondsTotal);
  }

  /** One sample as series name → value (see {@link CollectorSeries}). */
  public Map<String, Double> sample() {
    List<ContainerInfo> containers = fleet == null ? runtime.listAllManaged() : runtime.listManaged(fleet);
    Map<String, Double> out = new HashMap<>();
    int expectedUp = 0;
    int healthy = 0;
    List<ContainerInfo> running = new ArrayList<>();
    for (ContainerInfo c : containers) {
      String agent = agentOf(c);
      boolean isHealthy = c.running() && ("healthy".equals(c.health()) || "none".equals(c.health()));
      boolean crashed = ("exited".equals(c.state()) || "dead".equals(c.state())) && c.exitCode() != 0;
      if (c.running() || "restarting".equals(c.state()) || crashed) {
        expectedUp++;
      }
      if (isHealthy) {
        healthy++;
      }
      out.put(CollectorSeries.forAgent(CollectorSeries.CONTAINER_RESTARTS, agent), (double) c.restartCount());
      out.put(CollectorSeries.forAgent(CollectorSeries.CONTAINER_HEALTHY, agent), isHealthy ? 1.0 : 0.0);
      if (c.running()) {
        running.add(c);
      }
    }
    out.putAll(stats(running));
    cpuSecondsTotal.keySet().retainAll(running.stream().map(ContainerInfo::id).toList());
    out.put(CollectorSeries.CONTAINERS_MANAGED, (double) containers.size());
    out.put(CollectorSeries.CONTAINERS_RUNNING, (double) running.size());
    if (expectedUp > 0) {
      out.put(CollectorSeries.CONTAINER_HEALTH_RATE_RATIO, healthy / (double) expectedUp);
    }
    return out;
  }

  private static String agentOf(ContainerInfo c) {
    return c.agent() != null ? c.agent() : c.name();
  }

  /** CPU and memory of the running containers, {@code parallelism} lanes at a time. */
  private Map<String, Double> stats(List<ContainerInfo> running) {
    Map<String, Double> out = new ConcurrentHashMap<>();
    int lanes = Math.min(parallelism, Math.max(1, running.size()));
    List<CompletableFuture<Void>> work = new ArrayList<>();
    for (int lane = 0; lane < lanes; lane++) {
      int first = lane;
      work.add(CompletableFuture.runAsync(() -> {
        for (int i = first; i < running.size(); i += lanes) {
          statsOf(running.get(i), out);
        }
      }, executor));
    }
    CompletableFuture.allOf(work.toArray(new CompletableFuture<?>[0])).join();
    return out;
  }

  private void statsOf(ContainerInfo c, Map<String, Double> out) {
    String agent = agentOf(c);
    try {
      ContainerStats s = runtime.stats(c.id());
      out.put(CollectorSeries.forAgent(CollectorSeries.CONTAINER_CPU_PERCENT, agent), s.cpuPercent());
      out.put(CollectorSeries.forAgent(CollectorSeries.CONTAINER_MEMORY_USAGE_BYTES, agent), (double) s.memoryUsageBytes());
      out.put(CollectorSeries.forAgent(CollectorSeries.CONTAINER_MEMORY_LIMIT_BYTES, agent), (double) s.memoryLimitBytes());
      if (Double.isNaN(s.cpuSecondsTotal())) {
        cpuSecondsTotal.remove(c.id());
      } else {
        cpuSecondsTotal.put(c.id(), s.cpuSecondsTotal());
      }
    } catch (RuntimeException e) {
      // The container may have stopped between list and stats; the next round will tell.
      log.debug("stats of container {} ({}) failed: {}", c.name(), c.id(), e.toString());
    }
  }
}
