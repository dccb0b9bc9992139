package ai.sutazai.supervisor.pool.ledger;

import ai.sutazai.supervisor.pool.ledger.AdmissionPlan;
import ai.sutazai.supervisor.pool.ledger.Budget;
import ai.sutazai.supervisor.pool.ledger.IdleTracker;
import ai.sutazai.supervisor.pool.ledger.PoolEvent;
import ai.sutazai.supervisor.pool.ledger.PoolGraph;
import ai.sutazai.supervisor.pool.ledger.PoolState;
import ai.sutazai.supervisor.pool.ledger.PoolWants;
import ai.sutazai.supervisor.pool.ledger.QueueDecisions;
import ai.sutazai.supervisor.protocol.ActivationSource;
import ai.sutazai.supervisor.protocol.QueueEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.DependencyGraph;
import ai.sutazai.fleet.HealthSpec;
import ai.sutazai.fleet.PoolSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A queue drain gives the same events, in the same order, as the walk over the whole queue it replaces:
 * once the quota is full only requests past their deadline and requests for agents already running as a
 * dependency still change, and those are now looked up.
 */
class QueueDrainTest {
  private static final Instant NOW = Instant.parse("2026-11-27T08:00:00Z");

  private static AgentSpec spec(String name, List<String> deps) {
    return new AgentSpec(name, "sim/image", List.of(), Map.of(), 16L << 20, 16L << 20, 0.1, 0, deps, null,
        HealthSpec.NONE, List.of(), AgentSpec.Activation.ON_DEMAND, "default", null, null);
  }

  /** The former drain: every entry of the queue walked, in order. */
  private static List<PoolEvent> walk(PoolState s, AdmissionPlan plan, PoolWants wants, PoolGraph graph, Instant now) {
    List<PoolEvent> events = new ArrayList<>();
    for (QueueEntry e : s.queue()) {
      if (e.deadline() != null && !e.deadline().isAfter(now)) {
        events.add(new PoolEvent.Rejected(e.seq(), e.agent(), "rejected " + e.agent() + ": deadline passed after waiting "
            + IdleTracker.human(Duration.between(e.requestedAt(), now)) + " in the queue; " + plan.usage(), now));
      } else if (wants.wanted(e.agent())) {
        events.add(new PoolEvent.Admitted(e.seq(), e.agent(), "admitted " + e.agent() + ": already running as a dependency", now));
      } else if (plan.full()) {
        continue;
      } else if (plan.tryAdmit(graph.closure(e.agent())) == null) {
        events.add(new PoolEvent.Admitted(e.seq(), e.agent(), "admitted " + e.agent() + " after waiting "
            + IdleTracker.human(Duration.between(e.requestedAt(), now)) + " (" + e.source().name().toLowerCase(java.util.Locale.ROOT)
            + "): " + plan.usage(), now));
      }
    }
    return events;
  }

  @Test
  void sameEventsInTheSameOrderAsWalkingTheWholeQueue() {
    Map<String, AgentSpec> specs = new LinkedHashMap<>();
    Map<String, List<String>> edges = new LinkedHashMap<>();
    for (int i = 0; i < 10; i++) {
      specs.put("dep-" + i, spec("dep-" + i, List.of()));
      edges.put("dep-" + i, List.of());
    }
    for (int i = 0; i < 200; i++) {
      List<String> deps = i < 40 ? List.of("dep-" + (i % 10)) : List.of();
      specs.put("agent-" + i, spec("agent-" + i, deps));
      edges.put("agent-" + i, deps);
    }
    PoolGraph graph = new PoolGraph(DependencyGraph.of(edges), specs.keySet());
    Random random = new Random(11);
    int nonEmpty = 0;
    for (int round = 0; round < 300; round++) {
      PoolWants wants = new PoolWants(specs, graph, new HashMap<>(), Set.of());
      int running = random.nextInt(round % 2 == 0 ? 4 : 60);
      PoolState s = PoolState.empty();
      for (int i = 0; i < running; i++) {
        String a = "agent-" + random.nextInt(200);
        wants.add(a);
        s = s.apply(new PoolEvent.Admitted(-1, a, "admitted", NOW));
      }
      int queued = random.nextInt(round % 3 == 0 ? 5 : 150);
      for (int i = 0; i < queued; i++) {
        String a = random.nextInt(5) == 0 ? "dep-" + random.nextInt(10) : "agent-" + random.nextInt(200);
        Instant deadline = switch (random.nextInt(4)) {
          case 0 -> NOW.minusSeconds(random.nextInt(10));
          case 1 -> NOW.plusSeconds(1 + random.nextInt(10));
          default -> null;
        };
        s = s.apply(new PoolEvent.Queued(new QueueEntry(s.nextSeq(), a, random.nextInt(3), ActivationSource.API, "test",
            NOW.minusSeconds(30), deadline), "queued", NOW));
      }
      PoolSpec pool = new PoolSpec("default", wants.occupancy().count() + random.nextInt(6), 64L << 30, 64, 0);
      Budget budget = new Budget(pool.maxActive(), pool.memoryBudgetBytes(), pool.cpuBudget());
      QueueDecisions decisions = new QueueDecisions(pool, specs, graph, wants);
      List<PoolEvent> expected = walk(s, new AdmissionPlan(budget, wants.occupancy(), specs), wants, graph, NOW);
      List<PoolEvent> drained = decisions.drain(s, budget, NOW);
      assertEquals(expected, drained, "round " + round);
      nonEmpty += drained.isEmpty() ? 0 : 1;
    }
    assertTrue(nonEmpty > 100, "the rounds exercise admissions, rejections and dependencies: " + nonEmpty);
  }

  @Test
  void dueByListsPassedDeadlinesSoonestFirst() {
    PoolState s = PoolState.empty();
    int[] offsets = {5, -3, -10, 0, 7, -1};
    for (int i = 0; i < offsets.length; i++) {
      s = s.apply(new PoolEvent.Queued(new QueueEntry(i + 1, "a" + i, 0, ActivationSource.API, "t", NOW,
          NOW.plusSeconds(offsets[i])), "queued", NOW));
    }
    s = s.apply(new PoolEvent.Queued(new QueueEntry(9, "none", 0, ActivationSource.API, "t", NOW, null), "queued", NOW));
    assertEquals(List.of("a2", "a1", "a5", "a3"), s.dueBy(NOW).stream().map(QueueEntry::agent).toList());
    PoolState rejected = s.apply(new PoolEvent.Rejected(2, "a1", "deadline", NOW));
    assertEquals(List.of("a2", "a5", "a3"), rejected.dueBy(NOW).stream().map(QueueEntry::agent).toList());
  }
}
