package ai.sutazai.supervisor.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.supervisor.placement.ClusterPlacement.Demand;
import ai.sutazai.supervisor.placement.ClusterPlacement.NodeCapacity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterPlacementTest {
  private static final long GIB = 1024L * 1024 * 1024;
  private static final String A = "akka://sutazai@127.0.0.1:2551";
  private static final String B = "akka://sutazai@127.0.0.1:2552";
  private static final String C = "akka://sutazai@127.0.0.1:2553";

  private static String chosen(List<NodeCapacity> nodes, Map<String, Demand> used, Demand demand) {
    return ClusterPlacement.choose(nodes, used, demand).map(ClusterPlacement.Choice::address).orElse("none");
  }

  @Test
  void theNodeWithTheMostFreeMemoryAfterPlacementWins() {
    List<NodeCapacity> nodes = List.of(new NodeCapacity(A, 8 * GIB, 4), new NodeCapacity(B, 16 * GIB, 2),
        new NodeCapacity(C, 12 * GIB, 8));
    Map<String, Demand> used = Map.of(B, new Demand(10 * GIB, 1));
    // free after a 1 GiB agent: A 7, B 5, C 11
    assertEquals(C, chosen(nodes, used, new Demand(GIB, 0.5)));
  }

  @Test
  void aNodeWhereTheAgentDoesNotFitIsNeverChosenEvenWithMoreMemoryLeft() {
    List<NodeCapacity> nodes = List.of(new NodeCapacity(A, 32 * GIB, 1), new NodeCapacity(B, 4 * GIB, 4));
    Map<String, Demand> used = Map.of(A, new Demand(0, 0.75));
    assertEquals(B, chosen(nodes, used, new Demand(GIB, 0.5)), "A has memory but only 0.25 CPU left");
    assertEquals("none", chosen(nodes, used, new Demand(5 * GIB, 0.5)), "fits nowhere");
    assertEquals(A, chosen(nodes, Map.of(), new Demand(32 * GIB, 1)), "an exact fit fits");
  }

  @Test
  void tiesGoToMoreFreeCpuThenToTheSmallestAddress() {
    List<NodeCapacity> nodes = List.of(new NodeCapacity(C, 8 * GIB, 4), new NodeCapacity(B, 8 * GIB, 4),
        new NodeCapacity(A, 8 * GIB, 2));
    assertEquals(B, chosen(nodes, Map.of(), new Demand(GIB, 1)), "B and C tie on memory and CPU; B sorts first");
    assertEquals(C, chosen(nodes, Map.of(B, new Demand(0, 1)), new Demand(GIB, 1)), "C has more CPU left");
  }

  @Test
  void placingOneByOneSpreadsAgentsAndStopsWhenTheClusterIsFull() {
    List<NodeCapacity> nodes = List.of(new NodeCapacity(A, 4 * GIB, 4), new NodeCapacity(B, 4 * GIB, 4),
        new NodeCapacity(C, 4 * GIB, 4));
    Map<String, Demand> used = new HashMap<>();
    Demand agent = new Demand(GIB, 0.5);
    int placed = 0;
    for (int i = 0; i < 20; i++) {
      var choice = ClusterPlacement.choose(nodes, used, agent);
      if (choice.isEmpty()) {
        break;
      }
      used.merge(choice.get().address(), agent, Demand::plus);
      placed++;
      int max = used.values().stream().mapToInt(d -> (int) (d.memoryBytes() / GIB)).max().orElse(0);
      int min = nodes.stream().mapToInt(n -> (int) (used.getOrDefault(n.address(), Demand.NONE).memoryBytes() / GIB))
          .min().orElse(0);
      assertTrue(max - min <= 1, "unbalanced after " + placed + ": " + used);
    }
    assertEquals(12, placed, "3 nodes x 4 GiB hold 12 agents of 1 GiB");
  }

  @Test
  void candidatesRankTheOvercommittedNodesLastByMemoryLeft() {
    List<NodeCapacity> nodes = List.of(new NodeCapacity(A, GIB, 1), new NodeCapacity(B, 2 * GIB, 1));
    var ranked = ClusterPlacement.candidates(nodes, Map.of(), new Demand(3 * GIB, 0.5));
    assertEquals(List.of(B, A), ranked.stream().map(ClusterPlacement.Choice::address).toList());
    assertEquals(-GIB, ranked.get(0).freeMemoryBytesAfter());
  }
}
