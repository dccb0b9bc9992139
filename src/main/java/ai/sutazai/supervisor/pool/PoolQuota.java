package ai.sutazai.supervisor.pool;

import ai.sutazai.supervisor.pool.ledger.Occupancy;

import ai.sutazai.supervisor.pool.ledger.ActivationDecider;
import ai.sutazai.supervisor.pool.ledger.AdmissionPlan;
import ai.sutazai.supervisor.pool.ledger.Budget;
import ai.sutazai.supervisor.pool.ledger.IdleTracker;
import ai.sutazai.supervisor.pool.ledger.PoolEvent;
import ai.sutazai.supervisor.pool.ledger.PoolState;
import ai.sutazai.supervisor.pool.ledger.PoolWants;
import ai.sutazai.supervisor.pool.ledger.QueueDecisions;
import ai.sutazai.supervisor.protocol.ActivationResult;
import ai.sutazai.supervisor.protocol.PoolStatus;
import ai.sutazai.supervisor.protocol.QueueEntry;
import ai.sutazai.supervisor.protocol.ScalingDecision;
import ai.sutazai.supervisor.settings.QuotaSettings;

import ai.sutazai.capacity.CapacityAnalysis;
import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.PoolSpec;
import akka.pattern.StatusReply;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An {@link AgentPool}'s quota: the budget in force and the commands decided against it (a batch of
 * activation requests, a deactivation, a quota change), as functions of the ledger state. Returns the
 * events; the pool journals them and then acts and answers. Used only from the pool's actor thread.
 */
final class PoolQuota {
  /** The decisions on a batch: the events, and the answer to each request (in order) from the state after journalling. */
  record Batch(List<PoolEvent> events, List<AgentPool.Activate> requests,
      List<Function<PoolState, ActivationResult>> replies) {
    /** Answers every request from the state after journalling; each took from {@code received} (System.nanoTime). */
    void answer(PoolState after, DecisionTimer timer, long received) {
      long took = System.nanoTime() - received;
      for (int i = 0; i < requests.size(); i++) {
        requests.get(i).replyTo().tell(StatusReply.success(replies.get(i).apply(after)));
        timer.requestJournalled(took);
      }
    }
  }

  /** A quota change: the problems with it ({@code null} when none), else the events. */
  record QuotaChange(String error, List<PoolEvent> events) {}

  private final PoolSpec spec;
  private final Map<String, AgentSpec> specs;
  private final CapacityAnalysis.Host host;
  private final QuotaSettings settings;
  private final PoolWants wants;
  private final QueueDecisions queue;
  private final ActivationDecider decider;
  private final IdleTracker idle;
  private final DecisionTimer timer;
  private Budget budget;

  PoolQuota(PoolSpec spec, Map<String, AgentSpec> specs, CapacityAnalysis.Host host, QuotaSettings settings,
      PoolWants wants, QueueDecisions queue, ActivationDecider decider, IdleTracker idle, DecisionTimer timer) {
    this.spec = spec;
    this.specs = specs;
    this.host = host;
    this.settings = settings;
    this.wants = wants;
    this.queue = queue;
    this.decider = decider;
    this.idle = idle;
    this.timer = timer;
    this.budget = Budget.resolve(spec, host, settings.targets());
  }

  /** The budget in force. */
  Budget budget() {
    return budget;
  }

  /** Takes the budget from the ledger (after recovery or a journalled quota change). */
  void refresh(PoolState s) {
    budget = Budget.resolve(quotaOf(s), host, settings.targets());
  }

  PoolStatus status(PoolState s) {
    Budget b = Budget.resolve(quotaOf(s), host, settings.targets());
    Occupancy o = wants.occupancy();
    return new PoolStatus(spec.name(), b.maxActive(), b.memoryBytes(), b.cpus(), o.memoryBytes(), o.cpus(), o.count(),
        PoolStatus.queueOf(s.queue(), Instant.now()));
  }

  private PoolSpec quotaOf(PoolState s) {
    return s.quota() != null ? s.quota() : spec;
  }

  /**
   * Decides a batch of requests (see {@link ActivationInbox}) in arrival order, each against the state the
   * earlier ones leave; requests for agents of other pools are answered with an error at once.
   */
  Batch decide(PoolState s, List<AgentPool.Activate> requests) {
    Instant now = Instant.now();
    AdmissionPlan plan = new AdmissionPlan(budget, wants.occupancy(), specs);
    PoolState projected = s;
    List<PoolEvent> events = new ArrayList<>();
    List<AgentPool.Activate> batch = new ArrayList<>(requests.size());
    List<Function<PoolState, ActivationResult>> replies = new ArrayList<>(requests.size());
    for (AgentPool.Activate a : requests) {
      if (!specs.containsKey(a.agent())) {
        a.replyTo().tell(StatusReply.error("agent " + a.agent() + " is not in pool " + spec.name()));
        continue;
      }
      long t = System.nanoTime();
      ActivationDecider.Outcome o = decider.decide(projected, plan, new ActivationDecider.Request(a.agent(), a.source(), a.reason(), a.deadline()), budget, idle, now);
      timer.computed(System.nanoTime() - t);
      for (PoolEvent e : o.events()) {
        projected = projected.apply(e);
        events.add(e);
      }
      batch.add(a);
      replies.add(o.reply());
    }
    return new Batch(events, batch, replies);
  }

  /** Cancels the agent's queued requests and releases it (and dependencies no active agent needs) if requested. */
  List<PoolEvent> deactivate(PoolState s, String agent, String reason) {
    Instant now = Instant.now();
    List<PoolEvent> events = new ArrayList<>();
    for (QueueEntry e : s.queuedEntries(agent)) {
      events.add(new PoolEvent.Rejected(e.seq(), agent, "cancelled " + agent + ": " + reason, now));
    }
    if (s.requested().contains(agent)) {
      events.addAll(wants.release(s, Map.of(agent, new PoolWants.Release(ScalingDecision.Kind.STOPPED,
          "stopped " + agent + ": " + reason)), now));
    }
    return events;
  }

  /** A new quota (a null field keeps its value), then the queue drained against it. */
  QuotaChange change(PoolState s, AgentPool.SetQuota m) {
    PoolSpec current = quotaOf(s);
    List<String> problems = QueueDecisions.quotaProblems(m.maxActive(), m.memoryBudgetBytes(), m.cpuBudget());
    if (!problems.isEmpty()) {
      return new QuotaChange("pool " + spec.name() + ": " + String.join("; ", problems), List.of());
    }
    PoolSpec next = new PoolSpec(spec.name(), m.maxActive() != null ? m.maxActive() : current.maxActive(),
        m.memoryBudgetBytes() != null ? m.memoryBudgetBytes() : current.memoryBudgetBytes(),
        m.cpuBudget() != null ? m.cpuBudget() : current.cpuBudget(), spec.minActive(), spec.restartBudget());
    Budget b = Budget.resolve(next, host, settings.targets());
    Instant now = Instant.now();
    List<PoolEvent> events = new ArrayList<>();
    events.add(new PoolEvent.QuotaChanged(next.maxActive(), next.memoryBudgetBytes(), next.cpuBudget(),
        "quota of pool " + spec.name() + " set to " + b.maxActive() + " agents, " + Budget.size(b.memoryBytes()) + ", "
            + Budget.cores(b.cpus()) + " cores; in use " + new AdmissionPlan(b, wants.occupancy(), specs).usage(), now));
    events.addAll(queue.drain(s, b, now));
    return new QuotaChange(null, events);
  }
}
