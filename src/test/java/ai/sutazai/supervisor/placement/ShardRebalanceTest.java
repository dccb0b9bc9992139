package ai.sutazai.supervisor.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.supervisor.placement.ClusterPlacement.Demand;
import ai.sutazai.supervisor.placement.ClusterPlacement.NodeCapacity;
import ai.sutazai.supervisor.placement.ShardRebalance.Move;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The rebalance rule on its own: which shard moves when a node joins later. */
class ShardRebalanceTest {
  private static final long GIB = 1024L * 1024 * 1024;
  private static final String A = "akka://sutazai@127.0.0.1:2551";
  private static final String B = "akka://sutazai@127.0.0.1:2552";
  private static final String C = "akka://sutazai@127.0.0.1:2553";
  private static final List<NodeCapacity> THREE = List.of(new NodeCapacity(A, 8 * GIB, 4), new NodeCapacity(B, 8 * GIB, 4),
      new NodeCapacity(C, 8 * GIB, 4));

  @Test
  void nodesThatJoinLaterGetTheirShareOneShardAtATimeAndItSettles() {
    Map<String, List<String>> byNode = new HashMap<>();
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      all.add("s" + i);
    }
    byNode.put(A, new ArrayList<>(all));
    byNode.put(B, new ArrayList<>());
    byNode.put(C, new ArrayList<>());
    int moves = 0;
    for (Optional<Move> m = next(byNode, s -> true); m.isPresent(); m = next(byNode, s -> true)) {
      assertEquals(A, m.get().from(), "only the full node gives");
      byNode.get(m.get().from()).remove(m.get().shard());
      byNode.get(m.get().to()).add(m.get().shard());
      moves++;
      assertTrue(moves <= 6, "settles: " + byNode);
    }
    assertEquals(List.of(3, 3, 3), List.of(byNode.get(A).size(), byNode.get(B).size(), byNode.get(C).size()));
    assertEquals(6, moves, "exactly the shards needed moved, none back and forth");
  }

  @Test
  void aBusyShardNeverMovesAndAnIdleOneGoesInstead() {
    Map<String, List<String>> byNode = Map.of(A, List.of("busy", "idle"), B, List.of());
    Move m = next(byNode, s -> !s.equals("busy")).orElseThrow();
    assertEquals(new Move("idle", A, B), m);
    assertEquals(Optional.empty(), next(byNode, s -> false), "nothing movable: nothing moves");
  }

  @Test
  void aNearlyEvenSpreadStaysAndAShardWithoutSizeNeverMoves() {
    assertEquals(Optional.empty(), next(Map.of(A, List.of("s1", "s2"), B, List.of("s3")), s -> true),
        "2 and 1: moving one would only swap the imbalance");
    assertEquals(Optional.empty(), ShardRebalance.next(THREE.subList(0, 2), Map.of(A, List.of("z1", "z2"), B, List.of()),
        s -> Demand.NONE, s -> true), "agents that reserve nothing are never moved");
  }

  @Test
  void theLargestMovableShardOfTheFullestNodeGoesToTheNodeThePlacementRuleChooses() {
    Function<String, Demand> demand = s -> s.startsWith("big") ? new Demand(2 * GIB, 1) : new Demand(GIB / 2, 0.5);
    Map<String, List<String>> byNode = Map.of(A, List.of("big1", "small1", "small2"), B, List.of("small3"), C, List.of());
    assertEquals(new Move("big1", A, C), ShardRebalance.next(THREE, byNode, demand, s -> true).orElseThrow());
    assertEquals(new Move("small1", A, C), ShardRebalance.next(THREE, byNode, demand, s -> !s.equals("big1")).orElseThrow());
  }

  private static Optional<Move> next(Map<String, List<String>> byNode, java.util.function.Predicate<String> movable) {
    List<NodeCapacity> nodes = THREE.stream().filter(n -> byNode.containsKey(n.address())).toList();
    return ShardRebalance.next(nodes, byNode, s -> new Demand(GIB, 0.5), movable);
  }

}
