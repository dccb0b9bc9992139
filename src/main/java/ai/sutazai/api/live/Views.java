package ai.sutazai.api.live;

import ai.sutazai.api.view.AgentState;
import ai.sutazai.api.view.AgentView;
import ai.sutazai.api.view.DecisionView;
import ai.sutazai.api.view.EventView;
import ai.sutazai.api.view.PoolView;
import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.fleet.PoolSpec;
import ai.sutazai.supervisor.protocol.AgentEvent;
import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.protocol.PoolStatus;
import ai.sutazai.supervisor.protocol.ScalingDecision;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Maps the supervisor's protocol records onto the API's views. Pure. */
final class Views {
  private Views() {}

  static AgentState state(AgentStatus s, boolean queued) {
    if (queued) {
      return AgentState.QUEUED;
    }
    AgentPhase p = s == null ? AgentPhase.INACTIVE : s.phase();
    return switch (p) {
      case INACTIVE, REMOVED -> AgentState.INACTIVE;
      case ACTIVATING, STARTING, RESTARTING -> AgentState.STARTING;
      case HEALTHY -> AgentState.HEALTHY;
      case UNHEALTHY, DEGRADED, NOT_READY -> AgentState.UNHEALTHY;
      case CRASH_LOOP -> AgentState.CRASH_LOOP;
      case STOPPING -> AgentState.STOPPING;
    };
  }

  /** The event's type as the API shows it, e.g. "RestartScheduled". */
  static String type(AgentEvent e) {
    return e.getClass().getSimpleName();
  }

  static EventView event(String agent, long seqNr, AgentEvent e) {
    return new EventView(agent, seqNr, e.at(), type(e), e.describe());
  }

  static AgentView agent(AgentSpec spec, AgentStatus s, Integer queuePosition, Double p95Seconds, EventView last,
      int heldRequests) {
    return agent(spec, s, queuePosition, p95Seconds, last, heldRequests, null);
  }

  /**
   * The agent's view; {@code pool} is its pool's status as the supervisor gave it (null when the pool could not be
   * reached and was never heard from): stale unless the pool itself answered.
   */
  static AgentView agent(AgentSpec spec, AgentStatus s, Integer queuePosition, Double p95Seconds, EventView last,
      int heldRequests, PoolStatus pool) {
    boolean stale = pool == null || pool.staleSince() != null;
    return new AgentView(spec.name(), spec.pool(), state(s, queuePosition != null), spec.priority(),
        spec.activation().name().toLowerCase(Locale.ROOT).replace('_', '-'), s == null ? null : s.containerId(),
        s == null ? null : s.node(), s == null ? 0 : (int) Math.min(Integer.MAX_VALUE, s.totalRestarts()), spec.memoryBytes(), spec.cpus(),
        spec.dependsOn(), spec.models(), queuePosition, p95Seconds, last, heldRequests,
        s == null || s.lastColdStartMillis() < 0 ? null : s.lastColdStartMillis(), stale,
        pool == null ? null : pool.staleSince());
  }

  static DecisionView decision(ScalingDecision d) {
    return new DecisionView(d.pool(), d.kind().name(), d.agent() == null ? "" : d.agent(), d.reason(), d.at());
  }

  static PoolView pool(PoolStatus p, FleetSpec fleet) {
    PoolSpec spec = fleet.pools().get(p.name());
    int minActive = spec == null ? 0 : spec.minActive();
    List<PoolView.QueueEntry> queue = p.queue().stream()
        .map(q -> new PoolView.QueueEntry(q.agent(), q.position(), q.priority(), q.waitingMillis())).toList();
    return new PoolView(p.name(), new PoolView.Quota(p.maxActive(), p.memoryBudgetBytes(), p.cpuBudget(), minActive),
        new PoolView.Usage(p.activeCount(), p.usedMemoryBytes(), p.usedCpus()), queue);
  }

  /** Queue position of every waiting agent, over all pools. */
  static Map<String, Integer> positions(List<PoolStatus> pools) {
    Map<String, Integer> out = new java.util.HashMap<>();
    for (PoolStatus p : pools) {
      p.queue().forEach(q -> out.put(q.agent(), q.position()));
    }
    return out;
  }
}
