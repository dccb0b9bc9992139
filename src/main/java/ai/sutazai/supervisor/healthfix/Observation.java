package ai.sutazai.supervisor.healthfix;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the engine shows about one labelled container: the planner's only input, so planning is pure.
 *
 * @param state engine state: created, running, paused, restarting, exited, dead
 * @param health engine health status (starting, healthy, unhealthy) or "none"
 * @param oomKilled the kernel killed the last run for exceeding the memory limit
 * @param engineRestartCount restarts the engine itself made (restart policies)
 * @param recentDeaths die events of this container seen in the crash-loop window
 * @param startedAt when the last run started (EPOCH when never)
 * @param memoryLimitBytes current memory limit, bytes (0 = none)
 * @param healthCheck the Docker health check, when the container has one
 * @param probes the engine's health log (Docker keeps the last five probes), oldest first
 */
public record Observation(
    String containerId,
    String name,
    String fleet,
    String agent,
    String state,
    String health,
    int exitCode,
    boolean oomKilled,
    int engineRestartCount,
    int recentDeaths,
    Instant startedAt,
    long memoryLimitBytes,
    Optional<HealthCheck> healthCheck,
    List<Probe> probes) {

  public Observation {
    probes = probes == null ? List.of() : List.copyOf(probes);
    healthCheck = healthCheck == null ? Optional.empty() : healthCheck;
  }

  /** Docker's HEALTHCHECK settings (engine defaults filled in: 30 s interval and timeout, 3 retries). */
  public record HealthCheck(List<String> test, Duration interval, Duration timeout, Duration startPeriod, int retries) {
    public HealthCheck {
      test = test == null ? List.of() : List.copyOf(test);
    }
  }

  /** One probe of the health log: when it ran, how it ended and what it printed. */
  public record Probe(Instant start, Instant end, int exitCode, String output) {
    public Duration duration() {
      return Duration.between(start, end);
    }

    public boolean healthy() {
      return exitCode == 0;
    }

    /** Docker ends a probe that overran its timeout with this message (exit -1). */
    public boolean timedOut() {
      return output != null && output.contains("exceeded timeout");
    }
  }

  public boolean stopped() {
    return "exited".equals(state) || "created".equals(state) || "dead".equals(state);
  }
}
