package ai.sutazai.supervisor.healthfix;

import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.HealthSpec;
import ai.sutazai.supervisor.healthfix.Fix.Kind;
import ai.sutazai.supervisor.healthfix.Fix.SpecChange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The plan when a daemon runs: it owns the containers of its fleet, restarts them with its own backoff and parks
 * them in a crash loop, and probes them itself from the fleet spec's {@code health} block (not a Docker
 * HEALTHCHECK). So for its containers health-fix does not act behind its back:
 *
 * <ul>
 *   <li>an agent the daemon parked in a crash loop → {@link Kind#RESET_VIA_DAEMON};
 *   <li>an agent whose journal (since its spec last changed) shows probes hitting their timeout, or a container
 *       still failing its startup probe when it was declared unhealthy → {@link Kind#PROPOSE_SPEC_CHANGE} of
 *       {@code agents.<name>.health.timeout} / {@code start-period}, from the same tuning as the engine plan's
 *       recreate ({@link ProbeTuning});
 *   <li>an OOM kill → {@link Kind#PROPOSE_SPEC_CHANGE} of {@code agents.<name>.memory-limit} to the limit the engine
 *       plan computed;
 *   <li>restarts, recreations and removals of its containers are dropped (the daemon restarts them itself).
 * </ul>
 *
 * Containers it does not manage (other fleets) keep the engine plan. Pure.
 */
public final class DaemonPlanner {
  private static final Pattern TIMED_OUT = Pattern.compile("timed out after (\\d+) ms");

  private DaemonPlanner() {}

  /**
   * The engine plan {@code enginePlan} (for {@code observed}) adapted to the running {@code daemon}; only
   * agents of {@code fleetOrNull} (every fleet when null).
   */
  public static List<Fix> plan(List<Fix> enginePlan, List<Observation> observed, DaemonView daemon, String fleetOrNull,
      FixPolicy policy) {
    Map<String, Observation> byId = observed.stream().collect(Collectors.toMap(Observation::containerId, Function.identity(),
        (a, b) -> a));
    String daemonFleet = observed.stream().filter(o -> daemon.containerIds().contains(o.containerId()))
        .map(Observation::fleet).filter(f -> f != null).findFirst().orElse(null);
    boolean inScope = fleetOrNull == null || fleetOrNull.equals(daemonFleet);
    List<Fix> fixes = new ArrayList<>();
    for (Fix f : enginePlan) {
      if (f.target() == null || !daemon.containerIds().contains(f.target())) {
        fixes.add(f);
      } else if (f.kind() == Kind.RAISE_MEMORY) {
        fixes.add(memoryProposal(f, daemon.specs().get(f.agent())));
      }
    }
    if (!inScope) {
      return List.copyOf(fixes);
    }
    List<DaemonView.Agent> agents = new ArrayList<>(daemon.agents());
    agents.sort(Comparator.comparing(DaemonView.Agent::name));
    for (DaemonView.Agent a : agents) {
      Observation o = a.containerId() == null ? null : byId.get(a.containerId());
      String name = o != null ? o.name() : a.name();
      if (a.crashLooped()) {
        fixes.add(new Fix(a.containerId(), name, daemonFleet, a.name(), Kind.RESET_VIA_DAEMON,
            "parked in a crash loop by the daemon at " + daemon.url() + (a.lastReason() == null ? "" : " (" + a.lastReason() + ")")
                + "; reset it through the daemon (clears its backoff and crash-loop park)", 0, 0, 0));
      }
      probeProposal(a, name, daemonFleet, daemon.specs().get(a.name()), policy).ifPresent(fixes::add);
    }
    return List.copyOf(fixes);
  }

  /** The engine plan's raised limit, as a change of the agent's memory-limit in the fleet spec. */
  static Fix memoryProposal(Fix raise, AgentSpec specOrNull) {
    String from = specOrNull == null ? "?" : hocon(specOrNull.memoryLimitBytes() > 0 ? specOrNull.memoryLimitBytes()
        : specOrNull.memoryBytes());
    SpecChange change = new SpecChange("agents." + raise.agent() + ".memory-limit", from, hocon(raise.newMemoryLimitBytes()));
    return new Fix(raise.target(), raise.name(), raise.fleet(), raise.agent(), Kind.PROPOSE_SPEC_CHANGE,
        raise.reason() + "; the daemon owns it: put in the fleet spec " + change + " (now " + from + ")",
        raise.newMemoryLimitBytes(), 0, 0, List.of(change));
  }

  /**
   * The probe settings to put in the fleet spec, when the agent's journal since its spec last changed shows
   * probes that hit their timeout or a startup that outlasted the start period; empty otherwise.
   */
  static Optional<Fix> probeProposal(DaemonView.Agent a, String name, String fleet, AgentSpec specOrNull, FixPolicy policy) {
    HealthSpec health = specOrNull == null ? null : specOrNull.health();
    if (health != null && health.kind() == HealthSpec.Kind.NONE) {
      return Optional.empty();
    }
    List<DaemonView.Event> events = a.events();
    int from = 0;
    for (int i = 0; i < events.size(); i++) {
      if ("Registered".equals(events.get(i).type())) {
        from = i + 1;
      }
    }
    Instant runStart = null;
    boolean healthyInRun = false;
    long timeouts = 0;
    Duration longestHit = Duration.ZERO;
    Duration healthyStartup = null;
    Duration failingStartup = null;
    for (DaemonView.Event e : events.subList(from, events.size())) {
      switch (e.type()) {
        case "ContainerStarted" -> {
          runStart = e.at();
          healthyInRun = false;
        }
        case "BecameHealthy" -> {
          if (runStart != null && !healthyInRun) {
            healthyStartup = longer(healthyStartup, Duration.between(runStart, e.at()));
          }
          healthyInRun = true;
        }
        case "BecameUnhealthy" -> {
          Matcher m = TIMED_OUT.matcher(e.reason() == null ? "" : e.reason());
          if (m.find()) {
            timeouts++;
            longestHit = longer(longestHit, Duration.ofMillis(Long.parseLong(m.group(1))));
          } else if (runStart != null && !healthyInRun) {
            failingStartup = longer(failingStartup, Duration.between(runStart, e.at()));
          }
        }
        default -> { }
      }
    }
    if (timeouts == 0 && failingStartup == null) {
      return Optional.empty();
    }
    Duration interval = health != null ? health.interval() : longestHit;
    Duration timeout = health != null ? health.timeout() : longestHit;
    Duration startPeriod = health != null ? health.startPeriod() : Duration.ZERO;
    Optional<Duration> startup = Optional.ofNullable(failingStartup != null ? longer(failingStartup, healthyStartup) : healthyStartup);
    String words = failingStartup != null ? "was still failing its probe" : "became healthy";
    ProbeTuning tuned = ProbeTuning.of(interval, timeout, startPeriod, timeouts, longestHit, startup, words, policy);
    String key = "agents." + a.name() + ".health.";
    List<SpecChange> changes = new ArrayList<>();
    if (!tuned.timeout().equals(timeout) || health == null) {
      changes.add(new SpecChange(key + "timeout", health == null ? "?" : HealthFixPlanner.seconds(timeout),
          HealthFixPlanner.seconds(tuned.timeout())));
    }
    if (!tuned.startPeriod().equals(startPeriod) || health == null) {
      changes.add(new SpecChange(key + "start-period", health == null ? "?" : HealthFixPlanner.seconds(startPeriod),
          HealthFixPlanner.seconds(tuned.startPeriod())));
    }
    String reason = "the daemon's probes (journal since the spec last changed)" + tuned.why()
        + ": put in the fleet spec " + changes.stream().map(c -> c + " (now " + c.from() + ")").collect(Collectors.joining(", "))
        + (health == null ? " (the fleet spec was not read: current values unknown)" : "");
    return Optional.of(new Fix(a.containerId(), name, fleet, a.name(), Kind.PROPOSE_SPEC_CHANGE, reason, 0,
        tuned.startPeriod().toMillis(), tuned.timeout().toMillis(), changes));
  }

  private static Duration longer(Duration a, Duration b) {
    if (a == null) {
      return b;
    }
    return b == null || a.compareTo(b) >= 0 ? a : b;
  }

  /** A size as the fleet spec writes it: {@code 96MiB} when whole MiB, else bytes. */
  static String hocon(long bytes) {
    long mib = 1024L * 1024;
    return bytes % mib == 0 ? bytes / mib + "MiB" : String.valueOf(bytes);
  }
}
