package ai.sutazai.fleet;

import ai.sutazai.common.CborSerializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One agent of the fleet, as validated from {@code sutazai.fleet.agents.<name>}.
 *
 * @param memoryBytes memory request in bytes: what admission counts
 * @param memoryLimitBytes hard memory limit in bytes (defaults to the request)
 * @param cpus CPU request and limit, in cores
 * @param priority higher wins admission and preemption
 * @param idleTimeout no traffic for this long deactivates an on-demand agent; null = supervisor default
 * @param pool the AgentPool this agent belongs to ("default" unless set)
 * @param restart per-agent restart backoff overrides; null = supervisor defaults
 * @param crashLoop per-agent crash-loop overrides; null = supervisor defaults
 * @param port the HTTP port the agent serves on 127.0.0.1, for the agent front; 0 = its http health port
 * @param publicAccess reachable through the agent front without a token when sutazai.gateway.auth.tokens are set
 * @param security how its container is fenced (capabilities, privileges, process limit, user, root filesystem)
 */
public record AgentSpec(
    String name,
    String image,
    List<String> command,
    Map<String, String> env,
    long memoryBytes,
    long memoryLimitBytes,
    double cpus,
    int priority,
    List<String> dependsOn,
    Duration idleTimeout,
    HealthSpec health,
    List<String> models,
    Activation activation,
    String pool,
    RestartSpec restart,
    CrashLoopSpec crashLoop,
    int port,
    boolean publicAccess,
    SecuritySpec security)
    implements CborSerializable {

  /** An agent fenced with {@link SecuritySpec#DEFAULT}. */
  public AgentSpec(String name, String image, List<String> command, Map<String, String> env, long memoryBytes,
      long memoryLimitBytes, double cpus, int priority, List<String> dependsOn, Duration idleTimeout, HealthSpec health,
      List<String> models, Activation activation, String pool, RestartSpec restart, CrashLoopSpec crashLoop, int port,
      boolean publicAccess) {
    this(name, image, command, env, memoryBytes, memoryLimitBytes, cpus, priority, dependsOn, idleTimeout, health, models,
        activation, pool, restart, crashLoop, port, publicAccess, SecuritySpec.DEFAULT);
  }

  /** An agent without a front port of its own (its http health port, if any) and not public. */
  public AgentSpec(String name, String image, List<String> command, Map<String, String> env, long memoryBytes,
      long memoryLimitBytes, double cpus, int priority, List<String> dependsOn, Duration idleTimeout, HealthSpec health,
      List<String> models, Activation activation, String pool, RestartSpec restart, CrashLoopSpec crashLoop) {
    this(name, image, command, env, memoryBytes, memoryLimitBytes, cpus, priority, dependsOn, idleTimeout, health, models,
        activation, pool, restart, crashLoop, 0, false);
  }

  /** The port the agent front proxies to on 127.0.0.1: {@code port}, else the http health port; 0 when neither. */
  public int frontPort() {
    if (port > 0) {
      return port;
    }
    return health.kind() == HealthSpec.Kind.HTTP ? health.port() : 0;
  }

  /** The same agent with {@code env} as its environment (e.g. defaults added by the loader). */
  public AgentSpec withEnv(Map<String, String> newEnv) {
    return new AgentSpec(name, image, command, newEnv, memoryBytes, memoryLimitBytes, cpus, priority, dependsOn,
        idleTimeout, health, models, activation, pool, restart, crashLoop, port, publicAccess, security);
  }

  public AgentSpec {
    command = command == null ? List.of() : List.copyOf(command);
    env = env == null ? Map.of() : Map.copyOf(env);
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    models = models == null ? List.of() : List.copyOf(models);
    health = health == null ? HealthSpec.NONE : health;
    activation = activation == null ? Activation.ALWAYS : activation;
    pool = pool == null ? "default" : pool;
    security = security == null ? SecuritySpec.DEFAULT : security;
  }

  /** When the agent is started. */
  public enum Activation {
    /** Started at boot and kept running. */
    ALWAYS,
    /** Started when asked (API, inference request, dependency), stopped when idle. */
    ON_DEMAND
  }

  /**
   * Per-agent restart backoff; any null field falls back to {@code sutazai.supervisor.restart}.
   *
   * @param jitter random extra delay as a fraction of the computed delay
   */
  public record RestartSpec(Duration minBackoff, Duration maxBackoff, Double jitter, Duration resetAfter)
      implements CborSerializable {}

  /** Per-agent crash-loop detection; null fields fall back to {@code sutazai.supervisor.crash-loop}. */
  public record CrashLoopSpec(Integer maxRestarts, Duration window) implements CborSerializable {}
}
