package ai.sutazai.supervisor.pool.ledger;

import ai.sutazai.supervisor.protocol.ActivationSource;


import ai.sutazai.supervisor.protocol.ActivationResult;
import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.protocol.QueueEntry;

import ai.sutazai.fleet.AgentSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Decides one activation request against the pool's ledger state as projected by the decisions made
 * before it in the same batch, and the admission plan they share: admitted now, queued (possibly
 * preempting idle lower-priority agents), or rejected. Returns the events to journal and how to answer
 * once they are journalled.
 */
public final class ActivationDecider {
  /** The events of one decision and the answer, computed from the state after journalling. */
  public record Outcome(List<PoolEvent> events, Function<PoolState, ActivationResult> reply) {}

  private final Map<String, AgentSpec> specs;
  private final PoolGraph graph;
  private final PoolWants wants;
  private final Map<String, AgentStatus> statuses;

  /** One activation request: which agent, who asks and why, and when it is rejected if still waiting (null = never). */
  public record Request(String agent, ActivationSource source, String reason, Instant deadline) {}

  public ActivationDecider(Map<String, AgentSpec> specs, PoolGraph graph, PoolWants wants, Map<String, AgentStatus> statuses) {
    this.specs = specs;
    this.graph = graph;
    this.wants = wants;
    this.statuses = statuses;
  }

  public Outcome decide(PoolState s, AdmissionPlan plan, Request m, Budget budget, IdleTracker idle, Instant now) {
    AgentSpec a = specs.get(m.agent());
    String name = a.name();
    idle.touch(name, now);
    String by = m.source().name().toLowerCase(Locale.ROOT) + (m.reason() == null || m.reason().isBlank() ? "" : ": " + m.reason());
    AgentStatus st = statuses.get(name);
    if (st != null && st.phase() == AgentPhase.CRASH_LOOP) {
      return rejected(-1, name, "rejected " + name + ": parked in a crash loop (" + st.lastReason() + "); reset it first", now);
    }
    if (s.requested().contains(name)) {
      return new Outcome(List.of(), after -> running(name));
    }
    if (wants.wanted(name) || plan.planned(name)) {
      return new Outcome(List.of(new PoolEvent.Admitted(-1, name, "admitted " + name + " (" + by
          + "): already running as a dependency", now)), after -> running(name));
    }
    if (s.queued(name)) {
      return new Outcome(List.of(), after -> queued(after, name, "already queued"));
    }
    List<String> closure = graph.closure(name);
    String never = plan.neverFits(closure);
    if (never != null) {
      return rejected(-1, name, "rejected " + name + ": " + never, now);
    }
    String why = plan.tryAdmit(closure);
    if (why == null) {
      return new Outcome(List.of(new PoolEvent.Admitted(-1, name, "admitted " + name + " (" + by + "): " + plan.usage(), now)),
          after -> running(name));
    }
    if (m.deadline() != null && !m.deadline().isAfter(now)) {
      return rejected(-1, name, "rejected " + name + ": deadline already passed; " + why, now);
    }
    QueueEntry entry = new QueueEntry(s.nextSeq(), name, a.priority(), m.source(), by, now, m.deadline());
    List<PoolEvent> events = new ArrayList<>();
    events.add(new PoolEvent.Queued(entry, "queued " + name + ": " + why, now));
    events.addAll(wants.preemptFor(s, entry, budget, idle, now));
    return new Outcome(events, after -> queued(after, name, why));
  }

  private static Outcome rejected(long seq, String agent, String reason, Instant now) {
    return new Outcome(List.of(new PoolEvent.Rejected(seq, agent, reason, now)),
        after -> new ActivationResult(ActivationResult.Outcome.REJECTED, agent, 0, 0, reason));
  }

  private ActivationResult running(String agent) {
    AgentStatus st = statuses.get(agent);
    boolean healthy = st != null && st.phase() == AgentPhase.HEALTHY;
    return new ActivationResult(healthy ? ActivationResult.Outcome.ACTIVE : ActivationResult.Outcome.STARTING, agent, 0, 0,
        healthy ? "running" : "starting");
  }

  private static ActivationResult queued(PoolState s, String agent, String why) {
    return new ActivationResult(ActivationResult.Outcome.QUEUED, agent, s.position(agent), s.queue().size(), why);
  }
}
