package ai.sutazai.supervisor;

import ai.sutazai.supervisor.agent.AgentEntity;

import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.runtime.ContainerInfo;
import ai.sutazai.runtime.ContainerRuntime;
import akka.Done;
import akka.actor.Address;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.ShardRegion;
import akka.cluster.sharding.typed.GetClusterShardingStats;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.typed.Cluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * This node's own engine, as a cluster member: no agent may run on two nodes at once.
 * <ul>
 *   <li>When this node is downed (CoordinatedShutdown reason ClusterDowningReason: the Split Brain
 *       Resolver, or an operator, decided the others carry on without it), it removes the fleet's
 *       containers of its engine before it stops: the majority re-places those agents. Any other shutdown
 *       (SIGTERM, a lone node stopping) leaves the containers running, to be adopted at the next start.
 *       It runs in the phase before-actor-system-terminate, after the shard region stopped its entities;
 *       that phase's timeout (reference.conf) bounds it.</li>
 *   <li>Every {@link #SWEEP_INTERVAL} it lists the fleet's containers of its engine, then asks the shard
 *       coordinator where the agents' shards are, and removes those listed containers whose agent's shard is
 *       allocated to another node (a node that comes back after it was downed and its agents re-placed). Listing
 *       first matters: a shard that moves here (a rebalance) after the question was asked starts its container
 *       after the listing, and that container is not touched on the strength of the outdated answer. A container
 *       whose agent's shard is not allocated anywhere yet is left alone: it is adopted if the shard comes here.</li>
 * </ul>
 */
final class NodeContainers extends AbstractBehavior<NodeContainers.Command> {

  interface Command {}

  private enum Tick implements Command { INSTANCE }

  private record Listed(List<ContainerInfo> containers, Throwable failure) implements Command {}

  private record Stats(ShardRegion.ClusterShardingStats stats) implements Command {}

  private record Removed(List<String> names, Throwable failure) implements Command {}

  /** How often the sweep asks where the shards are. */
  static final Duration SWEEP_INTERVAL = Duration.ofSeconds(5);
  /** How long the coordinator's regions may take to answer the sweep's question. */
  private static final Duration STATS_TIMEOUT = Duration.ofSeconds(4);

  /** @param shardOf the shard id of an agent (as the agents' sharding extractor computes it) */
  static Behavior<Command> create(FleetSpec fleet, ContainerRuntime runtime, Function<String, String> shardOf) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new NodeContainers(ctx, timers, fleet, runtime, shardOf)));
  }

  private final FleetSpec fleet;
  private final Function<String, String> shardOf;
  private final ContainerRuntime runtime;
  private final Executor blocking;
  private boolean sweeping;
  /** The containers listed at the start of the current sweep. */
  private List<ContainerInfo> listed = List.of();

  private NodeContainers(ActorContext<Command> ctx, TimerScheduler<Command> timers, FleetSpec fleet, ContainerRuntime runtime,
      Function<String, String> shardOf) {
    super(ctx);
    this.fleet = fleet;
    this.shardOf = shardOf;
    this.runtime = runtime;
    this.blocking = ai.sutazai.common.Concurrency.blocking(ctx.getSystem());
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(ctx.getSystem().classicSystem());
    org.slf4j.Logger log = ctx.getLog();
    // Late in the shutdown: the shard region has stopped its entities by then, so none recreates a container.
    shutdown.addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "sutazai-remove-containers-when-downed", () -> {
      boolean downed = shutdown.getShutdownReason().map(r -> r.equals(CoordinatedShutdown.clusterDowningReason())).orElse(false);
      if (!downed) {
        return CompletableFuture.completedFuture(Done.getInstance());
      }
      return CompletableFuture.supplyAsync(() -> {
        List<String> removed = removeWhere(c -> true);
        log.warn("this node was downed: removed the fleet's {} container(s) on {}, the cluster re-places their agents: {}",
            removed.size(), runtime.describe(), sample(removed));
        return Done.getInstance();
      }, blocking);
    });
    timers.startTimerWithFixedDelay(Tick.INSTANCE, SWEEP_INTERVAL);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessage(Listed.class, this::onListed)
        .onMessage(Stats.class, this::onStats)
        .onMessage(Removed.class, this::onRemoved)
        .build();
  }

  private Behavior<Command> onTick() {
    Cluster cluster = Cluster.get(getContext().getSystem());
    if (sweeping || cluster.selfMember().status() != MemberStatus.up() || cluster.state().members().size() < 2) {
      return this; // alone, every shard is here
    }
    sweeping = true;
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> runtime.listManaged(fleet.name()), blocking), Listed::new);
    return this;
  }

  private Behavior<Command> onListed(Listed m) {
    if (m.failure() != null) {
      sweeping = false;
      return this;
    }
    listed = m.containers().stream().filter(c -> c.agent() != null && fleet.agents().containsKey(c.agent())).toList();
    if (listed.isEmpty()) {
      sweeping = false;
      return this;
    }
    ClusterSharding.get(getContext().getSystem()).shardState().tell(new GetClusterShardingStats(AgentEntity.TYPE_KEY,
        STATS_TIMEOUT, getContext().messageAdapter(ShardRegion.ClusterShardingStats.class, Stats::new)));
    return this;
  }

  private Behavior<Command> onStats(Stats m) {
    Address self = Cluster.get(getContext().getSystem()).selfMember().address();
    Set<String> elsewhere = new HashSet<>();
    for (Map.Entry<Address, ShardRegion.ShardRegionStats> r : m.stats().getRegions().entrySet()) {
      Address a = r.getKey();
      if (!a.hasLocalScope() && !a.equals(self)) {
        elsewhere.addAll(r.getValue().getStats().keySet());
      }
    }
    if (elsewhere.isEmpty()) {
      sweeping = false;
      return this;
    }
    List<ContainerInfo> stale = listed.stream().filter(c -> elsewhere.contains(shardOf.apply(c.agent()))).toList();
    listed = List.of();
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> {
      List<String> removed = new ArrayList<>();
      for (ContainerInfo c : stale) {
        runtime.remove(c.id());
        removed.add(c.name());
      }
      return removed;
    }, blocking), Removed::new);
    return this;
  }

  private Behavior<Command> onRemoved(Removed m) {
    sweeping = false;
    if (m.failure() != null) {
      getContext().getLog().warn("could not remove containers of agents now placed on other nodes: {}", m.failure().toString());
    } else if (!m.names().isEmpty()) {
      getContext().getLog().info("removed {} container(s) of agents whose shard is on another node: {}", m.names().size(),
          sample(m.names()));
    }
    return this;
  }

  /** Most agent names one log line lists (count); a downed node of a large fleet removes thousands. */
  static final int LOGGED_NAMES = 20;

  /** {@code names}, or their first {@link #LOGGED_NAMES} and how many more, for a log line. */
  static String sample(List<String> names) {
    return names.size() <= LOGGED_NAMES ? names.toString()
        : names.subList(0, LOGGED_NAMES) + " and " + (names.size() - LOGGED_NAMES) + " more";
  }

  /** Removes (force) the containers of this node's engine that belong to an agent of the fleet and match; blocking. */
  private List<String> removeWhere(java.util.function.Predicate<ContainerInfo> which) {
    return removeManaged(runtime, fleet.name(),
        c -> c.agent() != null && fleet.agents().containsKey(c.agent()) && which.test(c));
  }

  /**
   * Removes (force) the labelled containers of fleet {@code fleetName} in {@code runtime}'s engine that
   * {@code which} picks, and returns their names. Blocking: call on the blocking dispatcher.
   */
  static List<String> removeManaged(ContainerRuntime runtime, String fleetName, java.util.function.Predicate<ContainerInfo> which) {
    List<String> removed = new ArrayList<>();
    for (ContainerInfo c : runtime.listManaged(fleetName)) {
      if (which.test(c)) {
        runtime.remove(c.id());
        removed.add(c.name());
      }
    }
    return removed;
  }
}
