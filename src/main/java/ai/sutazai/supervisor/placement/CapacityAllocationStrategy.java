package ai.sutazai.supervisor.placement;

import ai.sutazai.supervisor.placement.ClusterPlacement.Choice;
import ai.sutazai.supervisor.placement.ClusterPlacement.Demand;
import ai.sutazai.supervisor.placement.ClusterPlacement.NodeCapacity;
import akka.actor.ActorRef;
import akka.actor.ActorSystem;
import akka.actor.Address;
import akka.actor.ExtendedActorSystem;
import akka.cluster.sharding.ShardCoordinator;
import akka.dispatch.Futures;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;

/**
 * Cluster Sharding allocation by node capacity ({@link ClusterPlacement}): a new shard (a group of agents,
 * {@link AgentShards}) goes to the region of the node with room for the summed requests of its agents and
 * the most free memory.
 * Use with {@code Entity.of(...).withAllocationStrategy(new CapacityAllocationStrategy(capacities, demandOf))}.
 *
 * <p>Runs inside the ShardCoordinator (a Cluster Singleton): {@code capacities} and {@code demandOf}
 * must answer at once from memory (for example a snapshot kept current by cluster events and a
 * Distributed Data key), never block.
 *
 * <p>When the agent fits on no node, the shard still has to go somewhere: it goes to the node with the
 * most memory left (over-committed). Admission is the quota singleton's job; this only places. When no
 * region's node has a known capacity, the region with the fewest shards is used.
 *
 * <p>A node that is Up but whose shard region has not registered with the coordinator yet, or whose
 * capacity has not reached this node yet (the nodes of a cluster that starts together come up at once,
 * and their regions and capacities arrive within a second or two), would be left out of every allocation
 * made meanwhile, and everything would pile onto the first node. So while such a node exists, for at most
 * {@link #REGION_GRACE} after it was first seen that way, allocation is deferred: the returned future
 * fails, and the requesting region asks again at its next retry ({@code akka.cluster.sharding.retry-interval}).
 *
 * <p>Rebalance (asked by the coordinator every {@code akka.cluster.sharding.rebalance-interval}): a node that
 * joins later gets its share of agents. One shard at a time (nothing while a move is in progress), chosen
 * by {@link ShardRebalance} with the same capacity rule, and only a shard whose agents are all idle
 * ({@code agentIdle}: no inference in flight and no traffic within the pool's busy window); a busy agent is
 * never moved. Nothing moves while a member is unreachable or a joining node's region or capacity is not
 * known yet. Moving a shard restarts its agents' containers on the new node: the old node removes them
 * when the shard hands off ({@code AgentEntity}), so an agent never runs twice, and is down for a few
 * seconds instead.
 */
public final class CapacityAllocationStrategy extends ShardCoordinator.AbstractShardAllocationStrategy
    implements ShardCoordinator.ActorSystemDependentAllocationStrategy {
  private final Supplier<List<NodeCapacity>> capacities;
  private final Function<String, Demand> demandOf;
  private final Function<String, java.util.Collection<String>> agentsOf;
  private final java.util.function.Predicate<String> agentIdle;
  private volatile Address selfAddress;
  private volatile ActorSystem system;
  /** Up members seen without a registered region, and since when (coordinator's thread only). */
  private final Map<Address, Long> pendingSince = new HashMap<>();

  /** How long an Up member without a registered shard region holds allocations back. */
  static final java.time.Duration REGION_GRACE = java.time.Duration.ofSeconds(10);

  /**
   * @param capacities the current capacity of each node, by cluster address ({@code Address.toString()})
   * @param demandOf what the agents of a shard id need together ({@link Demand#NONE} when unknown)
   */
  public CapacityAllocationStrategy(Supplier<List<NodeCapacity>> capacities, Function<String, Demand> demandOf) {
    this(capacities, demandOf, shard -> List.of(), agent -> false);
  }

  /**
   * @param capacities the current capacity of each node, by cluster address ({@code Address.toString()})
   * @param demandOf what the agents of a shard id need together ({@link Demand#NONE} when unknown)
   * @param agentsOf the agents of a shard id (a shard without known agents is never rebalanced)
   * @param agentIdle whether an agent may be moved now (idle); must answer at once from memory
   */
  public CapacityAllocationStrategy(Supplier<List<NodeCapacity>> capacities, Function<String, Demand> demandOf,
      Function<String, java.util.Collection<String>> agentsOf, java.util.function.Predicate<String> agentIdle) {
    this.capacities = capacities;
    this.demandOf = demandOf;
    this.agentsOf = agentsOf;
    this.agentIdle = agentIdle;
  }

  @Override
  public void start(ActorSystem system) {
    selfAddress = ((ExtendedActorSystem) system).provider().getDefaultAddress();
    this.system = system;
    RegionPendingLogFilter.install();
  }

  @Override
  public Future<ActorRef> allocateShard(ActorRef requester, String shardId,
      Map<ActorRef, IndexedSeq<String>> currentShardAllocations) {
    Map<String, ActorRef> regionByAddress = new HashMap<>();
    Map<String, Demand> used = new HashMap<>();
    currentShardAllocations.forEach((region, shards) -> {
      String address = addressOf(region);
      regionByAddress.put(address, region);
      Demand sum = Demand.NONE;
      for (String shard : scala.jdk.javaapi.CollectionConverters.asJava(shards)) {
        sum = sum.plus(demandOf.apply(shard));
      }
      used.merge(address, sum, Demand::plus);
    });
    List<NodeCapacity> known = capacities.get();
    Set<String> withCapacity = known.stream().map(NodeCapacity::address).collect(java.util.stream.Collectors.toSet());
    String waitingFor = regionPending(regionByAddress.keySet(), withCapacity);
    if (waitingFor != null) {
      return Futures.failed(new RegionPending(shardId, waitingFor));
    }
    List<NodeCapacity> nodes = known.stream().filter(n -> regionByAddress.containsKey(n.address())).toList();
    List<Choice> ranked = ClusterPlacement.candidates(nodes, used, demandOf.apply(shardId));
    if (!ranked.isEmpty()) {
      return Futures.successful(regionByAddress.get(ranked.get(0).address()));
    }
    ActorRef fewest = currentShardAllocations.entrySet().stream()
        .min(Comparator.comparingInt((Map.Entry<ActorRef, IndexedSeq<String>> e) -> e.getValue().size())
            .thenComparing(e -> addressOf(e.getKey())))
        .map(Map.Entry::getKey).orElse(requester);
    return Futures.successful(fewest);
  }

  /**
   * Why an allocation is deferred; the region asks again. There is nothing wrong, so it carries no stack
   * trace, and the coordinator's error line for it is dropped ({@link RegionPendingLogFilter}); the wait is
   * logged once per node instead.
   */
  public static final class RegionPending extends IllegalStateException {
  public   RegionPending(String shardId, String node) {
      super("shard " + shardId + " waits until the shard region and the capacity of " + node + " are known (it is asked for "
          + "again)");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  /**
   * An Up member, within its grace period, whose region has not registered yet or whose capacity is not
   * known yet; null when there is none.
   */
  private String regionPending(Set<String> registered, Set<String> withCapacity) {
    if (system == null) {
      return null;
    }
    long now = System.nanoTime();
    String pending = null;
    akka.cluster.ClusterEvent.CurrentClusterState state = akka.cluster.Cluster.get(system).state();
    for (akka.cluster.Member m : state.getMembers()) {
      String address = m.address().toString();
      if (m.status() != akka.cluster.MemberStatus.up() || (registered.contains(address) && withCapacity.contains(address))
          || state.getUnreachable().contains(m)) {
        pendingSince.remove(m.address());
        continue;
      }
      Long first = pendingSince.putIfAbsent(m.address(), now);
      long since = first != null ? first : now;
      if (first == null && system != null) {
        system.log().info("shard allocation waits until the shard region and the capacity of {} are known (at most {} s), "
            + "so that agents are spread over every node", m.address(), REGION_GRACE.toSeconds());
      }
      if (now - since < REGION_GRACE.toNanos()) {
        pending = address;
      }
    }
    return pending;
  }

  @Override
  public Future<Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> currentShardAllocations,
      Set<String> rebalanceInProgress) {
    if (!rebalanceInProgress.isEmpty() || system == null) {
      return Futures.successful(Set.of());
    }
    akka.cluster.ClusterEvent.CurrentClusterState state = akka.cluster.Cluster.get(system).state();
    if (!state.getUnreachable().isEmpty()) {
      return Futures.successful(Set.of());
    }
    Map<String, List<String>> shardsByNode = new HashMap<>();
    currentShardAllocations.forEach((region, shards) -> shardsByNode.computeIfAbsent(addressOf(region), a -> new java.util.ArrayList<>())
        .addAll(scala.jdk.javaapi.CollectionConverters.asJava(shards)));
    List<NodeCapacity> known = capacities.get();
    Set<String> withCapacity = known.stream().map(NodeCapacity::address).collect(java.util.stream.Collectors.toSet());
    if (regionPending(shardsByNode.keySet(), withCapacity) != null) {
      return Futures.successful(Set.of());
    }
    Set<String> up = new java.util.HashSet<>();
    state.getMembers().forEach(m -> {
      if (m.status() == akka.cluster.MemberStatus.up()) {
        up.add(m.address().toString());
      }
    });
    List<NodeCapacity> nodes = known.stream().filter(n -> shardsByNode.containsKey(n.address()) && up.contains(n.address())).toList();
    java.util.Optional<ShardRebalance.Move> move = ShardRebalance.next(nodes, shardsByNode, demandOf, this::idle);
    if (move.isEmpty()) {
      return Futures.successful(Set.of());
    }
    system.log().info("rebalancing shard {} (agents {}) from {} to {}: the node with more room for it, its agents idle",
        move.get().shard(), agentsOf.apply(move.get().shard()), move.get().from(), move.get().to());
    return Futures.successful(Set.of(move.get().shard()));
  }

  /** A shard may move when it has agents and every one of them is idle. */
  private boolean idle(String shard) {
    java.util.Collection<String> agents = agentsOf.apply(shard);
    return !agents.isEmpty() && agents.stream().allMatch(agentIdle);
  }

  /** The node address of a shard region: its own for remote refs, this node's for local ones. */
  private String addressOf(ActorRef region) {
    Address address = region.path().address();
    if (address.hasLocalScope() && selfAddress != null) {
      return selfAddress.toString();
    }
    return address.toString();
  }
}
