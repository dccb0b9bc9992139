package ai.sutazai.supervisor.pool;

import ai.sutazai.supervisor.protocol.Notice;

import ai.sutazai.supervisor.protocol.JournalIds;

import ai.sutazai.metrics.DecisionLatency;

import ai.sutazai.supervisor.NoticeRouter;
import ai.sutazai.supervisor.agent.AgentEntity;
import ai.sutazai.supervisor.pool.ledger.ActivationDecider;
import ai.sutazai.supervisor.pool.ledger.IdleTracker;
import ai.sutazai.supervisor.pool.ledger.Occupancy;
import ai.sutazai.supervisor.pool.ledger.PoolEvent;
import ai.sutazai.supervisor.pool.ledger.PoolGraph;
import ai.sutazai.supervisor.pool.ledger.PoolState;
import ai.sutazai.supervisor.pool.ledger.PoolWants;
import ai.sutazai.supervisor.pool.ledger.QueueDecisions;
import ai.sutazai.supervisor.protocol.ActivationResult;
import ai.sutazai.supervisor.protocol.ActivationSource;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.protocol.AgentStatuses;
import ai.sutazai.supervisor.protocol.PoolStatus;
import ai.sutazai.supervisor.protocol.ScalingDecision;
import ai.sutazai.supervisor.settings.QuotaSettings;

import ai.sutazai.common.JournalHealth;
import ai.sutazai.capacity.CapacityAnalysis;
import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.DependencyGraph;
import ai.sutazai.fleet.PoolSpec;
import ai.sutazai.runtime.ContainerEvent;
import ai.sutazai.supervisor.pool.ledger.RestartBudget;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import ai.sutazai.supervisor.placement.AgentActivity;
import akka.actor.typed.PreRestart;
import akka.actor.typed.pubsub.Topic;
import akka.cluster.ClusterEvent;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import ai.sutazai.common.CborSerializable;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.RecoveryFailed;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EffectBuilder;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import java.time.Instant;
import java.util.stream.Collectors;
import java.util.HashSet;
import java.util.Deque;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One pool of agents and its quota. Activation requests are admitted when the agent and its dependencies
 * fit the pool's budgets (max active, memory, CPU; requests, not limits), else they wait in a priority
 * queue; the pool starts wanted agents once their dependencies are healthy, marks dependents degraded
 * while a dependency is down, rations restarts, stops idle agents and preempts idle lower-priority ones.
 *
 * <p>Its ledger is event-sourced (JDBC journal): every scaling decision is a {@link PoolEvent} with its
 * reason, journalled before it is acted on or acknowledged, so the requested agents, the queue and the
 * runtime quota survive a kill -9. Admission is decided by this one actor, and while a decision is being
 * journalled further commands wait: racing activations cannot exceed the budget. An agent occupies quota
 * from its admission until its container has stopped (see {@link Occupancy}).
 *
 * <p>It sees the status of every agent of the fleet (other pools publish theirs on the status topic),
 * because dependencies may cross pools.
 *
 * <h2>On a cluster</h2>
 * Each pool is a Cluster Singleton (the fleet supervisor of every node inits it and talks to it through
 * its proxy); its agents are sharded entities ({@link AgentEntity#TYPE_KEY}) reached through
 * {@code EntityRef}s. It registers every agent at boot and again when a node is removed, which starts
 * the entities of a lost node's shards on the survivors. Agents' {@link Notice}s arrive
 * through the proxy and are diverted, before the journal's stash, to the pool's {@link NoticeInbox};
 * traffic reports ({@link Touch}, {@link Busy}) never reach the stash either ({@link StashBypass}).
 * Everything it receives or answers is Jackson-serializable.
 *
 * <h2>How it reads</h2>
 * This class is the actor: its protocol, then its handlers by concern (activation; deactivation, reset and
 * quota; notices and statuses; what is done once decisions are journalled; restarts; cluster membership; the
 * journal's availability). The decisions themselves are pure functions of the ledger state, in
 * {@code pool.ledger} (tested without an actor system); {@link PoolQuota} decides commands against the budget
 * in force, and {@link PoolAgents} keeps the agents' entities and statuses. Nothing here is shared with
 * another thread.
 */
public final class AgentPool extends EventSourcedBehavior<AgentPool.Command, PoolEvent, PoolState> {

  public interface Command extends CborSerializable {}

  /** Ask for an agent (and its dependencies) to run; answered once the decision is journalled. */
  public record Activate(String agent, ActivationSource source, String reason, Instant deadline,
      ActorRef<StatusReply<ActivationResult>> replyTo) implements Command {}

  /** Stop wanting an agent (or cancel its queued request); dependencies no active agent needs are released too. */
  public record Deactivate(String agent, String reason, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  public record Reset(String agent, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  public record GetStatuses(ActorRef<List<AgentStatus>> replyTo) implements Command {}

  public record GetPool(ActorRef<PoolStatus> replyTo) implements Command {}

  /** The most recent decisions, oldest first, at most {@code limit}. */
  public record GetDecisions(int limit, ActorRef<Decisions> replyTo) implements Command {}

  /** Answer to {@link GetDecisions}. */
  public record Decisions(List<ScalingDecision> decisions) implements CborSerializable {}

  /** Changes the quota; a null field keeps its value, 0 budgets mean host x utilisation target. */
  public record SetQuota(Integer maxActive, Long memoryBudgetBytes, Double cpuBudget,
      ActorRef<StatusReply<PoolStatus>> replyTo) implements Command {}

  /** Requests in arrival order from the pool's {@link ActivationInbox}, which is told when they are journalled. */
  public record ActivateBatch(List<Activate> requests, ActorRef<ActivationInbox.Command> inbox) implements Command {}

  /** Inference or API traffic for an agent. */
  public record Touch(String agent) implements Command {}

  /** An inference for the agent started ({@code inFlight} true) or ended. */
  public record Busy(String agent, boolean inFlight) implements Command {}

  /** Status changes of this pool's agents, batched by a node's {@link NoticeRouter} (StashBypass hands them to the inbox). */
  public record StatusBatch(AgentStatuses statuses) implements Command, NoticeInbox.Command {}

  /** Agents' statuses changed somewhere in the fleet (published by their pools). */
  public record PeerStatuses(AgentStatuses statuses) implements Command {}

  public record EngineEventFor(String agent, ContainerEvent event) implements Command {}

  /** The engine came back: every entity checks its container. */
  public enum Resync implements Command { INSTANCE }

  /** From the right-sizer: the limits of the agent's running container {@code containerId} were changed to these. */
  public record Resized(String agent, String reason, String containerId, long memoryLimitBytes, double cpus)
      implements Command {}

  /** An agent's notice, as its node's notice router passes it on (StashBypass hands it to the inbox). */
  public record Noticed(Notice notice) implements Command, NoticeInbox.Command {}

  /** Notices of this pool's agents, in arrival order, from its {@link NoticeInbox}, which is told when they are handled. */
  public record NoticeBatch(List<Notice> notices, ActorRef<NoticeInbox.Command> inbox) implements Command {}

  /** Timers of the pool. */
  private enum Internal implements Command { GRANT_RESTARTS, BOOT, TICK, REGISTER, REPUBLISH }

  /** A node left the cluster: its agents' shards are re-allocated once their entities are asked for. */
  private record MemberRemoved(ClusterEvent.MemberRemoved event) implements Command {}

  /** A node joined: it learns the statuses of agents that do not change through the topic only if they are sent again. */
  private record MemberUp(ClusterEvent.MemberUp event) implements Command {}

  /**
   * What a pool is made of.
   *
   * @param poolOf the pool (its singleton proxy) of any agent of the fleet, where requests for dependencies
   *     that live in other pools are sent
   */
  public record Setup(String fleet, PoolSpec spec, List<AgentSpec> agents, DependencyGraph graph, AgentEntity.Deps deps,
      ActorRef<Topic.Command<AgentStatuses>> statusTopic, CapacityAnalysis.Host host, QuotaSettings quota,
      java.util.function.Function<String, ActorRef<Command>> poolOf) {}

  public static PersistenceId persistenceId(String fleet, String pool) {
    return JournalIds.pool(fleet, pool);
  }

  public static Behavior<Command> create(Setup setup) {
    return Behaviors.setup(ctx -> {
      ActorRef<NoticeInbox.Command> notices = ctx.spawn(NoticeInbox.create(ctx.getSelf(),
          persistenceId(setup.fleet(), setup.spec().name()).id(), setup.quota().maxBatch()), "notices");
      IdleTracker idle = new IdleTracker(setup.quota().busyWindow());
      Behavior<Command> pool = Behaviors.withTimers(timers -> new AgentPool(ctx, timers, setup, notices, idle));
      Set<String> own = setup.agents().stream().map(AgentSpec::name).collect(java.util.stream.Collectors.toUnmodifiableSet());
      return Behaviors.intercept(() -> new StashBypass(notices, idle, own), pool);
    });
  }

  /** After a node is removed, when its agents are registered again (seconds). */
  private static final int[] REGISTER_AFTER_SECONDS = {2, 6, 15, 30, 60};
  /** After a node joined, when the statuses are published again (seconds): twice, since its topic subscriber becomes known here a little later. */
  private static final int[] REPUBLISH_AFTER_SECONDS = {4, 12};

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final Setup in;
  private final PoolSpec spec;
  private final Map<String, AgentSpec> specs = new java.util.LinkedHashMap<>();
  private final PoolWants wants;
  private final PoolAgents agents;
  private final PoolQuota quota;
  private final IdleTracker idle;
  private final DecisionLog decisions;
  private final QueueDecisions queue;
  private final DecisionTimer timer;
  private final JournalHealth journalHealth;
  private final String persistenceId;
  /** Restart requests waiting, in arrival order, for the pool's restart budget. */
  private final RestartBudget restartBudget;
  private final Deque<Notice.RestartWanted> restartsWaiting = new ArrayDeque<>();
  /** Addresses of the nodes removed within the last registration rounds, and how many rounds were done. */
  private final Set<String> lostNodes = new HashSet<>();
  private int registrationRounds;
  /** This pool's answer to "is the agent busy", for the shard rebalance on this node (AgentActivity). */
  private final java.util.function.Predicate<String> busyHere;
  /** The command being handled, and the one whose decisions are being journalled (null when none). */
  private Command handling;
  private Command unjournalled;

  private AgentPool(ActorContext<Command> ctx, TimerScheduler<Command> timers, Setup in, ActorRef<NoticeInbox.Command> notices,
      IdleTracker idle) {
    super(persistenceId(in.fleet(), in.spec().name()), JournalHealth.get(ctx.getSystem()).restartStrategy());
    this.journalHealth = JournalHealth.get(ctx.getSystem());
    this.persistenceId = persistenceId(in.fleet(), in.spec().name()).id();
    this.ctx = ctx;
    this.timers = timers;
    this.in = in;
    this.spec = in.spec();
    this.restartBudget = new RestartBudget(in.deps().settings().poolRestartBudgetFor(spec),
        in.deps().settings().poolRestartWindowFor(spec));
    this.idle = idle;
    this.busyHere = agent -> idle.busyNow(agent, Instant.now());
    this.timer = new DecisionTimer(DecisionLatency.get(ctx.getSystem()));
    this.decisions = new DecisionLog(in.fleet(), spec.name(), in.quota().recentDecisions(), ctx.getSystem());
    for (AgentSpec a : in.agents()) {
      specs.put(a.name(), a);
    }
    PoolGraph graph = new PoolGraph(in.graph(), specs.keySet());
    /* Latest status of every agent of the fleet, this pool's and others'. */
    Map<String, AgentStatus> statuses = new HashMap<>();
    this.wants = new PoolWants(specs, graph, statuses, PoolWants.exemptAgents(in.agents(), spec.minActive()));
    this.queue = new QueueDecisions(spec, specs, graph, wants);
    this.quota = new PoolQuota(spec, specs, in.host(), in.quota(), wants, queue,
        new ActivationDecider(specs, graph, wants, statuses), idle, timer);
    ActorRef<AgentStatus> statusReplies = ctx.spawn(Behaviors.receive(AgentStatus.class).onAnyMessage(st -> {
      notices.tell(new Noticed(new Notice.StatusChanged(st)));
      return Behaviors.same();
    }).build(), "status-replies");
    this.agents = new PoolAgents(ctx.getSystem(), in, specs, graph, wants, statuses, statusReplies);
    in.statusTopic().tell(Topic.subscribe(ctx.messageAdapter(AgentStatuses.class, PeerStatuses::new)));
    Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
        ctx.messageAdapter(ClusterEvent.MemberRemoved.class, MemberRemoved::new), ClusterEvent.MemberRemoved.class));
    Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
        ctx.messageAdapter(ClusterEvent.MemberUp.class, MemberUp::new), ClusterEvent.MemberUp.class));
    AgentActivity.get(ctx.getSystem()).register(specs.keySet(), busyHere);
    agents.registerAll();
  }

  @Override
  public PoolState emptyState() {
    return PoolState.empty();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(Math.max(1, in.quota().snapshotEvery()), 2);
  }

  /** The ledger's own journal plugin (own connection pool, same tables): decisions never wait behind agents' writes. */
  @Override
  public String journalPluginId() {
    return in.quota().ledgerJournal();
  }

  @Override
  public Set<String> tagsFor(PoolEvent event) {
    return Set.of("pool");
  }

  @Override
  public EventHandler<PoolState, PoolEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(PoolState::apply);
  }

  @Override
  public SignalHandler<PoolState> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
      carryOutRecovered(state);
      journalHealth.recovered(persistenceId);
      ctx.getSelf().tell(Internal.BOOT);
      if (!restartsWaiting.isEmpty()) {
        ctx.getSelf().tell(Internal.GRANT_RESTARTS);
      }
      timers.startTimerWithFixedDelay(Internal.TICK, Internal.TICK, in.quota().idleCheckInterval());
    })
        .onSignal(RecoveryFailed.class, (state, f) -> journalFailed(JournalHealth.describe(f.getFailure())))
        .onSignal(PreRestart.instance(), state -> journalFailed(null))
        .onSignal(PostStop.instance(), state -> {
          journalHealth.forget(persistenceId);
          AgentActivity.get(ctx.getSystem()).unregister(specs.keySet(), busyHere);
        })
        .build();
  }

  @Override
  public CommandHandler<Command, PoolEvent, PoolState> commandHandler() {
    CommandHandler<Command, PoolEvent, PoolState> handlers = handlers();
    return (state, command) -> {
      handling = command;
      return handlers.apply(state, command);
    };
  }

  private CommandHandler<Command, PoolEvent, PoolState> handlers() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Activate.class, this::onActivate)
        .onCommand(ActivateBatch.class, this::onBatch)
        .onCommand(Deactivate.class, this::onDeactivate)
        .onCommand(Reset.class, this::onReset)
        .onCommand(GetStatuses.class, (s, m) -> reply(() -> m.replyTo().tell(agents.statusesOfPool())))
        .onCommand(GetPool.class, (s, m) -> reply(() -> m.replyTo().tell(quota.status(s))))
        .onCommand(GetDecisions.class, (s, m) -> reply(() -> m.replyTo().tell(new Decisions(decisions.recent(m.limit())))))
        .onCommand(SetQuota.class, this::onSetQuota)
        .onCommand(PeerStatuses.class, this::onPeerStatuses) // other pools' agents only (StashBypass)
        .onCommand(MemberRemoved.class, (s, m) -> reply(() -> onMemberRemoved(m.event())))
        .onCommand(MemberUp.class, (s, m) -> reply(this::onMemberUp))
        .onCommand(EngineEventFor.class, (s, m) -> reply(() -> agents.tell(m.agent(), new AgentEntity.FromEngine(m.event()))))
        .onCommand(Resync.class, (s, m) -> reply(agents::resync))
        .onCommand(Resized.class, this::onResized)
        .onCommand(NoticeBatch.class, this::onNotices)
        .onCommand(Internal.class, this::onInternal)
        .build();
  }

  private Effect<PoolEvent, PoolState> onInternal(PoolState s, Internal m) {
    timer.start();
    return switch (m) {
      case GRANT_RESTARTS -> grantRestarts();
      case BOOT -> persist(queue.boot(s, quota.budget(), Instant.now()));
      case TICK -> persist(queue.tick(s, quota.budget(), idle, in.deps().settings(), Instant.now()));
      case REGISTER -> reply(this::registerAgain);
      case REPUBLISH -> reply(agents::republish);
    };
  }

  // ---- activation ----

  /** A single request: a batch of one. */
  private Effect<PoolEvent, PoolState> onActivate(PoolState s, Activate m) {
    return onBatch(s, new ActivateBatch(List.of(m), null));
  }

  /**
   * Decides a batch of requests (see {@link ActivationInbox}) in arrival order, each against the state the
   * earlier ones leave, and journals all the decisions in one write before answering any of them.
   */
  private Effect<PoolEvent, PoolState> onBatch(PoolState s, ActivateBatch m) {
    long received = System.nanoTime();
    PoolQuota.Batch b = quota.decide(s, m.requests());
    return persist(b.events(), false).thenRun(after -> {
      b.answer(after, timer, received);
      if (m.inbox() != null) {
        m.inbox().tell(ActivationInbox.BatchDone.INSTANCE);
      }
    });
  }

  // ---- deactivation, reset, quota ----

  private Effect<PoolEvent, PoolState> onDeactivate(PoolState s, Deactivate m) {
    timer.start();
    if (!specs.containsKey(m.agent())) {
      return reply(() -> m.replyTo().tell(StatusReply.error("agent " + m.agent() + " is not in pool " + spec.name())));
    }
    return persist(quota.deactivate(s, m.agent(), m.reason())).thenRun(after -> m.replyTo().tell(StatusReply.ack()));
  }

  private Effect<PoolEvent, PoolState> onReset(PoolState s, Reset m) {
    EntityRef<AgentEntity.Command> e = agents.entity(m.agent());
    if (e == null) {
      return reply(() -> m.replyTo().tell(StatusReply.error("agent " + m.agent() + " is not in pool " + spec.name())));
    }
    return reply(() -> e.tell(new AgentEntity.Reset(m.replyTo())));
  }

  private Effect<PoolEvent, PoolState> onSetQuota(PoolState s, SetQuota m) {
    timer.start();
    PoolQuota.QuotaChange c = quota.change(s, m);
    if (c.error() != null) {
      return reply(() -> m.replyTo().tell(StatusReply.error(c.error())));
    }
    return persist(c.events()).thenRun(after -> m.replyTo().tell(StatusReply.success(quota.status(after))));
  }

  // ---- statuses ----

  /** A batch of notices: statuses and restart requests, then one round of decisions (adoptions, drain). */
  private Effect<PoolEvent, PoolState> onNotices(PoolState s, NoticeBatch m) {
    timer.start();
    List<PoolEvent> events = new ArrayList<>();
    boolean freed = false;
    boolean restartsWanted = false;
    for (Notice n : m.notices()) {
      if (n instanceof Notice.StatusChanged c) {
        freed |= agents.observe(s, c.status(), true, events);
      } else if (n instanceof Notice.RestartWanted w) {
        restartsWaiting.addLast(w);
        restartsWanted = true;
      }
    }
    drainIfFreed(s, freed, events);
    if (restartsWanted) {
      grantRestarts();
    }
    agents.publish();
    return persist(events).thenRun(after -> m.inbox().tell(NoticeInbox.BatchDone.INSTANCE));
  }

  private Effect<PoolEvent, PoolState> onPeerStatuses(PoolState s, PeerStatuses m) {
    timer.start();
    List<PoolEvent> events = new ArrayList<>();
    boolean freed = false;
    for (AgentStatus status : m.statuses().statuses()) {
      freed |= agents.observe(s, status, false, events);
    }
    drainIfFreed(s, freed, events);
    return persist(events);
  }

  /**
   * A right-sized container: journalled as a decision and, with {@code count-in-quota}, its agent counts at
   * the new limits from now on; room that frees goes to waiting requests.
   */
  private Effect<PoolEvent, PoolState> onResized(PoolState s, Resized m) {
    timer.start();
    List<PoolEvent> events = new ArrayList<>();
    events.add(new PoolEvent.Resized(m.agent(), m.reason(), Instant.now()));
    if (in.quota().rightSizing().countInQuota()) {
      drainIfFreed(s, wants.occupancy().resize(m.agent(), m.containerId(), m.memoryLimitBytes(), m.cpus()), events);
    }
    return persist(events);
  }

  /** When quota was freed and requests wait, the queue is drained against the budget in force. */
  private void drainIfFreed(PoolState s, boolean freed, List<PoolEvent> events) {
    if (freed && !s.queue().isEmpty()) {
      events.addAll(queue.drain(s, quota.budget(), Instant.now()));
    }
  }

  // ---- effects ----

  private Effect<PoolEvent, PoolState> reply(Runnable action) {
    action.run();
    return Effect().none();
  }

  /** Journals the decisions, then publishes them and carries them out. */
  private EffectBuilder<PoolEvent, PoolState> persist(List<PoolEvent> events) {
    return persist(events, true);
  }

  /** {@code timed}: record the decision latency from the start of the command (batches record their own). */
  private EffectBuilder<PoolEvent, PoolState> persist(List<PoolEvent> events, boolean timed) {
    if (events.isEmpty()) {
      return Effect().none();
    }
    long since = timed ? timer.computed() : 0;
    unjournalled = handling;
    return Effect().persist(events).thenRun(after -> {
      unjournalled = null;
      if (timed) {
        timer.journalled(System.nanoTime() - since);
      }
      carryOut(after, events);
    });
  }

  // ---- after journalling: carrying the decisions out ----

  /**
   * Publishes and carries out {@code events}, just journalled, which led to {@code after}: admitted agents and
   * their dependencies started, adoptions counted, the new quota taken, released agents stopped. Never before
   * the write: a decision lost with a crash was never acted on.
   */
  private void carryOut(PoolState after, List<PoolEvent> events) {
    for (PoolEvent e : events) {
      decisions.journalled(e, ctx.getLog());
      if (e instanceof PoolEvent.Admitted a) {
        idle.touch(a.agent(), Instant.now());
        agents.requestOtherPoolDependencies(a.agent());
        wants.add(a.agent()).forEach(agents::startIfReady);
      } else if (e instanceof PoolEvent.Adopted a) {
        wants.add(a.agent());
      } else if (e instanceof PoolEvent.QuotaChanged) {
        quota.refresh(after);
      }
    }
    Map<String, String> released = new HashMap<>();
    events.stream().filter(e -> e instanceof PoolEvent.Released).forEach(e -> released.put(e.agent(), e.reason()));
    released.keySet().stream().filter(a -> !wants.knows(a)).forEach(agents::removeIfLeftTheFleet);
    if (!released.isEmpty()) {
      for (Map.Entry<String, String> gone : wants.reset(after.requested()).entrySet()) {
        agents.tell(gone.getKey(), new AgentEntity.Deactivate(released.getOrDefault(gone.getKey(), gone.getValue()),
            ctx.getSystem().ignoreRef()));
      }
    }
  }

  /** After recovery (also after a journal failure, when the entities kept running): carry out what the ledger says. */
  private void carryOutRecovered(PoolState state) {
    quota.refresh(state);
    // Agents the ledger names that are no longer the pool's are left alone; BOOT journals their release.
    Set<String> requested = state.requested().stream().filter(wants::knows).collect(Collectors.toSet());
    agents.deactivate(wants.reset(requested));
    agents.startAllReady();
    // A request for a dependency in another pool may have been lost with a crash: ask again (idempotent).
    requested.forEach(agents::requestOtherPoolDependencies);
  }

  // ---- restarts: entities ask, and wait in arrival order until the pool's restart budget has room ----

  /** Permits the waiting restarts the budget has room for; when some still wait, tries again once it has room. */
  private Effect<PoolEvent, PoolState> grantRestarts() {
    Instant now = Instant.now();
    while (!restartsWaiting.isEmpty() && restartBudget.tryTake(now)) {
      Notice.RestartWanted w = restartsWaiting.removeFirst();
      agents.tell(w.agent(), new AgentEntity.RestartPermitted(w.attempt()));
    }
    if (!restartsWaiting.isEmpty()) {
      Duration wait = restartBudget.untilRoom(now);
      ctx.getLog().warn("pool {}: restart budget spent, {} restart(s) wait {} ms", spec.name(), restartsWaiting.size(),
          wait.toMillis());
      timers.startSingleTimer(Internal.GRANT_RESTARTS, Internal.GRANT_RESTARTS, wait.plusMillis(10));
    }
    return Effect().none();
  }

  // ---- cluster membership ----

  /**
   * A node was removed: register its agents (those whose last status came from it, and any that has not
   * reported) now and again over the next minute, since the shard coordinator may not yet have released
   * the lost node's shards when the first registration arrives (its Distributed Data update may be retried
   * for a while), and a registration to the dead region is lost. An agent drops out of the later rounds once
   * it reports from another node. Agents on the other nodes are left alone.
   */
  private void onMemberRemoved(ClusterEvent.MemberRemoved event) {
    lostNodes.add(event.member().address().toString());
    registrationRounds = 0;
    int n = agents.registerLost(lostNodes);
    ctx.getLog().info("pool {}: node {} left the cluster; registering its {} agent(s) again so they restart elsewhere",
        spec.name(), event.member().address(), n);
    for (int i = 0; i < REGISTER_AFTER_SECONDS.length; i++) {
      timers.startSingleTimer("register-" + i, Internal.REGISTER, Duration.ofSeconds(REGISTER_AFTER_SECONDS[i]));
    }
  }

  /** A repeated registration round (see {@link #onMemberRemoved}); the last one forgets the lost nodes. */
  private void registerAgain() {
    agents.registerLost(lostNodes);
    registrationRounds++;
    if (registrationRounds >= REGISTER_AFTER_SECONDS.length) {
      lostNodes.clear();
      registrationRounds = 0;
    }
  }

  /** A node joined: it learns the statuses of agents that do not change only if they are published again. */
  private void onMemberUp() {
    for (int i = 0; i < REPUBLISH_AFTER_SECONDS.length; i++) {
      timers.startSingleTimer("republish-" + i, Internal.REPUBLISH, Duration.ofSeconds(REPUBLISH_AFTER_SECONDS[i]));
    }
  }

  // ---- the journal's availability ----

  /**
   * A write or the recovery failed: the pool restarts with backoff and recovers; its agents keep running. The
   * command whose decisions were not written was never acknowledged: activations, deactivations and quota
   * changes are answered with the journal's problem (their senders may try again); its inboxes get the
   * go-ahead for their next batch. Ticks, boot and status rounds decide again after recovery. Never a silent loss.
   */
  private void journalFailed(String reason) {
    journalHealth.failed(persistenceId, reason);
    String error = journalHealth.problemOf(persistenceId).orElse(JournalHealth.PREFIX + JournalHealth.WRITE_FAILED)
        + " (pool " + spec.name() + "); try again";
    Command c = unjournalled;
    unjournalled = null;
    if (c instanceof ActivateBatch b) {
      b.requests().forEach(a -> a.replyTo().tell(StatusReply.error(error)));
      if (b.inbox() != null) {
        b.inbox().tell(ActivationInbox.BatchDone.INSTANCE);
      }
    } else if (c instanceof Activate a) {
      a.replyTo().tell(StatusReply.error(error));
    } else if (c instanceof Deactivate d) {
      d.replyTo().tell(StatusReply.error(error));
    } else if (c instanceof SetQuota q) {
      q.replyTo().tell(StatusReply.error(error));
    } else if (c instanceof NoticeBatch n) {
      n.inbox().tell(NoticeInbox.BatchDone.INSTANCE);
    }
  }
}
