package ai.sutazai.supervisor.healthfix;

import ai.sutazai.supervisor.healthfix.Fix.Kind;
import ai.sutazai.supervisor.healthfix.Observation.HealthCheck;
import ai.sutazai.supervisor.healthfix.Observation.Probe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides, from observations only (no I/O), what health-fix proposes for each labelled container:
 *
 * <ul>
 *   <li>OOM-killed with a memory limit → {@link Kind#RAISE_MEMORY}: from the latest baseline, the container's
 *       memory p95 × (1 + headroom), never below its observed peak; without a baseline of it (or when that
 *       would not raise the limit), limit × memory factor; rounded up to MiB, and the reason says which;
 *   <li>unhealthy, or crash-looping with a Docker health check that failed → {@link Kind#RECREATE_WITH_HEALTHCHECK}
 *       with start period and timeout taken from the observed startup and probe times (× headroom), or
 *       doubled when nothing usable was observed;
 * *   <li>crash-looping, restarting or exited otherwise → {@link Kind#RESTART} (the container only: a running daemon
 *       keeps its own backoff and crash-loop park, which `POST /api/v1/agents/{name}/reset` clears).
 * </ul>
 *
 * With prune, a stopped container whose only fix would be a plain restart is removed instead (the
 * supervisor recreates what its fleet still wants), and unused labelled volumes and networks are removed.
 */
public final class HealthFixPlanner {
  private static final long MIB = 1024L * 1024;

  private HealthFixPlanner() {}

  /** The plan without a baseline. */
  public static List<Fix> plan(List<Observation> containers, List<UnusedResource> unused, FixPolicy policy, boolean prune) {
    return plan(containers, unused, policy, prune, MemoryBaseline.NONE);
  }

  /** The plan, ordered by fleet, agent and name, then volumes and networks. */
  public static List<Fix> plan(List<Observation> containers, List<UnusedResource> unused, FixPolicy policy, boolean prune,
      MemoryBaseline baseline) {
    List<Fix> fixes = new ArrayList<>();
    List<Observation> sorted = new ArrayList<>(containers);
    sorted.sort(Comparator.comparing((Observation o) -> String.valueOf(o.fleet()))
        .thenComparing(o -> String.valueOf(o.agent())).thenComparing(o -> String.valueOf(o.name())));
    for (Observation o : sorted) {
      Optional<Fix> fix = fixFor(o, policy, baseline);
      boolean plainRestart = fix.isEmpty() || fix.get().kind() == Kind.RESTART;
      if (prune && o.stopped() && plainRestart) {
        fixes.add(Fix.of(o, Kind.REMOVE_CONTAINER, "--prune: stopped (" + o.state() + ", exit " + o.exitCode() + ")"));
      } else {
        fix.ifPresent(fixes::add);
      }
    }
    if (prune) {
      for (UnusedResource r : unused) {
        String what = r.kind() == Kind.REMOVE_VOLUME ? "volume" : "network";
        fixes.add(new Fix(r.id(), r.name(), r.fleet(), null, r.kind(), "--prune: labelled " + what + " in use by no container",
            0, 0, 0));
      }
    }
    return List.copyOf(fixes);
  }

  /** The fix for one container without a baseline, or empty when it needs none. */
  public static Optional<Fix> fixFor(Observation o, FixPolicy policy) {
    return fixFor(o, policy, MemoryBaseline.NONE);
  }

  /** The fix for one container, or empty when it needs none. */
  public static Optional<Fix> fixFor(Observation o, FixPolicy policy, MemoryBaseline baseline) {
    boolean restarting = "restarting".equals(o.state());
    int deaths = Math.max(o.recentDeaths(), o.engineRestartCount());
    boolean crashLoop = restarting || deaths >= policy.crashLoopDeaths();
    boolean unhealthy = "unhealthy".equals(o.health());
    boolean exited = "exited".equals(o.state());
    if (!crashLoop && !unhealthy && !exited) {
      return Optional.empty();
    }
    if (o.oomKilled() && o.memoryLimitBytes() > 0) {
      return Optional.of(raiseMemory(o, policy, baseline));
    }
    boolean probesFailed = o.probes().stream().anyMatch(p -> !p.healthy());
    if (o.healthCheck().isPresent() && (unhealthy || (crashLoop && probesFailed))) {
      return Optional.of(tunedHealthCheck(o, o.healthCheck().get(), policy));
    }
    if (crashLoop) {
      String why = restarting ? "the engine keeps restarting it" : deaths + " deaths within " + policy.crashLoopWindow().toSeconds() + "s";
      return Optional.of(Fix.of(o, Kind.RESTART, "crash loop: " + why + " (last exit " + o.exitCode() + "); restart"));
    }
    if (exited) {
      return Optional.of(Fix.of(o, Kind.RESTART, "exited with code " + o.exitCode()));
    }
    return Optional.of(Fix.of(o, Kind.RESTART, "unhealthy"));
  }

  /** The "adjust limits" fix: from the baseline when it has this container's memory, else by the fixed factor. */
  static Fix raiseMemory(Observation o, FixPolicy policy, MemoryBaseline baseline) {
    String agent = o.agent() != null ? o.agent() : o.name();
    Optional<MemoryBaseline.Usage> usage = baseline.usage(agent);
    String head = "OOM-killed at its " + mib(o.memoryLimitBytes()) + " limit (exit " + o.exitCode() + "); ";
    String fallback;
    if (usage.isPresent()) {
      MemoryBaseline.Usage u = usage.get();
      long fromBaseline = roundUpMib((long) Math.ceil(Math.max(u.p95Bytes() * (1 + policy.memoryHeadroom()), u.peakBytes())));
      String figures = "baseline " + baseline.id() + ": p95 " + mib(roundUpMib((long) Math.ceil(u.p95Bytes()))) + " + "
          + Math.round(policy.memoryHeadroom() * 100) + " % headroom, peak " + mib(roundUpMib((long) Math.ceil(u.peakBytes())));
      if (fromBaseline > o.memoryLimitBytes()) {
        return new Fix(o.containerId(), o.name(), o.fleet(), o.agent(), Kind.RAISE_MEMORY,
            head + "raise to " + mib(fromBaseline) + " (" + figures + ")", fromBaseline, 0, 0);
      }
      fallback = figures + " fit under the current limit, yet it was OOM-killed";
    } else {
      fallback = baseline.id() == null ? "no baseline recorded (`sutazai baseline`)"
          : "baseline " + baseline.id() + " has no memory figures for " + agent;
    }
    long raised = roundUpMib((long) Math.ceil(o.memoryLimitBytes() * policy.memoryFactor()));
    return new Fix(o.containerId(), o.name(), o.fleet(), o.agent(), Kind.RAISE_MEMORY,
        head + "raise to " + mib(raised) + " (fixed factor x" + policy.memoryFactor() + ": " + fallback + ")", raised, 0, 0);
  }

  private static Fix tunedHealthCheck(Observation o, HealthCheck hc, FixPolicy policy) {
    List<Probe> probes = o.probes().stream().filter(p -> !p.start().isBefore(o.startedAt())).toList();
    Duration longest = probes.stream().map(Probe::duration).max(Comparator.naturalOrder()).orElse(Duration.ZERO);
    long timeouts = probes.stream().filter(p -> p.timedOut() || p.duration().compareTo(scale(hc.timeout(), 0.95)) >= 0).count();
    Optional<Duration> startup = observedStartup(o.startedAt(), probes, hc);

    ProbeTuning tuned = ProbeTuning.of(hc.interval(), hc.timeout(), hc.startPeriod(), timeouts, longest, startup,
        "became healthy", policy);
    Duration startPeriod = tuned.startPeriod();
    Duration timeout = tuned.timeout();
    StringBuilder reason = new StringBuilder(unhealthyOrLooping(o)).append(tuned.why());
    reason.append(": start-period ").append(seconds(hc.startPeriod())).append(" → ").append(seconds(startPeriod))
        .append(", timeout ").append(seconds(hc.timeout())).append(" → ").append(seconds(timeout));
    return new Fix(o.containerId(), o.name(), o.fleet(), o.agent(), Kind.RECREATE_WITH_HEALTHCHECK, reason.toString(),
        0, startPeriod.toMillis(), timeout.toMillis());
  }

  /**
   * Time from start to the end of the first healthy probe, when the log shows it: that probe is either
   * preceded (in the log) by failures of the same run, or is the very first probe of the run. A healthy
   * probe long after start with no failure before it says nothing about startup (the log keeps five).
   */
  static Optional<Duration> observedStartup(Instant startedAt, List<Probe> probesOfRun, HealthCheck hc) {
    if (startedAt.equals(Instant.EPOCH)) {
      return Optional.empty();
    }
    for (int i = 0; i < probesOfRun.size(); i++) {
      Probe p = probesOfRun.get(i);
      if (!p.healthy()) {
        continue;
      }
      boolean firstOfRun = Duration.between(startedAt, p.start()).compareTo(hc.interval().plus(hc.timeout())) <= 0;
      if (i > 0 || firstOfRun) {
        return Optional.of(Duration.between(startedAt, p.end()));
      }
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static String unhealthyOrLooping(Observation o) {
    long failed = o.probes().stream().filter(p -> !p.healthy()).count();
    return ("unhealthy".equals(o.health()) ? "unhealthy" : "crash loop") + ": " + failed + " of the last "
        + o.probes().size() + " probes failed";
  }

  private static Duration scale(Duration d, double factor) {
    return ProbeTuning.scale(d, factor);
  }

  private static long roundUpMib(long bytes) {
    return (bytes + MIB - 1) / MIB * MIB;
  }

  static String mib(long bytes) {
    return bytes % MIB == 0 ? bytes / MIB + " MiB" : String.format("%.1f MiB", bytes / (double) MIB);
  }

  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : String.format("%.1fs", d.toMillis() / 1000.0);
  }
}
