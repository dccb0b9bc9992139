package ai.sutazai.inference.routing;

import ai.sutazai.inference.routing.LeastCostPolicy;
import ai.sutazai.inference.routing.RoundRobinPolicy;
import ai.sutazai.inference.routing.RoutingPolicy;
import ai.sutazai.inference.routing.WorkerView;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutingPolicyTest {
  private static final String M = "llama3.2:latest";
  private static final long NOW = 1_000_000_000_000L;
  private final LeastCostPolicy policy = new LeastCostPolicy(2, 30_000_000_000L, 0);

  private static WorkerView w(String name, Set<String> loaded, int inFlight) {
    return new WorkerView(name, true, Set.of(M, "other:latest", "third:latest"), loaded, Map.of(),
        inFlight == 0 ? Map.of() : Map.of(M, inFlight), Long.MIN_VALUE);
  }

  @Test
  void prefersAWorkerWithTheModelLoadedAndAFreeSlot() {
    var d = policy.decide(M, null, Set.of(), List.of(w("a", Set.of(), 0), w("b", Set.of(M), 1)), NOW);
    assertEquals(new RoutingPolicy.Dispatch("b", 1), d);
  }

  @Test
  void waitsForALoadedWorkerRatherThanLoadingTheModelElsewhere() {
    var d = policy.decide(M, null, Set.of(), List.of(w("a", Set.of(), 0), w("b", Set.of(M), 2)), NOW);
    assertEquals(new RoutingPolicy.Wait(), d);
  }

  @Test
  void ruleTwoSendsToTheShortestWorkerQueueWhenWorkerQueuesAreAllowed() {
    var allowQueue = new LeastCostPolicy(2, 0, 3);
    var d = allowQueue.decide(M, null, Set.of(), List.of(w("a", Set.of(M), 4), w("b", Set.of(M), 3)), NOW);
    assertEquals(new RoutingPolicy.Dispatch("b", 2), d);
  }

  @Test
  void loadsWhereFewestModelsAreLoadedAndNotRecentlySwapped() {
    WorkerView busy = w("a", Set.of("other:latest", "third:latest"), 0);
    WorkerView recent = new WorkerView("b", true, Set.of(M), Set.of(), Map.of(), Map.of(), NOW - 1_000_000);
    WorkerView idle = w("c", Set.of("other:latest"), 0);
    assertEquals(new RoutingPolicy.Dispatch("c", 3), policy.decide(M, null, Set.of(), List.of(busy, recent, idle), NOW));
  }

  @Test
  void neverPicksAWorkerThatLacksTheModel() {
    WorkerView lacks = new WorkerView("a", true, Set.of("other:latest"), Set.of("other:latest"), Map.of(), Map.of(),
        Long.MIN_VALUE);
    assertEquals(new RoutingPolicy.NotFound(), policy.decide(M, null, Set.of(), List.of(lacks), NOW));
    assertEquals(new RoutingPolicy.NotFound(), new RoundRobinPolicy().decide(M, null, Set.of(), List.of(lacks), NOW));
  }

  @Test
  void unavailableWhenOnlyBrokenWorkersHaveTheModel() {
    WorkerView down = new WorkerView("a", false, Set.of(M), Set.of(M), Map.of(), Map.of(), Long.MIN_VALUE);
    assertEquals(new RoutingPolicy.Unavailable(), policy.decide(M, null, Set.of(), List.of(down), NOW));
  }

  @Test
  void keepsAnAgentOnItsWorkerWhileThatWorkerHasAFreeSlot() {
    List<WorkerView> ws = List.of(w("a", Set.of(M), 0), w("b", Set.of(M), 1));
    assertEquals(new RoutingPolicy.Dispatch("b", 0), policy.decide(M, "b", Set.of(), ws, NOW));
    List<WorkerView> stickyFull = List.of(w("a", Set.of(M), 0), w("b", Set.of(M), 2));
    assertEquals(new RoutingPolicy.Dispatch("a", 1), policy.decide(M, "b", Set.of(), stickyFull, NOW));
  }

  @Test
  void excludedWorkersAreSkippedOnRetry() {
    List<WorkerView> ws = List.of(w("a", Set.of(M), 0), w("b", Set.of(), 0));
    assertEquals(new RoutingPolicy.Dispatch("b", 3), policy.decide(M, null, Set.of("a"), ws, NOW));
  }

  @Test
  void roundRobinRotatesBlindToLoadedModels() {
    RoundRobinPolicy rr = new RoundRobinPolicy();
    List<WorkerView> ws = List.of(w("a", Set.of(M), 0), w("b", Set.of(), 0), w("c", Set.of(), 0));
    assertEquals("a", ((RoutingPolicy.Dispatch) rr.decide(M, null, Set.of(), ws, NOW)).worker());
    assertEquals("b", ((RoutingPolicy.Dispatch) rr.decide(M, null, Set.of(), ws, NOW)).worker());
    assertEquals("c", ((RoutingPolicy.Dispatch) rr.decide(M, null, Set.of(), ws, NOW)).worker());
    assertEquals("a", ((RoutingPolicy.Dispatch) rr.decide(M, null, Set.of(), ws, NOW)).worker());
  }
}
