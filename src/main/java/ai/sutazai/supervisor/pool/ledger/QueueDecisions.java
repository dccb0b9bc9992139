package ai.sutazai.supervisor.pool.ledger;

import ai.sutazai.supervisor.protocol.ActivationSource;
import ai.sutazai.supervisor.protocol.QueueEntry;
import ai.sutazai.supervisor.protocol.ScalingDecision;
import ai.sutazai.supervisor.settings.SupervisorSettings;

import ai.sutazai.capacity.CapacityAnalysis;
import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.PoolSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The queue side of a pool's decisions, as functions of its ledger state and its current occupancy: drain
 * the queue as far as the quota allows (in queue order, a request that does not fit keeps its place while
 * smaller ones behind it may go), reject requests whose deadline passed, admit always-on agents at boot,
 * and on each tick stop idle agents or preempt for the first waiting request. Returns events; the pool
 * journals them and then acts.
 */
public final class QueueDecisions {
  private final PoolSpec spec;
  private final Map<String, AgentSpec> specs;
  private final PoolGraph graph;
  private final PoolWants wants;

  public QueueDecisions(PoolSpec spec, Map<String, AgentSpec> specs, PoolGraph graph, PoolWants wants) {
    this.spec = spec;
    this.specs = specs;
    this.graph = graph;
    this.wants = wants;
  }

  /** Admits queued requests, in queue order, as far as the quota allows; rejects those whose deadline passed. */
  public List<PoolEvent> drain(PoolState s, Budget b, Instant now) {
    return drain(s, new AdmissionPlan(b, wants.occupancy(), specs), now);
  }

  /** As {@link #drain(PoolState, Budget, Instant)}, on top of the decisions already in {@code plan}. */
  public List<PoolEvent> drain(PoolState s, AdmissionPlan plan, Instant now) {
    List<PoolEvent> events = new ArrayList<>();
    int walked = 0;
    for (QueueEntry e : s.queue()) {
      if (!wants.knows(e.agent())) {
        walked++;
        continue; // left the pool's fleet spec: rejected at boot
      }
      if (passed(e, now)) {
        events.add(rejected(e, plan, now));
      } else if (wants.wanted(e.agent())) {
        events.add(alreadyRunning(e, now));
      } else if (plan.full()) {
        // the plan stays full: only deadlines and agents already running can still change anything
        events.addAll(whileFull(s, e, s.queue().size() - walked, plan, now));
        break;
      } else if (plan.tryAdmit(graph.closure(e.agent())) == null) {
        events.add(new PoolEvent.Admitted(e.seq(), e.agent(), "admitted " + e.agent() + " after waiting "
            + IdleTracker.human(Duration.between(e.requestedAt(), now)) + " (" + e.source().name().toLowerCase(java.util.Locale.ROOT)
            + "): " + plan.usage(), now));
      }
      walked++;
    }
    return events;
  }

  /**
   * The rest of a drain once the plan is full, from {@code from} on ({@code left} entries): what the walk
   * would have found, in queue order, looked up instead of walked: requests past their deadline (deadline
   * index), and requests for agents already running (the fewer of the wanted agents and the entries left).
   */
  private List<PoolEvent> whileFull(PoolState s, QueueEntry from, int left, AdmissionPlan plan, Instant now) {
    TreeSet<QueueEntry> found = new TreeSet<>(QueueEntry::compare);
    for (QueueEntry e : s.dueBy(now)) {
      if (QueueEntry.compare(e, from) >= 0) {
        found.add(e);
      }
    }
    Set<String> running = wants.wantedAgents();
    if (running.size() < left) {
      for (String a : running) {
        for (QueueEntry e : s.queuedEntries(a)) {
          if (QueueEntry.compare(e, from) >= 0) {
            found.add(e);
          }
        }
      }
    } else {
      int i = s.queue().size() - left;
      for (Iterator<QueueEntry> it = s.queue().listIterator(i); it.hasNext(); ) {
        QueueEntry e = it.next();
        if (running.contains(e.agent())) {
          found.add(e);
        }
      }
    }
    List<PoolEvent> events = new ArrayList<>(found.size());
    for (QueueEntry e : found) {
      events.add(passed(e, now) ? rejected(e, plan, now) : alreadyRunning(e, now));
    }
    return events;
  }

  private static boolean passed(QueueEntry e, Instant now) {
    return e.deadline() != null && !e.deadline().isAfter(now);
  }

  private static PoolEvent alreadyRunning(QueueEntry e, Instant now) {
    return new PoolEvent.Admitted(e.seq(), e.agent(), "admitted " + e.agent() + ": already running as a dependency", now);
  }

  private static PoolEvent rejected(QueueEntry e, AdmissionPlan plan, Instant now) {
    return new PoolEvent.Rejected(e.seq(), e.agent(), "rejected " + e.agent() + ": deadline passed after waiting "
        + IdleTracker.human(Duration.between(e.requestedAt(), now)) + " in the queue; " + plan.usage(), now);
  }

  /** Queues (or admits) always-on and min-active agents the ledger does not hold yet, in admission order. */
  public List<PoolEvent> boot(PoolState s, Budget budget, Instant now) {
    List<PoolEvent> events = new ArrayList<>(departed(s, now));
    AdmissionPlan plan = new AdmissionPlan(budget, wants.occupancy(), specs);
    long seq = s.nextSeq();
    List<AgentSpec> exempt = specs.values().stream().filter(a -> wants.exempt(a.name()))
        .sorted(CapacityAnalysis.admissionOrder()).toList();
    for (AgentSpec a : exempt) {
      if (s.requested().contains(a.name()) || s.queued(a.name())) {
        continue;
      }
      String by = a.activation() == AgentSpec.Activation.ALWAYS ? "activation = always" : "min-active " + spec.minActive();
      String why = plan.tryAdmit(graph.closure(a.name()));
      if (why == null) {
        events.add(new PoolEvent.Admitted(-1, a.name(), "admitted " + a.name() + " (boot: " + by + "): " + plan.usage(), now));
      } else {
        events.add(new PoolEvent.Queued(new QueueEntry(seq++, a.name(), a.priority(), ActivationSource.BOOT, by, now, null),
            "queued " + a.name() + ": " + why, now));
      }
    }
    return events;
  }

  /**
   * Agents the ledger names that are no longer this pool's in the fleet spec (removed from the fleet, or
   * moved to another pool): their admission is released and their queued requests rejected, with why.
   */
  private List<PoolEvent> departed(PoolState s, Instant now) {
    List<PoolEvent> events = new ArrayList<>();
    String why = ": no longer in pool " + spec.name() + " (fleet spec)";
    for (String a : s.requested()) {
      if (!wants.knows(a)) {
        events.add(new PoolEvent.Released(a, ScalingDecision.Kind.RELEASED, "released " + a + why, now));
      }
    }
    for (QueueEntry e : s.queue()) {
      if (!wants.knows(e.agent())) {
        events.add(new PoolEvent.Rejected(e.seq(), e.agent(), "rejected " + e.agent() + why, now));
      }
    }
    return events;
  }

  /** Deadlines, idle agents, preemption for the first waiting request that does not fit. */
  public List<PoolEvent> tick(PoolState s, Budget budget, IdleTracker idle, SupervisorSettings settings, Instant now) {
    List<PoolEvent> events = new ArrayList<>(drain(s, budget, now));
    if (!events.isEmpty()) {
      return events;
    }
    events.addAll(wants.idleReleases(s, idle, settings, now));
    if (events.isEmpty() && !s.queue().isEmpty()) {
      events.addAll(wants.preemptFor(s, s.queue().get(0), budget, idle, now));
    }
    return events;
  }

  /** What is wrong with a runtime quota change; empty when it is valid. Null fields keep their value. */
  public static List<String> quotaProblems(Integer maxActive, Long memoryBudgetBytes, Double cpuBudget) {
    List<String> problems = new ArrayList<>();
    if (maxActive != null && maxActive < 0) {
      problems.add("maxActive must be 0 or more, got " + maxActive);
    }
    if (memoryBudgetBytes != null && memoryBudgetBytes < 0) {
      problems.add("memoryBudgetBytes must be 0 (host memory x target) or more, got " + memoryBudgetBytes);
    }
    if (cpuBudget != null && (cpuBudget < 0 || cpuBudget.isNaN() || cpuBudget.isInfinite())) {
      problems.add("cpuBudget must be 0 (host cores x target) or more, got " + cpuBudget);
    }
    return problems;
  }
}
