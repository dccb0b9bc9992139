package ai.sutazai.fleet;

import ai.sutazai.common.CborSerializable;
import java.time.Duration;
import java.util.List;

/**
 * How an agent's container is probed. Probes run from the supervisor: http and tcp against a
 * host-network port on 127.0.0.1, cmd through {@code docker exec}.
 *
 * @param port host-network port for http and tcp probes (0 when unused)
 * @param path HTTP path for http probes
 * @param command command for cmd probes; exit status 0 is healthy
 * @param interval time between probes
 * @param timeout time one probe may take before it counts as failed (widened under host pressure)
 * @param retries consecutive failures that make the container unhealthy
 * @param startPeriod failures inside this period after start do not count
 * @param readiness the readiness probe, or null for none: while it fails the agent is alive (never restarted
 *     for it) but not ready, so its dependents neither start nor run (they are degraded); an agent with one
 *     becomes healthy only once it first passes. Its own {@code startPeriod} and {@code readiness} are unused.
 */
public record HealthSpec(
    Kind kind,
    int port,
    String path,
    List<String> command,
    Duration interval,
    Duration timeout,
    int retries,
    Duration startPeriod,
    HealthSpec readiness)
    implements CborSerializable {

  /** A liveness probe without a readiness probe. */
  public HealthSpec(Kind kind, int port, String path, List<String> command, Duration interval, Duration timeout,
      int retries, Duration startPeriod) {
    this(kind, port, path, command, interval, timeout, retries, startPeriod, null);
  }

  public static final HealthSpec NONE =
      new HealthSpec(Kind.NONE, 0, "/", List.of(), Duration.ofSeconds(10), Duration.ofSeconds(5), 3, Duration.ofSeconds(60));

  public HealthSpec {
    command = command == null ? List.of() : List.copyOf(command);
    path = path == null ? "/" : path;
  }

  /** Probe kinds. */
  public enum Kind {
    HTTP,
    TCP,
    CMD,
    NONE
  }
}
