package ai.sutazai.supervisor.healthfix;

import ai.sutazai.runtime.ContainerInfo;
import ai.sutazai.runtime.ContainerRuntime;
import ai.sutazai.runtime.Labels;
import ai.sutazai.runtime.NotManagedException;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies a health-fix plan. Hazard: the engine holds resources that are not ours. Container operations go
 * through {@link ContainerRuntime}, which refuses unlabelled containers; the operations it does not offer
 * (recreate, volume and network removal) re-check the {@code sutazai.managed=true} label right before acting.
 */
final class FixApplier {
  private final DockerClient client;
  private final ContainerRuntime runtime;
  private final Duration stopTimeout;
  private final Clock clock;

  FixApplier(DockerClient client, ContainerRuntime runtime, Duration stopTimeout, Clock clock) {
    this.client = client;
    this.runtime = runtime;
    this.stopTimeout = stopTimeout;
    this.clock = clock;
  }

  /** Applies every fix in order; one failing fix does not stop the others. */
  List<AppliedFix> apply(List<Fix> plan, DaemonView.Link daemonOrNull) {
    List<AppliedFix> applied = new ArrayList<>();
    for (Fix fix : plan) {
      try {
        applied.add(applyOne(fix, daemonOrNull));
      } catch (RuntimeException e) {
        applied.add(new AppliedFix(fix, false, e.getMessage(), null, clock.instant()));
      }
    }
    return List.copyOf(applied);
  }

  private AppliedFix applyOne(Fix fix, DaemonView.Link daemonOrNull) {
    return switch (fix.kind()) {
      case RESTART -> done(fix, restart(fix.target()), fix.target());
      case RAISE_MEMORY -> {
        runtime.updateLimits(fix.target(), fix.newMemoryLimitBytes(), 0);
        yield done(fix, "memory limit now " + HealthFixPlanner.mib(fix.newMemoryLimitBytes()) + "; " + restart(fix.target()),
            fix.target());
      }
      case RECREATE_WITH_HEALTHCHECK -> recreate(fix);
      case REMOVE_CONTAINER -> {
        runtime.remove(fix.target());
        yield done(fix, "removed", null);
      }
      case REMOVE_VOLUME -> removeVolume(fix);
      case REMOVE_NETWORK -> removeNetwork(fix);
      case RESET_VIA_DAEMON -> {
        if (daemonOrNull == null) {
          throw new IllegalStateException("no daemon to reset " + fix.agent() + " through");
        }
        yield done(fix, daemonOrNull.reset(fix.agent()), fix.target());
      }
      case PROPOSE_SPEC_CHANGE -> done(fix, "not applied (the daemon owns the container): put in the fleet spec "
          + fix.specChanges().stream().map(Fix.SpecChange::toString).collect(java.util.stream.Collectors.joining(", "))
          + ", then restart the daemon (run reads the fleet spec when it starts)", fix.target());
    };
  }

  private String restart(String containerId) {
    ContainerInfo info = runtime.inspect(containerId).orElseThrow(() ->
        new IllegalStateException("container " + containerId + " no longer exists"));
    if (info.running() || "restarting".equals(info.state())) {
      runtime.stop(containerId, stopTimeout);
    }
    runtime.start(containerId);
    return "restarted";
  }

  /** Renames the old container aside, creates its twin with the tuned health check, starts it, removes the old. */
  private AppliedFix recreate(Fix fix) {
    InspectContainerResponse old = client.inspectContainerCmd(fix.target()).exec();
    Map<String, String> labels = old.getConfig().getLabels();
    if (labels == null || !"true".equals(labels.get(Labels.MANAGED))) {
      throw new NotManagedException(fix.target());
    }
    HealthCheck current = old.getConfig().getHealthcheck();
    HealthCheck tuned = new HealthCheck()
        .withTest(current.getTest())
        .withInterval(current.getInterval())
        .withRetries(current.getRetries())
        .withStartPeriod(fix.newStartPeriodMillis() * 1_000_000L)
        .withTimeout(fix.newTimeoutMillis() * 1_000_000L);
    String name = old.getName().startsWith("/") ? old.getName().substring(1) : old.getName();
    String parked = name + "-replaced-" + clock.instant().getEpochSecond();
    runtime.stop(old.getId(), stopTimeout);
    client.renameContainerCmd(old.getId()).withName(parked).exec();
    String newId;
    try {
      CreateContainerCmd create = client.createContainerCmd(old.getConfig().getImage())
          .withName(name)
          .withLabels(labels)
          .withHealthcheck(tuned)
          .withHostConfig(copyOf(old.getHostConfig()));
      if (old.getConfig().getEnv() != null) {
        create.withEnv(old.getConfig().getEnv());
      }
      if (old.getConfig().getCmd() != null) {
        create.withCmd(old.getConfig().getCmd());
      }
      if (old.getConfig().getEntrypoint() != null) {
        create.withEntrypoint(old.getConfig().getEntrypoint());
      }
      if (old.getConfig().getUser() != null && !old.getConfig().getUser().isEmpty()) {
        create.withUser(old.getConfig().getUser());
      }
      if (old.getConfig().getWorkingDir() != null && !old.getConfig().getWorkingDir().isEmpty()) {
        create.withWorkingDir(old.getConfig().getWorkingDir());
      }
      newId = create.exec().getId();
    } catch (RuntimeException e) {
      client.renameContainerCmd(old.getId()).withName(name).exec();
      throw new IllegalStateException("recreate " + name + ": " + e.getMessage() + " (old container kept)", e);
    }
    runtime.start(newId);
    runtime.remove(old.getId());
    return done(fix, "recreated with start-period " + fix.newStartPeriodMillis() / 1000 + "s, timeout "
        + fix.newTimeoutMillis() / 1000 + "s", newId);
  }

  /**
   * The resource and security settings of the old container; networks are host or none, never a created one.
   * Every fence the supervisor set (capabilities, no-new-privileges, process limit, read-only root, tmpfs) is
   * carried over: a recreated container must not be less fenced than the one it replaces.
   */
  private static HostConfig copyOf(HostConfig old) {
    HostConfig copy = HostConfig.newHostConfig()
        .withNetworkMode(old.getNetworkMode())
        .withRestartPolicy(old.getRestartPolicy())
        .withMemory(old.getMemory())
        .withMemoryReservation(old.getMemoryReservation())
        .withMemorySwap(old.getMemorySwap())
        .withNanoCPUs(old.getNanoCPUs())
        .withCpuQuota(old.getCpuQuota())
        .withCpuPeriod(old.getCpuPeriod());
    if (old.getBinds() != null && old.getBinds().length > 0) {
      copy.withBinds(old.getBinds());
    }
    copySecurity(old, copy);
    return copy;
  }

  /** The fences of {@code old} onto {@code copy} (the user is part of the container's config, copied apart). */
  static void copySecurity(HostConfig old, HostConfig copy) {
    if (old.getCapDrop() != null && old.getCapDrop().length > 0) {
      copy.withCapDrop(old.getCapDrop());
    }
    if (old.getCapAdd() != null && old.getCapAdd().length > 0) {
      copy.withCapAdd(old.getCapAdd());
    }
    if (old.getSecurityOpts() != null && !old.getSecurityOpts().isEmpty()) {
      copy.withSecurityOpts(old.getSecurityOpts());
    }
    if (old.getPidsLimit() != null && old.getPidsLimit() > 0) {
      copy.withPidsLimit(old.getPidsLimit());
    }
    if (Boolean.TRUE.equals(old.getReadonlyRootfs())) {
      copy.withReadonlyRootfs(true);
    }
    if (old.getTmpFs() != null && !old.getTmpFs().isEmpty()) {
      copy.withTmpFs(old.getTmpFs());
    }
  }

  private AppliedFix removeVolume(Fix fix) {
    InspectVolumeResponse volume = client.inspectVolumeCmd(fix.target()).exec();
    if (volume.getLabels() == null || !"true".equals(volume.getLabels().get(Labels.MANAGED))) {
      throw new IllegalStateException("volume " + fix.target() + " is not labelled " + Labels.MANAGED + "=true; left alone");
    }
    client.removeVolumeCmd(fix.target()).exec();
    return done(fix, "removed", null);
  }

  private AppliedFix removeNetwork(Fix fix) {
    Network network = client.inspectNetworkCmd().withNetworkId(fix.target()).exec();
    if (network.getLabels() == null || !"true".equals(network.getLabels().get(Labels.MANAGED))) {
      throw new IllegalStateException("network " + fix.target() + " is not labelled " + Labels.MANAGED + "=true; left alone");
    }
    if (network.getContainers() != null && !network.getContainers().isEmpty()) {
      throw new IllegalStateException("network " + network.getName() + " is in use again; left alone");
    }
    client.removeNetworkCmd(fix.target()).exec();
    return done(fix, "removed", null);
  }

  private AppliedFix done(Fix fix, String outcome, String containerIdAfter) {
    return new AppliedFix(fix, true, outcome, containerIdAfter, clock.instant());
  }
}
