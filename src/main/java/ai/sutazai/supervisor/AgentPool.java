package ai.sutazai.supervisor;

import ai.sutazai.JournalHealth;
import ai.sutazai.capacity.CapacityAnalysis;
import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.DependencyGraph;
import ai.sutazai.fleet.PoolSpec;
import ai.sutazai.runtime.ContainerEvent;
import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.BehaviorInterceptor;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.pubsub.Topic;
import akka.cluster.ClusterEvent;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import ai.sutazai.CborSerializable;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * the entities of a lost node's shards on the survivors. Agents' {@link AgentEntity.Notice}s arrive
 * through the proxy and are diverted, before the journal's stash, to the pool's {@link NoticeInbox}.
 * Everything it receives or answers is Jackson-serializable.
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

  /** An agent's status changed somewhere in the fleet. */
  public record PeerStatus(AgentStatus status) implements Command {}

  public record EngineEventFor(String agent, ContainerEvent event) implements Command {}

  /** The engine came back: every entity checks its container. */
  public enum Resync implements Command { INSTANCE }

  /** From the right-sizer: a running container's limits were changed. */
  record Resized(String agent, String reason) implements Command {}

  /** Notices of this pool's agents, in arrival order, from its {@link NoticeInbox}, which is told when they are handled. */
  public record NoticeBatch(List<AgentEntity.Notice> notices, ActorRef<NoticeInbox.Command> inbox) implements Command {}

  private enum Internal implements Command { GRANT_RESTARTS, BOOT, TICK, REGISTER, REPUBLISH }

  /** A node left the cluster: its agents' shards are re-allocated once their entities are asked for. */
  private record MemberRemoved(ClusterEvent.MemberRemoved event) implements Command {}

  /** A node joined: it learns the statuses of agents that do not change through the topic only if they are sent again. */
  private record MemberUp(ClusterEvent.MemberUp event) implements Command {}

  /**
   * What a pool is made of.
   *
   * @param fleetSupervisor where requests for dependencies that live in other pools are sent
   */
  public record Setup(String fleet, PoolSpec spec, List<AgentSpec> agents, DependencyGraph graph, AgentEntity.Deps deps,
      ActorRef<Topic.Command<AgentStatus>> statusTopic, CapacityAnalysis.Host host, QuotaSettings quota,
      ActorRef<FleetSupervisor.Command> fleetSupervisor) {}

  public static PersistenceId persistenceId(String fleet, String pool) {
    return PersistenceId.of("Pool", fleet + ":" + pool);
  }

  public static Behavior<Command> create(Setup setup) {
    return Behaviors.setup(ctx -> {
      ActorRef<NoticeInbox.Command> notices = ctx.spawn(NoticeInbox.create(ctx.getSelf(),
          persistenceId(setup.fleet(), setup.spec().name()).id(), setup.quota().maxBatch()), "notices");
      // Notices bypass the journal's stash: they wait, batched, in the inbox (see NoticeInbox).
      Behavior<Command> pool = Behaviors.withTimers(timers -> new AgentPool(ctx, timers, setup, notices));
      return Behaviors.intercept(() -> new NoticeDivert(notices), pool);
    });
  }

  /** Hands {@link AgentEntity.Notice}s straight to the inbox; everything else goes to the pool. */
  private static final class NoticeDivert extends BehaviorInterceptor<Command, Command> {
    private final ActorRef<NoticeInbox.Command> inbox;

    NoticeDivert(ActorRef<NoticeInbox.Command> inbox) {
      super(Command.class);
      this.inbox = inbox;
    }

    @Override
    public Behavior<Command> aroundReceive(TypedActorContext<Command> ctx, Command msg, ReceiveTarget<Command> target) {
      if (msg instanceof AgentEntity.Notice n) {
        inbox.tell(n);
        return Behaviors.same();
      }
      return target.apply(ctx, msg);
    }
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final Setup in;
  private final PoolSpec spec;
  private final PoolGraph graph;
  private final Map<String, AgentSpec> specs = new LinkedHashMap<>();
  private final Map<String, EntityRef<AgentEntity.Command>> entities = new HashMap<>();
  /** Where entities' answers to GetStatus go: into the notice inbox, as status changes. */
  private final ActorRef<AgentStatus> statusReplies;
  /** Latest status of every agent of the fleet, this pool's and others'. */
  private final Map<String, AgentStatus> statuses = new HashMap<>();
  private final PoolWants wants;
  private final IdleTracker idle;
  private final DecisionLog decisions;
  private final RestartBudget restartBudget;
  private final Deque<AgentEntity.RestartWanted> waitingRestarts = new ArrayDeque<>();
  private final QueueDecisions queue;
  private final ActivationDecider decider;
  private final DecisionLatency latency;
  /** When the command being handled started (System.nanoTime), for {@link DecisionLatency}. */
  private long handlingSince;
  private Budget budget;
  private final JournalHealth journal;
  /** The command being handled, and the one whose decisions are being journalled (null when none). */
  private Command handling;
  private Command unjournalled;

  private AgentPool(ActorContext<Command> ctx, TimerScheduler<Command> timers, Setup in, ActorRef<NoticeInbox.Command> notices) {
    super(persistenceId(in.fleet(), in.spec().name()), JournalHealth.get(ctx.getSystem()).restartStrategy());
    this.journal = JournalHealth.get(ctx.getSystem());
    this.ctx = ctx;
    this.timers = timers;
    this.in = in;
    this.spec = in.spec();
    SupervisorSettings s = in.deps().settings();
    this.restartBudget = new RestartBudget(s.poolRestartBudget(), s.poolRestartWindow());
    this.idle = new IdleTracker(in.quota().busyWindow());
    this.budget = Budget.resolve(spec, in.host(), in.quota().targets());
    this.latency = DecisionLatency.get(ctx.getSystem());
    this.decisions = new DecisionLog(in.fleet(), spec.name(), in.quota().recentDecisions(), ctx.getSystem());
    for (AgentSpec a : in.agents()) {
      specs.put(a.name(), a);
    }
    this.graph = new PoolGraph(in.graph(), specs.keySet());
    this.wants = new PoolWants(specs, graph, statuses, exemptAgents(in.agents(), spec.minActive()));
    this.queue = new QueueDecisions(spec, specs, graph, wants);
    this.decider = new ActivationDecider(specs, graph, wants, statuses);
    ClusterSharding sharding = ClusterSharding.get(ctx.getSystem());
    for (AgentSpec a : in.agents()) {
      entities.put(a.name(), sharding.entityRefFor(AgentEntity.TYPE_KEY, a.name()));
    }
    this.statusReplies = ctx.spawn(Behaviors.receive(AgentStatus.class).onAnyMessage(st -> {
      notices.tell(new AgentEntity.StatusChanged(st));
      return Behaviors.same();
    }).build(), "status-replies");
    in.statusTopic().tell(Topic.subscribe(ctx.messageAdapter(AgentStatus.class, PeerStatus::new)));
    Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
        ctx.messageAdapter(ClusterEvent.MemberRemoved.class, MemberRemoved::new), ClusterEvent.MemberRemoved.class));
    Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
        ctx.messageAdapter(ClusterEvent.MemberUp.class, MemberUp::new), ClusterEvent.MemberUp.class));
    registerAll();
  }

  /**
   * Registers every agent of the pool with its entity, which starts the entity (on the node its shard is
   * allocated to) if it is not running, and asks for its status.
   */
  private void registerAll() {
    ActorRef<StatusReply<Done>> ignore = ctx.getSystem().ignoreRef();
    for (AgentSpec a : in.agents()) {
      EntityRef<AgentEntity.Command> e = entities.get(a.name());
      e.tell(new AgentEntity.Register(a, ignore));
      e.tell(new AgentEntity.GetStatus(statusReplies));
    }
  }

  /** activation = always, and the pool's min-active most important agents: started at boot, never stopped. */
  private static Set<String> exemptAgents(List<AgentSpec> agents, int minActive) {
    Set<String> out = new java.util.HashSet<>();
    agents.stream().filter(a -> a.activation() == AgentSpec.Activation.ALWAYS).forEach(a -> out.add(a.name()));
    agents.stream().sorted(CapacityAnalysis.admissionOrder()).limit(Math.max(0, minActive)).forEach(a -> out.add(a.name()));
    return out;
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
      budget = Budget.resolve(quotaOf(state), in.host(), in.quota().targets());
      // After a journal failure the entities kept running: carry out what the recovered ledger says.
      wants.reset(state.requested()).forEach((agent, why) ->
          tellEntity(agent, new AgentEntity.Deactivate(why, ctx.getSystem().ignoreRef())));
      specs.keySet().forEach(this::startIfReady);
      // A request for a dependency in another pool may have been lost with a crash: ask again (idempotent).
      state.requested().forEach(this::requestOtherPoolDependencies);
      journal.recovered(persistenceId(in.fleet(), spec.name()).id());
      ctx.getSelf().tell(Internal.BOOT);
      if (!waitingRestarts.isEmpty()) {
        ctx.getSelf().tell(Internal.GRANT_RESTARTS);
      }
      timers.startTimerWithFixedDelay(Internal.TICK, Internal.TICK, in.quota().idleCheckInterval());
    })
        .onSignal(RecoveryFailed.class, (state, f) -> onJournalFailure(JournalHealth.describe(f.getFailure())))
        .onSignal(PreRestart.instance(), state -> onJournalFailure(null))
        .onSignal(PostStop.instance(), state -> journal.forget(persistenceId(in.fleet(), spec.name()).id()))
        .build();
  }

  /** A write or the recovery failed: the pool restarts with backoff and recovers; its agents keep running. */
  private void onJournalFailure(String reason) {
    String id = persistenceId(in.fleet(), spec.name()).id();
    journal.failed(id, reason);
    Unjournalled.ofPool(unjournalled, journal.problemOf(id).orElse(JournalHealth.PREFIX + JournalHealth.WRITE_FAILED)
        + " (pool " + spec.name() + "); try again");
    unjournalled = null;
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
        .onCommand(GetStatuses.class, this::onGetStatuses)
        .onCommand(GetPool.class, (s, m) -> reply(() -> m.replyTo().tell(poolStatus(s))))
        .onCommand(GetDecisions.class, (s, m) -> reply(() -> m.replyTo().tell(new Decisions(decisions.recent(m.limit())))))
        .onCommand(SetQuota.class, this::onSetQuota)
        .onCommand(Touch.class, (s, m) -> reply(() -> idle.touch(m.agent(), Instant.now())))
        .onCommand(Busy.class, (s, m) -> reply(() -> idle.inFlight(m.agent(), m.inFlight(), Instant.now())))
        .onCommand(PeerStatus.class, (s, m) -> specs.containsKey(m.status().name()) ? Effect().none() : onStatus(s, m.status(), false))
        .onCommand(MemberRemoved.class, this::onMemberRemoved)
        .onCommand(MemberUp.class, (s, m) -> reply(() -> {
          // Twice: the new node's topic subscriber becomes known here through the receptionist, a little later.
          timers.startSingleTimer("republish-1", Internal.REPUBLISH, REREGISTER_AFTER.multipliedBy(2));
          timers.startSingleTimer("republish-2", Internal.REPUBLISH, REREGISTER_AFTER.multipliedBy(6));
        }))
        .onCommand(EngineEventFor.class, (s, m) -> reply(() -> tellEntity(m.agent(), new AgentEntity.FromEngine(m.event()))))
        .onCommand(Resync.class, (s, m) -> reply(() -> entities.values().forEach(e -> e.tell(new AgentEntity.ResyncContainer()))))
        .onCommand(Resized.class, (s, m) -> persist(List.of(new PoolEvent.Resized(m.agent(), m.reason(), Instant.now()))))
        .onCommand(NoticeBatch.class, this::onNotices)
        .onCommand(Internal.class, this::onInternal)
        .build();
  }

  private Effect<PoolEvent, PoolState> onInternal(PoolState s, Internal m) {
    handlingSince = System.nanoTime();
    return switch (m) {
      case GRANT_RESTARTS -> grantRestarts();
      case BOOT -> persist(queue.boot(s, budget, Instant.now()));
      case TICK -> persist(queue.tick(s, budget, idle, in.deps().settings(), Instant.now()));
      case REGISTER -> reply(this::registerAll);
      case REPUBLISH -> reply(() -> specs.keySet().forEach(a -> {
        AgentStatus st = statuses.get(a);
        if (st != null) {
          in.statusTopic().tell(Topic.publish(st));
        }
      }));
    };
  }

  /**
   * A node was removed: register the agents now and again over the next minute, since the shard
   * coordinator may not yet have released the lost node's shards when the first registration arrives.
   */
  private Effect<PoolEvent, PoolState> onMemberRemoved(PoolState s, MemberRemoved m) {
    ctx.getLog().info("pool {}: node {} left the cluster; registering the agents again so lost ones restart elsewhere",
        spec.name(), m.event().member().address());
    registerAll();
    // Until the coordinator has released the lost node's shards (its Distributed Data update may be retried
    // for a while), a registration may go to the dead region and be lost: keep registering for a minute.
    int[] afterSeconds = {2, 6, 15, 30, 60};
    for (int i = 0; i < afterSeconds.length; i++) {
      timers.startSingleTimer("register-" + i, Internal.REGISTER, Duration.ofSeconds(afterSeconds[i]));
    }
    return Effect().none();
  }

  /** Delay of the repeated registration after a node is removed. */
  private static final Duration REREGISTER_AFTER = Duration.ofSeconds(2);

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
    Instant now = Instant.now();
    AdmissionPlan plan = new AdmissionPlan(budget, wants.occupancy(), specs);
    PoolState projected = s;
    List<PoolEvent> events = new ArrayList<>();
    List<Activate> batch = new ArrayList<>(m.requests().size());
    List<java.util.function.Function<PoolState, ActivationResult>> replies = new ArrayList<>(m.requests().size());
    for (Activate a : m.requests()) {
      if (!specs.containsKey(a.agent())) {
        a.replyTo().tell(StatusReply.error("agent " + a.agent() + " is not in pool " + spec.name()));
        continue;
      }
      long t = System.nanoTime();
      ActivationDecider.Outcome o = decider.decide(projected, plan, a, budget, idle, now);
      latency.recordCompute(System.nanoTime() - t);
      for (PoolEvent e : o.events()) {
        projected = projected.apply(e);
        events.add(e);
      }
      batch.add(a);
      replies.add(o.reply());
    }
    return persist(events, false).thenRun(after -> {
      long done = System.nanoTime();
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).replyTo().tell(StatusReply.success(replies.get(i).apply(after)));
        latency.record(done - received);
      }
      if (m.inbox() != null) {
        m.inbox().tell(ActivationInbox.BatchDone.INSTANCE);
      }
    });
  }

  // ---- deactivation, reset, quota ----

  private Effect<PoolEvent, PoolState> onDeactivate(PoolState s, Deactivate m) {
    handlingSince = System.nanoTime();
    String agent = m.agent();
    if (!specs.containsKey(agent)) {
      return reply(() -> m.replyTo().tell(StatusReply.error("agent " + agent + " is not in pool " + spec.name())));
    }
    Instant now = Instant.now();
    List<PoolEvent> events = new ArrayList<>();
    for (QueueEntry e : s.queue()) {
      if (e.agent().equals(agent)) {
        events.add(new PoolEvent.Rejected(e.seq(), agent, "cancelled " + agent + ": " + m.reason(), now));
      }
    }
    if (s.requested().contains(agent)) {
      events.addAll(wants.release(s, Map.of(agent, new PoolWants.Release(ScalingDecision.Kind.STOPPED,
          "stopped " + agent + ": " + m.reason())), now));
    }
    return persist(events).thenRun(after -> m.replyTo().tell(StatusReply.ack()));
  }

  private Effect<PoolEvent, PoolState> onReset(PoolState s, Reset m) {
    EntityRef<AgentEntity.Command> e = entities.get(m.agent());
    if (e == null) {
      return reply(() -> m.replyTo().tell(StatusReply.error("agent " + m.agent() + " is not in pool " + spec.name())));
    }
    return reply(() -> e.tell(new AgentEntity.Reset(m.replyTo())));
  }

  private Effect<PoolEvent, PoolState> onSetQuota(PoolState s, SetQuota m) {
    handlingSince = System.nanoTime();
    PoolSpec current = quotaOf(s);
    List<String> problems = QueueDecisions.quotaProblems(m.maxActive(), m.memoryBudgetBytes(), m.cpuBudget());
    if (!problems.isEmpty()) {
      return reply(() -> m.replyTo().tell(StatusReply.error("pool " + spec.name() + ": " + String.join("; ", problems))));
    }
    PoolSpec next = new PoolSpec(spec.name(), m.maxActive() != null ? m.maxActive() : current.maxActive(),
        m.memoryBudgetBytes() != null ? m.memoryBudgetBytes() : current.memoryBudgetBytes(),
        m.cpuBudget() != null ? m.cpuBudget() : current.cpuBudget(), spec.minActive());
    Budget b = Budget.resolve(next, in.host(), in.quota().targets());
    Instant now = Instant.now();
    List<PoolEvent> events = new ArrayList<>();
    events.add(new PoolEvent.QuotaChanged(next.maxActive(), next.memoryBudgetBytes(), next.cpuBudget(),
        "quota of pool " + spec.name() + " set to " + b.maxActive() + " agents, " + Budget.size(b.memoryBytes()) + ", "
            + Budget.cores(b.cpus()) + " cores; in use " + new AdmissionPlan(b, wants.occupancy(), specs).usage(), now));
    events.addAll(queue.drain(s, b, now));
    return persist(events).thenRun(after -> m.replyTo().tell(StatusReply.success(poolStatus(after))));
  }

  private PoolSpec quotaOf(PoolState s) {
    return s.quota() != null ? s.quota() : spec;
  }

  // ---- statuses ----

  /** A batch of notices: statuses and restart requests, then one round of decisions (adoptions, drain). */
  private Effect<PoolEvent, PoolState> onNotices(PoolState s, NoticeBatch m) {
    handlingSince = System.nanoTime();
    List<PoolEvent> events = new ArrayList<>();
    boolean freed = false;
    boolean restarts = false;
    for (AgentEntity.Notice n : m.notices()) {
      if (n instanceof AgentEntity.StatusChanged c) {
        freed |= observe(s, c.status(), true, events);
      } else if (n instanceof AgentEntity.RestartWanted w) {
        waitingRestarts.addLast(w);
        restarts = true;
      }
    }
    if (restarts) {
      grantRestarts();
    }
    if (freed && !s.queue().isEmpty()) {
      events.addAll(queue.drain(s, budget, Instant.now()));
    }
    return persist(events).thenRun(after -> m.inbox().tell(NoticeInbox.BatchDone.INSTANCE));
  }

  private Effect<PoolEvent, PoolState> onStatus(PoolState s, AgentStatus status, boolean mine) {
    handlingSince = System.nanoTime();
    List<PoolEvent> events = new ArrayList<>();
    boolean freed = observe(s, status, mine, events);
    if (freed && !s.queue().isEmpty()) {
      events.addAll(queue.drain(s, budget, Instant.now()));
    }
    return persist(events);
  }

  /** A status change: degradation to dependents, starts that became possible, adoptions; true when quota was freed. */
  private boolean observe(PoolState s, AgentStatus status, boolean mine, List<PoolEvent> events) {
    AgentStatus previous = statuses.put(status.name(), status);
    if (mine) {
      in.statusTopic().tell(Topic.publish(status));
    }
    boolean wasUp = previous != null && previous.phase() == AgentPhase.HEALTHY;
    boolean isUp = status.phase() == AgentPhase.HEALTHY;
    if (wasUp != isUp || previous == null) {
      for (String dependent : graph.fleet().dependentsOf(status.name())) {
        EntityRef<AgentEntity.Command> e = entities.get(dependent);
        if (e != null && isUp) {
          e.tell(new AgentEntity.DependencyUp(status.name()));
          startIfReady(dependent);
        } else if (e != null && wasUp) {
          e.tell(new AgentEntity.DependencyDown(status.name()));
        }
      }
    }
    if (!specs.containsKey(status.name())) {
      return false;
    }
    boolean freed = wants.observe(status);
    startIfReady(status.name());
    boolean adopting = events.stream().anyMatch(e -> e instanceof PoolEvent.Adopted && e.agent().equals(status.name()));
    if (!adopting && wants.shouldAdopt(status, s)) {
      events.add(new PoolEvent.Adopted(status.name(), "adopted " + status.name() + ": found " + status.phase()
          + " without an admission in the ledger", Instant.now()));
    }
    return freed;
  }

  /** Activates a wanted, inactive agent whose dependencies are all healthy. */
  private void startIfReady(String name) {
    AgentStatus s = statuses.get(name);
    if (!wants.wanted(name) || s == null || s.desiredActive() || s.phase() == AgentPhase.CRASH_LOOP
        || s.phase() == AgentPhase.REMOVED) {
      return;
    }
    for (String d : specs.get(name).dependsOn()) {
      AgentStatus ds = statuses.get(d);
      if (ds == null || ds.phase() != AgentPhase.HEALTHY) {
        return;
      }
    }
    String why = wants.requestedHere(name) ? "admitted by pool " + spec.name() : "dependency of an active agent";
    entities.get(name).tell(new AgentEntity.Activate(why, ctx.getSystem().ignoreRef()));
    // Optimistic: count it as desired until its own status arrives, so it is not asked twice.
    statuses.put(name, new AgentStatus(s.name(), s.pool(), AgentPhase.ACTIVATING, true, s.containerId(), s.totalRestarts(),
        why, Instant.now(), s.lastColdStartMillis(), s.degradedBy(), s.priority(), s.memoryBytes(), s.cpus()));
  }

  private Effect<PoolEvent, PoolState> onGetStatuses(PoolState s, GetStatuses m) {
    List<AgentStatus> out = new ArrayList<>();
    for (String name : specs.keySet()) {
      AgentStatus st = statuses.get(name);
      if (st != null) {
        out.add(st);
      }
    }
    return reply(() -> m.replyTo().tell(out));
  }

  private PoolStatus poolStatus(PoolState s) {
    return PoolStatus.of(spec.name(), Budget.resolve(quotaOf(s), in.host(), in.quota().targets()), wants.occupancy(), s.queue(),
        Instant.now());
  }

  // ---- effects ----

  private Effect<PoolEvent, PoolState> reply(Runnable action) {
    action.run();
    return Effect().none();
  }

  private void tellEntity(String agent, AgentEntity.Command c) {
    EntityRef<AgentEntity.Command> e = entities.get(agent);
    if (e != null) {
      e.tell(c);
    }
  }

  /** Journals the decisions, then publishes them and carries them out. */
  private EffectBuilder<PoolEvent, PoolState> persist(List<PoolEvent> events) {
    return persist(events, true);
  }

  /** {@code timed}: record the decision latency from {@link #handlingSince} (batches record their own). */
  private EffectBuilder<PoolEvent, PoolState> persist(List<PoolEvent> events, boolean timed) {
    if (events.isEmpty()) {
      return Effect().none();
    }
    long since = handlingSince;
    if (timed) {
      latency.recordCompute(System.nanoTime() - since);
    }
    unjournalled = handling;
    return Effect().persist(events).thenRun(after -> {
      unjournalled = null;
      if (timed) {
        latency.record(System.nanoTime() - since);
      }
      for (PoolEvent e : events) {
        decisions.journalled(e, ctx.getLog());
        carryOut(after, e);
      }
      Map<String, String> released = new HashMap<>();
      events.stream().filter(e -> e instanceof PoolEvent.Released).forEach(e -> released.put(e.agent(), e.reason()));
      if (!released.isEmpty()) {
        for (Map.Entry<String, String> gone : wants.reset(after.requested()).entrySet()) {
          String reason = released.getOrDefault(gone.getKey(), gone.getValue());
          tellEntity(gone.getKey(), new AgentEntity.Deactivate(reason, ctx.getSystem().ignoreRef()));
        }
      }
    });
  }

  private void carryOut(PoolState after, PoolEvent e) {
    if (e instanceof PoolEvent.Admitted a) {
      idle.touch(a.agent(), Instant.now());
      requestOtherPoolDependencies(a.agent());
      wants.add(a.agent()).forEach(this::startIfReady);
    } else if (e instanceof PoolEvent.Adopted a) {
      wants.add(a.agent());
    } else if (e instanceof PoolEvent.QuotaChanged) {
      budget = Budget.resolve(quotaOf(after), in.host(), in.quota().targets());
    }
  }

  /**
   * Dependencies of {@code agent} that live in other pools are requested from those pools (source
   * DEPENDENCY), where they count against that pool's quota; {@code agent} starts once they are healthy.
   * That pool keeps them while an active dependent needs them, then stops them after their idle-timeout.
   */
  private void requestOtherPoolDependencies(String agent) {
    for (String d : graph.otherPoolDependencies(agent)) {
      in.fleetSupervisor().tell(new FleetSupervisor.Activate(d, ActivationSource.DEPENDENCY,
          "dependency of " + agent + " (pool " + spec.name() + ")", null, ctx.getSystem().ignoreRef()));
    }
  }

  private Effect<PoolEvent, PoolState> grantRestarts() {
    Instant now = Instant.now();
    while (!waitingRestarts.isEmpty() && restartBudget.tryTake(now)) {
      AgentEntity.RestartWanted w = waitingRestarts.removeFirst();
      w.entity().tell(new AgentEntity.RestartPermitted(w.attempt()));
    }
    if (!waitingRestarts.isEmpty()) {
      Duration wait = restartBudget.untilRoom(now);
      ctx.getLog().warn("pool {}: restart budget spent, {} restart(s) wait {} ms", spec.name(), waitingRestarts.size(), wait.toMillis());
      timers.startSingleTimer(Internal.GRANT_RESTARTS, Internal.GRANT_RESTARTS, wait.plusMillis(10));
    }
    return Effect().none();
  }
}
