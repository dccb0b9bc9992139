package ai.sutazai.cli.bench.seed;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.RestartPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Run A, the seed's host as it runs today, as a careful operator runs it with plain Docker: every agent
 * started at once ({@code docker run -d} each, as compose does), with {@code --restart=always}, per-container
 * limits (the same memory limit, memory reservation and CPUs as under the supervisor), a Docker HEALTHCHECK,
 * and a restarter that restarts unhealthy containers (the seed's container-health-fix.sh). Flags in
 * docs/benchmarks.md.
 */
final class PlainDockerRun implements AutoCloseable {
  /** The seed's health check: short timeout (its root cause 3), otherwise Docker-like. */
  static final Duration HEALTH_INTERVAL = Duration.ofSeconds(10);
  static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(3);
  static final int HEALTH_RETRIES = 3;
  static final Duration HEALTH_START_PERIOD = Duration.ofSeconds(30);
  /** How often the restarter looks for unhealthy containers. */
  static final Duration RESTARTER_INTERVAL = Duration.ofSeconds(30);
  /** docker restart's default grace period. */
  static final int STOP_TIMEOUT_SECONDS = 10;

  private final DockerClient client;
  private final String fleetLabel;
  private final ScheduledExecutorService restarter = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "seed-bench-restarter");
    t.setDaemon(true);
    return t;
  });
  private final ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
    Thread t = new Thread(r, "seed-bench-docker");
    t.setDaemon(true);
    return t;
  });

  PlainDockerRun(DockerClient client, String fleetLabel) {
    this.client = client;
    this.fleetLabel = fleetLabel;
  }

  /** Creates and starts every agent (in parallel, all at once), then starts the restarter. */
  void start(SeedAgents agents, String image, String cgroupParent, String ollamaUrl) throws Exception {
    List<Future<?>> fs = new ArrayList<>();
    for (SeedAgents.Agent a : agents.agents) {
      fs.add(pool.submit(() -> {
        List<String> env = new ArrayList<>();
        a.spec().env().forEach((k, v) -> env.add(k + "=" + v));
        env.add("OLLAMA_HOST=" + ollamaUrl);
        HostConfig hc = HostConfig.newHostConfig().withNetworkMode("host")
            .withRestartPolicy(RestartPolicy.alwaysRestart())
            .withCgroupParent(cgroupParent)
            .withMemory(a.spec().memoryLimitBytes()).withMemorySwap(a.spec().memoryLimitBytes())
            .withMemoryReservation(a.spec().memoryBytes())
            .withNanoCPUs(Math.round(a.spec().cpus() * 1e9));
        HealthCheck hcheck = new HealthCheck()
            .withTest(List.of("CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:"
                + a.port() + "/health || exit 1"))
            .withInterval(HEALTH_INTERVAL.toNanos()).withTimeout(HEALTH_TIMEOUT.toNanos())
            .withRetries(HEALTH_RETRIES).withStartPeriod(HEALTH_START_PERIOD.toNanos());
        String id = client.createContainerCmd(image).withName(fleetLabel + "-" + a.spec().name())
            .withLabels(Map.of("sutazai.fleet", fleetLabel, "sutazai.agent", a.spec().name()))
            .withEnv(env).withCmd(a.spec().command()).withHealthcheck(hcheck).withHostConfig(hc).exec().getId();
        client.startContainerCmd(id).exec();
        return null;
      }));
    }
    for (Future<?> f : fs) {
      f.get(5, TimeUnit.MINUTES);
    }
    restarter.scheduleWithFixedDelay(this::restartUnhealthy, RESTARTER_INTERVAL.toSeconds(), RESTARTER_INTERVAL.toSeconds(),
        TimeUnit.SECONDS);
  }

  /** {@code docker restart $(docker ps -q --filter health=unhealthy)}, the containers restarted in parallel. */
  private void restartUnhealthy() {
    try {
      List<Container> sick = client.listContainersCmd().withLabelFilter(Map.of("sutazai.fleet", fleetLabel))
          .withFilter("health", List.of("unhealthy")).exec();
      List<Future<?>> fs = new ArrayList<>();
      for (Container c : sick) {
        fs.add(pool.submit(() -> client.restartContainerCmd(c.getId()).withTimeout(STOP_TIMEOUT_SECONDS).exec()));
      }
      for (Future<?> f : fs) {
        try {
          f.get(2, TimeUnit.MINUTES);
        } catch (Exception e) {
          // the next round tries again
        }
      }
    } catch (RuntimeException e) {
      System.err.println("bench seed: restarter: " + e.getMessage());
    }
  }

  /** Stops the restarter; the containers are removed by the bench's cleanup. */
  @Override
  public void close() {
    restarter.shutdownNow();
    pool.shutdownNow();
  }
}
