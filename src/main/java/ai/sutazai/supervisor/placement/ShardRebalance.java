package ai.sutazai.supervisor.placement;

import ai.sutazai.supervisor.placement.ClusterPlacement.Choice;
import ai.sutazai.supervisor.placement.ClusterPlacement.Demand;
import ai.sutazai.supervisor.placement.ClusterPlacement.NodeCapacity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Which shard to move so that a node that joined later gets its share of agents, by the rule that places
 * new shards ({@link ClusterPlacement}). Pure: no actors, no I/O.
 *
 * <p>Rule: at most one shard per call. Nodes are looked at from the one with the least free memory; on
 * each, its movable shards (every agent idle: never a busy one) from the largest to the smallest. A shard
 * moves when, taken off its node, the placement rule would put it on another node that keeps more free
 * memory after taking it than its node has now. That strictly lowers the sum of squared free memory, so
 * moves end (a shard never moves back: the reverse move fails the same test), and a shard whose agents
 * reserve no memory is never moved.
 */
public final class ShardRebalance {
  private ShardRebalance() {}

  /**
   * The shard to move now and where the placement rule will put it, or empty when the spread is as even as
   * single moves can make it.
   *
   * @param nodes capacities of the nodes that may take shards (Up, reachable, with a registered region)
   * @param shardsByNode the shards allocated to each node, by address (a node absent from {@code nodes} is ignored)
   * @param demandOf what the agents of a shard need together
   * @param movable whether a shard may move now (all its agents idle)
   */
  public static Optional<Move> next(List<NodeCapacity> nodes, Map<String, List<String>> shardsByNode,
      Function<String, Demand> demandOf, Predicate<String> movable) {
    if (nodes.size() < 2) {
      return Optional.empty();
    }
    Map<String, Demand> used = new HashMap<>();
    for (NodeCapacity n : nodes) {
      Demand sum = Demand.NONE;
      for (String shard : shardsByNode.getOrDefault(n.address(), List.of())) {
        sum = sum.plus(demandOf.apply(shard));
      }
      used.put(n.address(), sum);
    }
    List<NodeCapacity> fullestFirst = new ArrayList<>(nodes);
    fullestFirst.sort(Comparator.comparingLong((NodeCapacity n) -> free(n, used)).thenComparing(NodeCapacity::address));
    for (NodeCapacity from : fullestFirst) {
      long freeNow = free(from, used);
      List<String> shards = new ArrayList<>(shardsByNode.getOrDefault(from.address(), List.of()));
      shards.sort(Comparator.comparingLong((String s) -> demandOf.apply(s).memoryBytes()).reversed()
          .thenComparing(Comparator.naturalOrder()));
      for (String shard : shards) {
        Demand d = demandOf.apply(shard);
        if (d.memoryBytes() <= 0 || !movable.test(shard)) {
          continue;
        }
        Map<String, Demand> without = new HashMap<>(used);
        without.put(from.address(), minus(used.get(from.address()), d));
        List<Choice> ranked = ClusterPlacement.candidates(nodes, without, d);
        Choice to = ranked.get(0);
        if (!to.address().equals(from.address()) && to.fits() && to.freeMemoryBytesAfter() > freeNow) {
          return Optional.of(new Move(shard, from.address(), to.address()));
        }
      }
    }
    return Optional.empty();
  }

  /** One shard to move, from one node's address to another's. */
  public record Move(String shard, String from, String to) {}

  private static long free(NodeCapacity n, Map<String, Demand> used) {
    return n.memoryBytes() - used.getOrDefault(n.address(), Demand.NONE).memoryBytes();
  }

  private static Demand minus(Demand a, Demand b) {
    return new Demand(Math.max(0, a.memoryBytes() - b.memoryBytes()), Math.max(0, a.cpus() - b.cpus()));
  }
}
