package ai.sutazai.supervisor;

import ai.sutazai.supervisor.agent.AgentEntity;
import ai.sutazai.supervisor.container.Prober;
import ai.sutazai.supervisor.pool.ActivationInbox;
import ai.sutazai.supervisor.pool.AgentPool;
import ai.sutazai.supervisor.pool.ledger.Budget;
import ai.sutazai.supervisor.protocol.ActivationResult;
import ai.sutazai.supervisor.protocol.ActivationSource;
import ai.sutazai.supervisor.protocol.AgentEventPublished;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.protocol.AgentStatuses;
import ai.sutazai.supervisor.protocol.FleetStatus;
import ai.sutazai.supervisor.protocol.PoolStatus;
import ai.sutazai.supervisor.protocol.ScalingDecision;
import ai.sutazai.supervisor.protocol.SupervisorProtocol.Command;
import ai.sutazai.supervisor.protocol.SupervisorProtocol.GetStatus;
import ai.sutazai.supervisor.protocol.SupervisorProtocol.Activate;
import ai.sutazai.supervisor.protocol.SupervisorProtocol.ActivateAgent;
import ai.sutazai.supervisor.protocol.SupervisorProtocol.DeactivateAgent;
import ai.sutazai.supervisor.protocol.SupervisorProtocol.ResetAgent;
import ai.sutazai.supervisor.protocol.SupervisorProtocol.GetPools;
import ai.sutazai.supervisor.protocol.SupervisorProtocol.GetPoolsOrLastKnown;
import ai.sutazai.supervisor.protocol.SupervisorProtocol.SetQuota;
import ai.sutazai.supervisor.protocol.SupervisorProtocol.Touch;
import ai.sutazai.supervisor.protocol.SupervisorProtocol.Busy;
import ai.sutazai.supervisor.protocol.SupervisorProtocol.GetDecisions;
import ai.sutazai.supervisor.rightsizing.RightSizer;
import ai.sutazai.supervisor.settings.QuotaSettings;
import ai.sutazai.supervisor.settings.SupervisorSettings;

import ai.sutazai.common.JournalHealth;
import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.DependencyGraph;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.fleet.PoolSpec;
import ai.sutazai.runtime.ContainerEvent;
import ai.sutazai.runtime.ContainerRuntime;
import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.pattern.StatusReply;
import akka.actor.typed.pubsub.Topic;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;
import ai.sutazai.supervisor.placement.AgentShards;
import ai.sutazai.supervisor.placement.CapacityAllocationStrategy;
import ai.sutazai.supervisor.placement.ClusterPlacement;
import ai.sutazai.supervisor.placement.NodeCapacities;
import ai.sutazai.supervisor.placement.AgentActivity;
import java.util.concurrent.atomic.AtomicReference;
import ai.sutazai.capacity.CapacityAnalysis;
import ai.sutazai.capacity.HostProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Owns the fleet on this node: starts one AgentPool per pool, removes labelled containers whose agent left
 * the fleet, routes the engine's container events to the agents, and survives losing the engine: it
 * reconnects with backoff and resynchronises, without restarting containers that kept running (the
 * subscription, pings, reconnection and orphan removal are in {@link EngineLink}).
 *
 * <h2>On a cluster (one node is a cluster of one)</h2>
 * Every node runs its own fleet supervisor, which
 * <ul>
 *   <li>inits Cluster Sharding of {@link AgentEntity} with this node's engine and prober, so the agents
 *       whose shards this node hosts run their containers here; placement is by node capacity
 *       ({@link CapacityAllocationStrategy}), each node publishing its own through {@link NodeCapacities};</li>
 *   <li>inits each {@link AgentPool} as a Cluster Singleton and talks to it through its proxy (activations
 *       through a node-local {@link ActivationInbox});</li>
 *   <li>hears every agent's status on the fleet's status topic (for {@link GetStatus});</li>
 *   <li>routes an event of this node's engine only to the agent whose current container it is;</li>
 *   <li>runs {@link NodeContainers}: containers removed when the node is downed, and containers of agents
 *       whose shard now lives on another node removed.</li>
 * </ul>
 *
 * <h2>Protocol (for the management API and the inference router)</h2>
 * <ul>
 *   <li>{@link Activate}{@code (agent, source, reason, deadline|null, replyTo)} &rarr;
 *       {@code StatusReply<ActivationResult>}: ACTIVE (running, healthy), STARTING (admitted; it or a
 *       dependency is being started), QUEUED (with 1-based position and queue depth, and the budget that
 *       binds), REJECTED (with the reason: never fits the budget, deadline passed, crash loop). The reply
 *       comes once the decision is journalled: an acknowledged request survives kill -9. A queued request
 *       whose deadline passes is rejected later; that decision is published as a {@link ScalingDecision}.
 *       An unknown agent is a {@code StatusReply.error}.</li>
 *   <li>{@link ActivateAgent} (older form, source API, no deadline) &rarr; {@code StatusReply<Done>}: ack when
 *       admitted or queued, error when rejected.</li>
 *   <li>{@link DeactivateAgent} &rarr; {@code StatusReply<Done>}: stops a requested agent (dependencies no other
 *       active agent needs are released too) or cancels its queued request.</li>
 *   <li>{@link ResetAgent} &rarr; {@code StatusReply<Done>}: clears a crash loop.</li>
 *   <li>{@link GetStatus} &rarr; {@link FleetStatus} (per agent: phase, {@code lastColdStartMillis} from
 *       activation request to healthy, ...).</li>
 *   <li>{@link GetPools} &rarr; {@code List<PoolStatus>}: quota, usage, queue (agent, priority, position,
 *       waitingMillis, deadline, source).</li>
 *   <li>{@link GetPoolsOrLastKnown}{@code (within)} &rarr; the same within {@code within}: a pool that does not
 *       answer in time (its singleton moving after a node loss) is its last status given to this node, marked
 *       {@code staleSince} (when this node last heard from it); the management API answers from this.</li>
 *   <li>{@link SetQuota}{@code (pool, maxActive|null, memoryBudgetBytes|null, cpuBudget|null)} &rarr;
 *       {@code StatusReply<PoolStatus>}; null keeps a value, 0 budgets mean host x utilisation target;
 *       negative values or an unknown pool are a {@code StatusReply.error} naming the field.</li>
 *   <li>{@link Touch}{@code (agent)}: inference or API traffic (resets the idle clock). {@link Busy}{@code
 *       (agent, true|false)}: an inference started / ended; an agent with one in flight, or with traffic
 *       within {@code sutazai.quota.busy-window}, is busy: never preempted, never stopped for idleness.</li>
 *   <li>{@link GetDecisions}{@code (pool, limit)} &rarr; {@code List<ScalingDecision>}, oldest first, of one pool
 *       (or across pools: pool null).
 *       Live: subscribe to {@link ScalingDecision} on the actor system's event stream (as with
 *       {@link AgentEventPublished}). Durable: the journal, persistence ids {@code Pool|<fleet>:<pool>}.</li>
 * </ul>
 */
public final class FleetSupervisor extends AbstractBehavior<Command> {


  private record StatusFromPool(AgentStatuses statuses) implements Command {}

  private record PoolsAnswered(List<PoolStatus> statuses) implements Command {}

  record EngineEvent(ContainerEvent event) implements Command {}

  record EngineLost(String reason) implements Command {}

  record Connected(AutoCloseable subscription) implements Command {}

  record ConnectFailed(String reason) implements Command {}

  record OrphansRemoved(List<String> names) implements Command {}

  private record HostDetected(CapacityAnalysis.Host host, Throwable failure) implements Command {}

  enum Tick implements Command { PING, RECONNECT }

  /**
   * Starts the supervisor. When the configuration does not give the host ({@code sutazai.quota.host-memory},
   * {@code host-cpus}), it is detected through OSHI on the blocking dispatcher first; commands wait meanwhile.
   */
  public static Behavior<Command> create(FleetSpec fleet, ContainerRuntime runtime, SupervisorSettings settings, Prober prober) {
    return Behaviors.setup(ctx -> Behaviors.<Command>withStash(STARTUP_STASH, stash -> Behaviors.withTimers(timers -> {
      QuotaSettings quota = QuotaSettings.fromConfig(ctx.getSystem().settings().config());
      if (!quota.detectHost()) {
        CapacityAnalysis.Host host = new CapacityAnalysis.Host(quota.hostMemoryBytes(), quota.hostCpus(), "configured");
        return new FleetSupervisor(ctx, timers, fleet, runtime, settings, prober, quota, host);
      }
      Executor blocking = ai.sutazai.common.Concurrency.blocking(ctx.getSystem());
      ctx.pipeToSelf(CompletableFuture.supplyAsync(HostProbe::detect, blocking), HostDetected::new);
      int[] dropped = {0};
      return Behaviors.receive(Command.class)
          .onMessage(HostDetected.class, m -> {
            CapacityAnalysis.Host d = m.host() != null ? m.host() : new CapacityAnalysis.Host(0, 0, "unknown");
            if (m.failure() != null) {
              ctx.getLog().error("cannot detect the host's memory and cores ({}); set sutazai.quota.host-memory and host-cpus",
                  m.failure().toString());
            }
            boolean partly = quota.hostMemoryBytes() > 0 || quota.hostCpus() > 0;
            CapacityAnalysis.Host host = new CapacityAnalysis.Host(
                quota.hostMemoryBytes() > 0 ? quota.hostMemoryBytes() : d.memoryBytes(),
                quota.hostCpus() > 0 ? quota.hostCpus() : d.cpus(),
                !partly ? d.source() : quota.hostMemoryBytes() > 0 ? "memory configured, cores " + d.source()
                    : "cores configured, memory " + d.source());
            return stash.unstashAll(new FleetSupervisor(ctx, timers, fleet, runtime, settings, prober, quota, host));
          })
          .onAnyMessage(m -> {
            if (stash.isFull()) {
              // Never fail for traffic that came too early: the sender of a request sees its ask time out.
              if (dropped[0]++ == 0) {
                ctx.getLog().warn("fleet {} not started yet (detecting the host) and {} messages waiting: dropping "
                    + "further messages until it starts (first: {})", fleet.name(), STARTUP_STASH, m.getClass().getSimpleName());
              }
            } else {
              stash.stash(m);
            }
            return Behaviors.same();
          })
          .build();
    })));
  }

  /** Messages kept while the host is being detected, before the fleet starts. */
  private static final int STARTUP_STASH = 100_000;
  private static final Duration GATHER_TIMEOUT = Duration.ofSeconds(5);

  private final FleetSpec fleet;
  private final ContainerRuntime runtime;
  /** The singleton proxy of each pool. */
  private final Map<String, ActorRef<AgentPool.Command>> pools = new LinkedHashMap<>();
  private final ClusterSharding sharding;
  /** Right-sizes this node's containers; null when right-sizing is off. */
  private final ActorRef<RightSizer.Command> rightSizer;
  private final Map<String, ActorRef<ActivationInbox.Command>> inboxes = new HashMap<>();
  private final Map<String, String> poolOfAgent = new HashMap<>();
  private final Map<String, AgentStatus> statuses = new LinkedHashMap<>();
  /** Each pool's last status given to this node, and when this node last heard from the pool (status or answer). */
  private final Map<String, PoolStatus> lastPools = new HashMap<>();
  private final Map<String, Instant> lastHeard = new HashMap<>();
  private final ActorRef<List<PoolStatus>> poolsAnswered;
  private final EngineLink engine;

  private FleetSupervisor(ActorContext<Command> ctx, TimerScheduler<Command> timers, FleetSpec fleet, ContainerRuntime runtime,
      SupervisorSettings settings, Prober prober, QuotaSettings quota, CapacityAnalysis.Host host) {
    super(ctx);
    this.fleet = fleet;
    this.runtime = runtime;
    @SuppressWarnings("unchecked")
    Class<List<PoolStatus>> listOfPools = (Class<List<PoolStatus>>) (Class<?>) List.class;
    this.poolsAnswered = ctx.messageAdapter(listOfPools, PoolsAnswered::new);
    Executor blocking = ai.sutazai.common.Concurrency.blocking(ctx.getSystem());
    DependencyGraph graph = DependencyGraph.of(fleet);
    ActorRef<Topic.Command<AgentStatuses>> topic = ctx.spawn(Topic.create(AgentStatuses.class, "agent-status-" + fleet.name()),
        "status-topic");
    topic.tell(Topic.subscribe(ctx.messageAdapter(AgentStatuses.class, StatusFromPool::new)));
    AgentEntity.Deps deps = AgentEntity.Deps.withoutPool(fleet.name(), runtime, prober, settings);
    Map<String, List<AgentSpec>> byPool = new LinkedHashMap<>();
    for (AgentSpec a : fleet.agents().values()) {
      byPool.computeIfAbsent(a.pool(), p -> new ArrayList<>()).add(a);
      poolOfAgent.put(a.name(), a.pool());
    }
    // Sharding first: a pool singleton may start (and reach its entities) as soon as it is initialised.
    ActorRef<NoticeRouter.Command> router = ctx.spawn(NoticeRouter.create(poolOfAgent), "notice-router");
    AgentEntity.Deps local = deps.withPool(NoticeRouter.notices(ctx, router));
    AtomicReference<List<ClusterPlacement.NodeCapacity>> capacities = new AtomicReference<>(List.of());
    ctx.spawn(NodeCapacities.create(CapacityAnalysis.memoryBudgetBytes(host.memoryBytes(), quota.targets()),
        host.cpus() * quota.targets().cpuUtilisation(), capacities), "node-capacity");
    AgentShards<AgentEntity.Command> shards = new AgentShards<>(AgentShards.shardsOf(ctx.getSystem().settings().config()));
    Map<String, ClusterPlacement.Demand> demands = new HashMap<>();
    fleet.agents().values().forEach(a -> demands.put(a.name(), new ClusterPlacement.Demand(a.memoryBytes(), a.cpus())));
    Map<String, ClusterPlacement.Demand> shardDemands = shards.demandByShard(demands);
    Map<String, List<String>> agentsByShard = new HashMap<>();
    fleet.agents().keySet().forEach(a -> agentsByShard.computeIfAbsent(shards.shardOf(a), x -> new ArrayList<>()).add(a));
    AgentActivity activity = AgentActivity.get(ctx.getSystem());
    this.sharding = ClusterSharding.get(ctx.getSystem());
    sharding.init(Entity.of(AgentEntity.TYPE_KEY,
            ec -> AgentEntity.create(ec.getEntityId(), local, fleet.agents().containsKey(ec.getEntityId())))
        .withMessageExtractor(shards)
        .withStopMessage(AgentEntity.HandOff.INSTANCE)
        .withAllocationStrategy(new CapacityAllocationStrategy(capacities::get,
            shard -> shardDemands.getOrDefault(shard, ClusterPlacement.Demand.NONE),
            shard -> agentsByShard.getOrDefault(shard, List.of()), agent -> !activity.busyOrUnknown(agent))));
    ClusterSingleton singletons = ClusterSingleton.get(ctx.getSystem());
    for (Map.Entry<String, List<AgentSpec>> e : byPool.entrySet()) {
      PoolSpec spec = fleet.pools().getOrDefault(e.getKey(), new PoolSpec(e.getKey(), Integer.MAX_VALUE, 0, 0, 0));
      ActorRef<AgentPool.Command> pool = singletons.init(SingletonActor.of(AgentPool.create(new AgentPool.Setup(fleet.name(),
          spec, e.getValue(), graph, deps, topic, host, quota, agent -> pools.get(poolOfAgent.get(agent)))), "pool-" + e.getKey()));
      pools.put(e.getKey(), pool);
      inboxes.put(e.getKey(), ctx.spawn(ActivationInbox.create(pool, AgentPool.persistenceId(fleet.name(), e.getKey()).id(),
          quota.maxBatch()), "inbox-" + e.getKey()));
    }
    router.tell(new NoticeRouter.Pools(pools));
    ctx.spawn(NodeContainers.create(fleet, runtime, shards::shardOf), "node-containers");
    this.rightSizer = quota.rightSizing().enabled()
        ? ctx.spawn(RightSizer.create(fleet.name(), runtime, quota.rightSizing(), agent -> pools.get(poolOfAgent.get(agent))),
            "right-sizer")
        : null;
    Budget.logHost(ctx.getLog(), host, quota);
    this.engine = new EngineLink(ctx, timers, fleet, runtime, settings, blocking);
    engine.start();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(Activate.class, m -> toInbox(new AgentPool.Activate(m.agent(), m.source(), m.reason(), m.deadline(), m.replyTo())))
        .onMessage(ActivateAgent.class, this::onActivateAgent)
        .onMessage(GetPools.class, m -> { Gather.pools(getContext(), answeringPools(), m.replyTo(), GATHER_TIMEOUT); return this; })
        .onMessage(GetPoolsOrLastKnown.class, this::onGetPoolsOrLastKnown)
        .onMessage(PoolsAnswered.class, this::onPoolsAnswered)
        .onMessage(GetDecisions.class, m -> { Gather.decisions(getContext(), answeringPools(m.pool()), m.limit(),
            m.replyTo(), GATHER_TIMEOUT); return this; })
        .onMessage(SetQuota.class, this::onSetQuota)
        .onMessage(Touch.class, m -> forward(m.agent(), new AgentPool.Touch(m.agent())))
        .onMessage(Busy.class, m -> forward(m.agent(), new AgentPool.Busy(m.agent(), m.inFlight())))
        .onMessage(DeactivateAgent.class, m -> toPool(m.agent(), m.replyTo(), p -> new AgentPool.Deactivate(m.agent(), m.reason(), m.replyTo())))
        .onMessage(ResetAgent.class, m -> toPool(m.agent(), m.replyTo(), p -> new AgentPool.Reset(m.agent(), m.replyTo())))
        .onMessage(StatusFromPool.class, this::onStatus)
        .onMessage(EngineEvent.class, this::onEngineEvent)
        .onMessage(EngineLost.class, m -> { engine.lost(m.reason()); return this; })
        .onMessage(Connected.class, this::onConnected)
        .onMessage(ConnectFailed.class, m -> { engine.connectFailed(m.reason()); return this; })
        .onMessage(OrphansRemoved.class, m -> { engine.orphansRemoved(m.names()); return this; })
        .onMessageEquals(Tick.PING, () -> { engine.ping(); return this; })
        .onMessageEquals(Tick.RECONNECT, () -> { engine.connect(); return this; })
        .onSignal(akka.actor.typed.PostStop.class, s -> { engine.close(); return this; })
        .build();
  }

  private Behavior<Command> onGetStatus(GetStatus m) {
    m.replyTo().tell(new FleetStatus(fleet.name(), List.copyOf(statuses.values()), fleet.agents().size(), engine.up(), runtime.describe()));
    return this;
  }

  /** Bounded: pools that do not answer in time are given as last known (a failover must not stall the API). */
  private Behavior<Command> onGetPoolsOrLastKnown(GetPoolsOrLastKnown m) {
    Map<String, ActorRef<AgentPool.Command>> asked = new LinkedHashMap<>();
    pools.forEach((name, ref) -> {
      if (journalProblem(name).isEmpty()) {
        asked.put(name, ref);
      }
    });
    Gather.poolsOrLastKnown(getContext(), asked, List.copyOf(pools.keySet()), Map.copyOf(lastPools), Map.copyOf(lastHeard),
        m.replyTo(), poolsAnswered, m.within());
    return this;
  }

  private Behavior<Command> onPoolsAnswered(PoolsAnswered m) {
    Instant now = Instant.now();
    for (PoolStatus p : m.statuses()) {
      lastPools.put(p.name(), p);
      lastHeard.put(p.name(), now);
    }
    return this;
  }

  private Behavior<Command> onActivateAgent(ActivateAgent m) {
    ActorRef<StatusReply<ActivationResult>> adapter = getContext().spawnAnonymous(Behaviors.<StatusReply<ActivationResult>>receive(
        (c, r) -> {
          if (r.isError()) {
            m.replyTo().tell(StatusReply.error(r.getError()));
          } else if (r.getValue().outcome() == ActivationResult.Outcome.REJECTED) {
            m.replyTo().tell(StatusReply.error(r.getValue().reason()));
          } else {
            m.replyTo().tell(StatusReply.ack());
          }
          return Behaviors.stopped();
        }));
    return toInbox(new AgentPool.Activate(m.agent(), ActivationSource.API, m.reason(), null, adapter));
  }

  private Behavior<Command> toInbox(AgentPool.Activate a) {
    String pool = poolOfAgent.get(a.agent());
    if (pool == null) {
      a.replyTo().tell(StatusReply.error("unknown agent '" + a.agent() + "' (fleet " + fleet.name() + ")"));
    } else {
      inboxes.get(pool).tell(new ActivationInbox.Request(a));
    }
    return this;
  }

  private Behavior<Command> onSetQuota(SetQuota m) {
    ActorRef<AgentPool.Command> pool = pools.get(m.pool());
    if (pool == null) {
      m.replyTo().tell(StatusReply.error("pool: unknown pool '" + m.pool() + "' (pools: " + String.join(", ", pools.keySet()) + ")"));
    } else if (journalProblem(m.pool()).isPresent()) {
      m.replyTo().tell(StatusReply.error(journalProblem(m.pool()).get() + "; quota of pool " + m.pool() + " not changed"));
    } else {
      pool.tell(new AgentPool.SetQuota(m.maxActive(), m.memoryBudgetBytes(), m.cpuBudget(), m.replyTo()));
    }
    return this;
  }

  private Behavior<Command> forward(String agent, AgentPool.Command c) {
    String pool = poolOfAgent.get(agent);
    if (pool != null) {
      pools.get(pool).tell(c);
    }
    return this;
  }

  private <T> Behavior<Command> toPool(String agent, ActorRef<StatusReply<T>> replyTo,
      java.util.function.Function<String, AgentPool.Command> message) {
    String pool = poolOfAgent.get(agent);
    if (pool == null) {
      replyTo.tell(StatusReply.error("unknown agent '" + agent + "' (fleet " + fleet.name() + ")"));
    } else if (journalProblem(pool).or(() -> agentJournalProblem(agent)).isPresent()) {
      replyTo.tell(StatusReply.error(journalProblem(pool).or(() -> agentJournalProblem(agent)).get()
          + "; nothing done for " + agent + ", try again"));
    } else {
      pools.get(pool).tell(message.apply(pool));
    }
    return this;
  }

  private java.util.Optional<String> agentJournalProblem(String agent) {
    return JournalHealth.get(getContext().getSystem()).problemOf(AgentEntity.persistenceId(fleet.name(), agent).id());
  }

  /** Pools not waiting to recover from a journal failure (those could not answer before the gather's timeout). */
  private List<ActorRef<AgentPool.Command>> answeringPools() {
    return answeringPools(null);
  }

  /** The pools that can answer now (not waiting for their journal): every one, or only {@code only} when not null. */
  private List<ActorRef<AgentPool.Command>> answeringPools(String only) {
    return pools.entrySet().stream().filter(p -> only == null || p.getKey().equals(only))
        .filter(p -> journalProblem(p.getKey()).isEmpty()).map(Map.Entry::getValue).toList();
  }

  /** "journal unavailable: ..." while the pool waits to recover from a journal failure: it decides nothing meanwhile. */
  private java.util.Optional<String> journalProblem(String pool) {
    return JournalHealth.get(getContext().getSystem()).problemOf(AgentPool.persistenceId(fleet.name(), pool).id());
  }

  private Behavior<Command> onStatus(StatusFromPool m) {
    Instant now = Instant.now();
    for (AgentStatus s : m.statuses().statuses()) {
      if (poolOfAgent.containsKey(s.name())) {
        lastHeard.put(poolOfAgent.get(s.name()), now);
        statuses.put(s.name(), s);
        if (rightSizer != null) {
          rightSizer.tell(new RightSizer.Observe(s, sharding.entityRefFor(AgentEntity.TYPE_KEY, s.name()),
              fleet.agents().get(s.name())));
        }
      }
    }
    return this;
  }

  private Behavior<Command> onConnected(Connected m) {
    if (engine.connected(m.subscription())) {
      // Containers may have died while we could not hear about it: every agent checks its own.
      pools.values().forEach(p -> p.tell(AgentPool.Resync.INSTANCE));
    }
    return this;
  }

  private Behavior<Command> onEngineEvent(EngineEvent m) {
    ContainerEvent e = m.event();
    if (!fleet.name().equals(e.fleet()) || e.agent() == null) {
      return this;
    }
    // This engine's containers belong to agents hosted on this node: an event goes only to the agent
    // whose current container it is (its entity is here), never wakes an entity elsewhere.
    AgentStatus s = statuses.get(e.agent());
    if (s != null && e.containerId() != null && e.containerId().equals(s.containerId())) {
      sharding.entityRefFor(AgentEntity.TYPE_KEY, e.agent()).tell(new AgentEntity.FromEngine(e));
    }
    return this;
  }
}
