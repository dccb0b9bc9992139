package ai.sutazai.supervisor.placement;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses the node an agent runs on, from node capacities and what is already placed. Pure: no actors,
 * no I/O, so Cluster Sharding's allocation ({@link CapacityAllocationStrategy}) and the bench can share it.
 *
 * <p>Rule: among the nodes where the agent fits (memory and CPU after placement within the node's
 * capacity), the one with the most free memory after placement; ties by most free CPU after
 * placement, then by the smallest node address, so every node computes the same answer.
 */
public final class ClusterPlacement {
  private ClusterPlacement() {}

  /** CPU comparisons tolerate this much rounding (cores). */
  private static final double CPU_EPSILON = 1e-9;

  /**
   * What one node offers to agents.
   *
   * @param address the node's cluster address, e.g. {@code akka://sutazai@127.0.0.1:2551}
   * @param memoryBytes memory available to agents, in bytes
   * @param cpus CPU available to agents, in cores
   */
  public record NodeCapacity(String address, long memoryBytes, double cpus) {
    public NodeCapacity {
      if (memoryBytes < 0 || cpus < 0) {
        throw new IllegalArgumentException("node " + address + ": negative capacity");
      }
    }
  }

  /**
   * What one agent needs (its reservation in the fleet spec).
   *
   * @param memoryBytes memory, in bytes
   * @param cpus CPU, in cores
   */
  public record Demand(long memoryBytes, double cpus) {
    /** Nothing: an agent whose size is unknown. */
    public static final Demand NONE = new Demand(0, 0);

    public Demand {
      if (memoryBytes < 0 || cpus < 0) {
        throw new IllegalArgumentException("negative demand");
      }
    }

    /** This demand plus {@code other}. */
    public Demand plus(Demand other) {
      return new Demand(memoryBytes + other.memoryBytes, cpus + other.cpus);
    }
  }

  /** A candidate node and what would be left on it after placing the agent there. */
  public record Choice(String address, long freeMemoryBytesAfter, double freeCpusAfter) {
    boolean fits() {
      return freeMemoryBytesAfter >= 0 && freeCpusAfter >= -CPU_EPSILON;
    }
  }

  private static final Comparator<Choice> BEST_FIRST = Comparator
      .comparingLong(Choice::freeMemoryBytesAfter).reversed()
      .thenComparing(Comparator.comparingDouble(Choice::freeCpusAfter).reversed())
      .thenComparing(Choice::address);

  /**
   * The node for an agent needing {@code demand}, or empty when it fits nowhere.
   *
   * @param nodes the nodes that may take agents
   * @param used what is already placed on each node, by address (absent: nothing)
   */
  public static Optional<Choice> choose(List<NodeCapacity> nodes, Map<String, Demand> used, Demand demand) {
    return candidates(nodes, used, demand).stream().filter(Choice::fits).findFirst();
  }

  /**
   * Every node with what would be left after placing the agent there, best first by the same rule as
   * {@link #choose} but including nodes where it does not fit (negative leftovers). For callers that must
   * place somewhere even when the cluster is full, and for reports.
   */
  public static List<Choice> candidates(List<NodeCapacity> nodes, Map<String, Demand> used, Demand demand) {
    return nodes.stream()
        .map(n -> {
          Demand u = used.getOrDefault(n.address(), Demand.NONE).plus(demand);
          return new Choice(n.address(), n.memoryBytes() - u.memoryBytes(), n.cpus() - u.cpus());
        })
        .sorted(Comparator.comparing((Choice c) -> !c.fits()).thenComparing(BEST_FIRST))
        .toList();
  }
}
