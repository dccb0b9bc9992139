package ai.sutazai.supervisor.healthfix;

import ai.sutazai.supervisor.agent.AgentState;
import ai.sutazai.supervisor.protocol.AgentEvent;
import ai.sutazai.supervisor.protocol.AgentJournal;
import ai.sutazai.supervisor.protocol.AgentPhase;

import ai.sutazai.capacity.ReportInputs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The health summary of {@code sutazai analyze}, computed from agents' journalled lifecycle events: the
 * state each agent ends in (folded with {@link AgentState#apply}, exactly as the entity recovers), and
 * within the period its restarts, crash loops and the share of its running time spent unhealthy. Pure.
 */
public final class HealthHistory {
  /** Most agents listed individually in the report. */
  static final int MAX_AGENTS_LISTED = 20;

  private HealthHistory() {}

  /** One agent's result; {@code meantToRun} false for agents deactivated (or never activated). */
  record AgentResult(String agent, AgentPhase phase, boolean meantToRun, long restarts, long crashLoops,
      double unhealthySharePercent, String lastReason) {}

  /**
   * Reads {@code agents} of {@code fleet} through {@code journal} (at most {@code maxEventsPerAgent}, newest
   * kept) and summarises them over [from, to].
   */
  public static CompletionStage<Optional<ReportInputs.HealthSummary>> read(AgentJournal journal, String fleet,
      List<String> agents, Instant from, Instant to, int maxEventsPerAgent) {
    Map<String, CompletableFuture<List<AgentJournal.Entry>>> reads = new LinkedHashMap<>();
    for (String agent : agents) {
      reads.put(agent, journal.page(fleet, agent, Long.MAX_VALUE, maxEventsPerAgent).toCompletableFuture());
    }
    return CompletableFuture.allOf(reads.values().toArray(new CompletableFuture<?>[0])).thenApply(done -> {
      Map<String, List<AgentEvent>> events = new LinkedHashMap<>();
      reads.forEach((agent, f) -> {
        List<AgentEvent> list = new ArrayList<>(f.join().stream().map(AgentJournal.Entry::event).toList());
        Collections.reverse(list); // oldest first
        events.put(agent, list);
      });
      return summarize(events, from, to);
    });
  }

  /**
   * The summary over [from, to] of every agent with events in {@code eventsByAgent} (each list oldest
   * first; events before {@code from} count for the state only). Empty when no agent has an event.
   */
  public static Optional<ReportInputs.HealthSummary> summarize(Map<String, List<AgentEvent>> eventsByAgent, Instant from,
      Instant to) {
    List<AgentResult> results = new ArrayList<>();
    eventsByAgent.forEach((agent, events) -> {
      if (!events.isEmpty()) {
        of(agent, events, from, to).ifPresent(results::add);
      }
    });
    if (results.isEmpty()) {
      return Optional.empty();
    }
    int agents = 0;
    int healthy = 0;
    int unhealthy = 0;
    int degraded = 0;
    int crashLooping = 0;
    int inactive = 0;
    long restarts = 0;
    long crashLoops = 0;
    for (AgentResult r : results) {
      restarts += r.restarts();
      crashLoops += r.crashLoops();
      if (!r.meantToRun()) {
        inactive++;
        continue;
      }
      agents++;
      switch (r.phase()) {
        case HEALTHY -> healthy++;
        case UNHEALTHY, RESTARTING -> unhealthy++;
        case DEGRADED -> degraded++;
        case CRASH_LOOP -> crashLooping++;
        default -> { } // activating, starting or stopping: counted in agents only
      }
    }
    List<ReportInputs.AgentHealth> listed = results.stream()
        .filter(r -> r.restarts() > 0 || r.crashLoops() > 0 || r.unhealthySharePercent() > 0
            || (r.meantToRun() && r.phase() != AgentPhase.HEALTHY))
        .sorted(Comparator.comparingLong(AgentResult::restarts).reversed()
            .thenComparing(Comparator.comparingDouble(AgentResult::unhealthySharePercent).reversed())
            .thenComparing(AgentResult::agent))
        .limit(MAX_AGENTS_LISTED)
        .map(r -> new ReportInputs.AgentHealth(r.agent(), stateName(r.phase()), r.restarts(), r.crashLoops(),
            r.unhealthySharePercent(), r.lastReason() == null || r.lastReason().isBlank() ? null : r.lastReason()))
        .toList();
    return Optional.of(new ReportInputs.HealthSummary(from, to, agents, healthy, unhealthy, degraded, crashLooping, inactive,
        restarts, crashLoops, listed));
  }

  /** One agent; empty when it was removed (no longer part of the fleet). */
  static Optional<AgentResult> of(String agent, List<AgentEvent> events, Instant from, Instant to) {
    AgentState state = AgentState.empty();
    Instant phaseStart = from;
    long runningMillis = 0;
    long badMillis = 0;
    long restarts = 0;
    long crashLoops = 0;
    for (AgentEvent e : events) {
      Instant at = e.at();
      if (at.isAfter(to)) {
        break;
      }
      long span = clippedMillis(phaseStart, at, from, to);
      runningMillis += running(state.phase()) ? span : 0;
      badMillis += bad(state.phase()) ? span : 0;
      phaseStart = at.isBefore(from) ? from : at;
      state = state.apply(e);
      boolean inPeriod = !at.isBefore(from);
      if (inPeriod && e instanceof AgentEvent.RestartScheduled) {
        restarts++;
      } else if (inPeriod && e instanceof AgentEvent.CrashLoopDetected) {
        crashLoops++;
      }
    }
    long span = clippedMillis(phaseStart, to, from, to);
    runningMillis += running(state.phase()) ? span : 0;
    badMillis += bad(state.phase()) ? span : 0;
    if (state.phase() == AgentPhase.REMOVED) {
      return Optional.empty();
    }
    boolean meantToRun = running(state.phase()) && state.phase() != AgentPhase.STOPPING;
    double share = runningMillis == 0 ? 0 : badMillis * 100.0 / runningMillis;
    return Optional.of(new AgentResult(agent, state.phase(), meantToRun, restarts, crashLoops, share, state.lastReason()));
  }

  private static long clippedMillis(Instant start, Instant end, Instant from, Instant to) {
    Instant s = start.isBefore(from) ? from : start;
    Instant e = end.isAfter(to) ? to : end;
    return e.isAfter(s) ? Duration.between(s, e).toMillis() : 0;
  }

  /** Meant to be running: its container is wanted (a crash-looping agent is wanted but parked). */
  private static boolean running(AgentPhase p) {
    return p.occupiesResources() || p == AgentPhase.CRASH_LOOP;
  }

  private static boolean bad(AgentPhase p) {
    return p == AgentPhase.UNHEALTHY || p == AgentPhase.RESTARTING || p == AgentPhase.CRASH_LOOP;
  }

  /** "crash-loop", "healthy", ... as the API spells phases. */
  static String stateName(AgentPhase p) {
    return p.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
