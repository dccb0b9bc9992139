package ai.sutazai.supervisor.agent;

import ai.sutazai.supervisor.protocol.AgentStatus;

import ai.sutazai.supervisor.protocol.AgentEvent;
import ai.sutazai.supervisor.protocol.AgentPhase;

import ai.sutazai.common.CborSerializable;
import ai.sutazai.fleet.AgentSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The state of one agent, rebuilt from its events. Immutable: every {@code apply} returns a new state.
 *
 * @param spec the registered spec; null before registration
 * @param desiredActive the agent should be running
 * @param restartAttempt restarts since the last reset of the backoff (the next delay's exponent)
 * @param restartTimes when the recent restarts happened (the crash-loop window looks at these)
 * @param activationRequestedAt when the pending activation was asked for (cold-start measurement)
 * @param degradedBy dependencies that are down
 */
public record AgentState(
    AgentSpec spec,
    AgentPhase phase,
    boolean desiredActive,
    String containerId,
    int restartAttempt,
    List<Instant> restartTimes,
    long totalRestarts,
    String lastReason,
    Instant since,
    Instant healthySince,
    Instant activationRequestedAt,
    long lastColdStartMillis,
    Set<String> degradedBy)
    implements CborSerializable {

  /** Recent restart times kept; older ones cannot matter to any sensible crash-loop window. */
  private static final int MAX_RESTART_TIMES = 64;

  public static AgentState empty() {
    return new AgentState(null, AgentPhase.INACTIVE, false, null, 0, List.of(), 0, "", Instant.EPOCH, null, null, -1, Set.of());
  }

  public AgentState {
    restartTimes = List.copyOf(restartTimes);
    degradedBy = Set.copyOf(new TreeSet<>(degradedBy));
  }

  public boolean registered() {
    return spec != null;
  }

  /** Restarts within {@code window} before {@code now}. */
  public int restartsWithin(Duration window, Instant now) {
    Instant from = now.minus(window);
    return (int) restartTimes.stream().filter(t -> t.isAfter(from)).count();
  }

  public AgentState apply(AgentEvent event) {
    Instant at = event.at();
    if (event instanceof AgentEvent.Registered e) {
      return with(e.spec(), phase, desiredActive, containerId, lastReason, at);
    } else if (event instanceof AgentEvent.ActivationRequested e) {
      return new AgentState(spec, AgentPhase.ACTIVATING, true, containerId, restartAttempt, restartTimes, totalRestarts,
          e.reason(), at, healthySince, at, lastColdStartMillis, Set.of());
    } else if (event instanceof AgentEvent.ContainerCreated e) {
      return with(spec, phase, desiredActive, e.containerId(), lastReason, since);
    } else if (event instanceof AgentEvent.ContainerStarted e) {
      // A container that comes up while a dependency is down stays degraded until the dependency recovers.
      return with(spec, degradedBy.isEmpty() ? AgentPhase.STARTING : AgentPhase.DEGRADED, desiredActive, e.containerId(),
          lastReason, at);
    } else if (event instanceof AgentEvent.BecameHealthy e) {
      return new AgentState(spec, degradedBy.isEmpty() ? AgentPhase.HEALTHY : AgentPhase.DEGRADED, desiredActive, containerId, restartAttempt, restartTimes, totalRestarts,
          lastReason, at, at, null, e.coldStartMillis() >= 0 ? e.coldStartMillis() : lastColdStartMillis, degradedBy);
    } else if (event instanceof AgentEvent.BecameNotReady e) {
      return with(spec, AgentPhase.NOT_READY, desiredActive, containerId, e.reason(), at);
    } else if (event instanceof AgentEvent.BecameReady) {
      return with(spec, degradedBy.isEmpty() ? AgentPhase.HEALTHY : AgentPhase.DEGRADED, desiredActive, containerId,
          "ready again", at);
    } else if (event instanceof AgentEvent.BecameUnhealthy e) {
      return with(spec, AgentPhase.UNHEALTHY, desiredActive, containerId, e.reason(), at);
    } else if (event instanceof AgentEvent.RestartScheduled e) {
      List<Instant> times = new ArrayList<>(restartTimes);
      times.add(at);
      if (times.size() > MAX_RESTART_TIMES) {
        times = times.subList(times.size() - MAX_RESTART_TIMES, times.size());
      }
      return new AgentState(spec, AgentPhase.RESTARTING, desiredActive, containerId, e.attempt() + 1, times, totalRestarts + 1,
          e.reason(), at, null, activationRequestedAt, lastColdStartMillis, degradedBy);
    } else if (event instanceof AgentEvent.CrashLoopDetected e) {
      return with(spec, AgentPhase.CRASH_LOOP, desiredActive, containerId, e.reason(), at);
    } else if (event instanceof AgentEvent.Degraded e) {
      Set<String> deps = new TreeSet<>(degradedBy);
      deps.add(e.dependency());
      return new AgentState(spec, AgentPhase.DEGRADED, desiredActive, containerId, restartAttempt, restartTimes, totalRestarts,
          "dependency " + e.dependency() + " is down", at, healthySince, activationRequestedAt, lastColdStartMillis, deps);
    } else if (event instanceof AgentEvent.DependencyRecovered e) {
      Set<String> deps = new TreeSet<>(degradedBy);
      deps.remove(e.dependency());
      AgentPhase next = deps.isEmpty() ? AgentPhase.STARTING : AgentPhase.DEGRADED;
      return new AgentState(spec, next, desiredActive, containerId, restartAttempt, restartTimes, totalRestarts,
          lastReason, at, healthySince, activationRequestedAt, lastColdStartMillis, deps);
    } else if (event instanceof AgentEvent.Deactivated e) {
      return new AgentState(spec, AgentPhase.STOPPING, false, containerId, restartAttempt, restartTimes, totalRestarts,
          e.reason(), at, null, null, lastColdStartMillis, Set.of());
    } else if (event instanceof AgentEvent.ContainerStopped) {
      return with(spec, AgentPhase.INACTIVE, false, containerId, lastReason, at);
    } else if (event instanceof AgentEvent.ResetByOperator) {
      return new AgentState(spec, desiredActive ? AgentPhase.ACTIVATING : AgentPhase.INACTIVE, desiredActive, containerId, 0,
          List.of(), totalRestarts, "reset by operator", at, null, desiredActive ? at : null, lastColdStartMillis, Set.of());
    } else if (event instanceof AgentEvent.Removed e) {
      return new AgentState(spec, AgentPhase.REMOVED, false, null, 0, List.of(), totalRestarts, e.reason(), at, null, null,
          lastColdStartMillis, Set.of());
    } else if (event instanceof AgentEvent.LimitsAdjusted) {
      return this; // the limits live in the container and the journal; the lifecycle does not change
    }
    throw new IllegalArgumentException("unknown event " + event);
  }

  private AgentState with(AgentSpec s, AgentPhase p, boolean desired, String cid, String reason, Instant at) {
    return new AgentState(s, p, desired, cid, restartAttempt, restartTimes, totalRestarts, reason, at, healthySince,
        activationRequestedAt, lastColdStartMillis, degradedBy);
  }

  /** What other rooms see of this state: the agent's status as reported by {@code node}. */
  public AgentStatus status(String name, String node) {
    AgentState s = this;
    return new AgentStatus(
        name,
        s.spec() != null ? s.spec().pool() : "default",
        s.phase(),
        s.desiredActive(),
        s.containerId(),
        s.totalRestarts(),
        s.lastReason(),
        s.since(),
        s.lastColdStartMillis(),
        s.degradedBy(),
        s.spec() != null ? s.spec().priority() : 0,
        s.spec() != null ? s.spec().memoryBytes() : 0,
        s.spec() != null ? s.spec().cpus() : 0,
        node);
  }
}
