package ai.sutazai.supervisor.healthfix;

import ai.sutazai.runtime.DockerClients;
import ai.sutazai.runtime.DockerRuntime;
import com.github.dockerjava.api.DockerClient;
import com.typesafe.config.Config;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The health fix of the seed's {@code container-health-fix.sh}, for labelled containers only: observe,
 * plan ({@link HealthFixPlanner}, pure), and apply. Used by {@code sutazai health-fix} and available to
 * the supervisor, which journals the returned {@link AppliedFix} records. Blocking: call it on
 * {@code sutazai-blocking-dispatcher}.
 */
public final class HealthFix implements AutoCloseable {
  private final DockerClient client;
  private final DockerRuntime runtime;
  private final FixPolicy policy;
  private final DockerObserver observer;
  private final FixApplier applier;

  private HealthFix(DockerClient client, DockerRuntime runtime, FixPolicy policy, Duration stopTimeout, Clock clock) {
    this.client = client;
    this.runtime = runtime;
    this.policy = policy;
    this.observer = new DockerObserver(client, clock);
    this.applier = new FixApplier(client, runtime, stopTimeout, clock);
  }

  /** Connects to {@code sutazai.docker.host} with the crash-loop policy and stop timeout of the supervisor. */
  public static HealthFix fromConfig(Config config) {
    Duration stopTimeout = config.getDuration("sutazai.supervisor.stop-timeout");
    return new HealthFix(DockerClients.create(DockerClients.host(config), DockerClients.apiTimeout(config)), DockerRuntime.fromConfig(config),
        FixPolicy.fromConfig(config), stopTimeout, Clock.systemUTC());
  }

  /** Throws {@link ai.sutazai.runtime.RuntimeUnavailableException} naming the host when the engine is away. */
  public void ping() {
    runtime.ping();
  }

  /** The engine this works on, for messages. */
  public String describe() {
    return runtime.describe();
  }

  /** The plan for the labelled containers of {@code fleetOrNull} (every fleet when null), without a baseline. */
  public List<Fix> plan(String fleetOrNull, boolean prune) {
    return plan(fleetOrNull, prune, MemoryBaseline.NONE);
  }

  /**
   * The plan for the labelled containers of {@code fleetOrNull} (every fleet when null); memory limits are
   * adjusted from {@code baseline} when it has the container. Changes nothing.
   */
  public List<Fix> plan(String fleetOrNull, boolean prune, MemoryBaseline baseline) {
    List<Observation> observed = observer.containers(fleetOrNull, policy.crashLoopWindow());
    List<UnusedResource> unused = prune ? observer.unused(fleetOrNull) : List.of();
    return HealthFixPlanner.plan(observed, unused, policy, prune, baseline);
  }

  /**
   * The plan when {@code daemon} runs ({@link DaemonPlanner}): its crash-looped agents are reset through it and its
   * containers' probe settings are proposed for the fleet spec; containers it does not manage keep the engine plan.
   */
  public List<Fix> plan(String fleetOrNull, boolean prune, MemoryBaseline baseline, DaemonView daemon) {
    List<Observation> observed = observer.containers(fleetOrNull, policy.crashLoopWindow());
    List<UnusedResource> unused = prune ? observer.unused(fleetOrNull) : List.of();
    return DaemonPlanner.plan(HealthFixPlanner.plan(observed, unused, policy, prune, baseline), observed, daemon, fleetOrNull,
        policy);
  }

  /** Applies {@code plan}; the returned records say what was done, for the journal. */
  public List<AppliedFix> apply(List<Fix> plan) {
    return applier.apply(plan, null);
  }

  /** Applies {@code plan}, resetting agents through {@code daemon}; proposals are left to the operator. */
  public List<AppliedFix> apply(List<Fix> plan, DaemonView.Link daemon) {
    return applier.apply(plan, daemon);
  }

  @Override
  public void close() {
    runtime.close();
    try {
      client.close();
    } catch (IOException ignored) {
      // the engine went away; nothing left to release
    }
  }
}
