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
import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
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
 * <h2>Its parts</h2>
 * This class holds the protocol and the journal wiring; the rest lives in package-private helpers used only
 * from this actor: {@link PoolQuota} (budget, decisions on batches, deactivations, quota changes),
 * {@link NoticeDecisions} (notices and peers' statuses), {@link PoolAgents} (the entities, statuses, starts),
 * {@link PoolActions} (what is done once decisions are journalled), {@link PoolRestarts},
 * {@link PoolMembership} (cluster members), {@link PoolJournalling} and {@link DecisionTimer}.
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

  /** From the right-sizer: a running container's limits were changed. */
  public record Resized(String agent, String reason) implements Command {}

  /** Notices of this pool's agents, in arrival order, from its {@link NoticeInbox}, which is told when they are handled. */
  /** An agent's notice, as its node's notice router passes it on (StashBypass hands it to the inbox). */
  public record Noticed(Notice notice) implements Command, NoticeInbox.Command {}

  public record NoticeBatch(List<Notice> notices, ActorRef<NoticeInbox.Command> inbox) implements Command {}

  /** Timers of the pool; package-private for {@link PoolMembership}. */
  enum Internal implements Command { GRANT_RESTARTS, BOOT, TICK, REGISTER, REPUBLISH }

  /** A node left the cluster: its agents' shards are re-allocated once their entities are asked for (see {@link PoolMembership}). */
  record MemberRemoved(ClusterEvent.MemberRemoved event) implements Command {}

  /** A node joined: it learns the statuses of agents that do not change through the topic only if they are sent again. */
  record MemberUp(ClusterEvent.MemberUp event) implements Command {}

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

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final Setup in;
  private final PoolSpec spec;
  private final Map<String, AgentSpec> specs = new java.util.LinkedHashMap<>();
  private final PoolWants wants;
  private final PoolAgents agents;
  private final PoolQuota quota;
  private final PoolMembership membership;
  private final PoolActions actions;
  private final NoticeDecisions noticeDecisions;
  private final IdleTracker idle;
  private final DecisionLog decisions;
  private final PoolRestarts restarts;
  private final QueueDecisions queue;
  private final DecisionTimer timer;
  private final PoolJournalling journal;

  private AgentPool(ActorContext<Command> ctx, TimerScheduler<Command> timers, Setup in, ActorRef<NoticeInbox.Command> notices,
      IdleTracker idle) {
    super(persistenceId(in.fleet(), in.spec().name()), JournalHealth.get(ctx.getSystem()).restartStrategy());
    this.journal = new PoolJournalling(JournalHealth.get(ctx.getSystem()), persistenceId(in.fleet(), in.spec().name()).id(),
        in.spec().name());
    this.ctx = ctx;
    this.timers = timers;
    this.in = in;
    this.spec = in.spec();
    this.restarts = new PoolRestarts(in.deps().settings(), ctx, timers, in.spec().name());
    this.idle = idle;
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
    this.agents = new PoolAgents(ctx, in, specs, graph, wants, statuses, notices);
    this.membership = new PoolMembership(ctx, timers, spec.name(), agents);
    this.actions = new PoolActions(ctx, decisions, wants, agents, quota, idle);
    this.noticeDecisions = new NoticeDecisions(agents, restarts, queue, quota);
    in.statusTopic().tell(Topic.subscribe(ctx.messageAdapter(AgentStatuses.class, PeerStatuses::new)));
    membership.subscribe();
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
      actions.recovered(state);
      journal.recovered();
      ctx.getSelf().tell(Internal.BOOT);
      if (restarts.waiting() > 0) {
        ctx.getSelf().tell(Internal.GRANT_RESTARTS);
      }
      timers.startTimerWithFixedDelay(Internal.TICK, Internal.TICK, in.quota().idleCheckInterval());
    })
        .onSignal(RecoveryFailed.class, (state, f) -> journal.failed(JournalHealth.describe(f.getFailure())))
        .onSignal(PreRestart.instance(), state -> journal.failed(null))
        .onSignal(PostStop.instance(), state -> journal.stopped())
        .build();
  }

  @Override
  public CommandHandler<Command, PoolEvent, PoolState> commandHandler() {
    CommandHandler<Command, PoolEvent, PoolState> handlers = handlers();
    return (state, command) -> {
      journal.handling(command);
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
        .onCommand(MemberRemoved.class, (s, m) -> reply(() -> membership.removed(m.event())))
        .onCommand(MemberUp.class, (s, m) -> reply(membership::up))
        .onCommand(EngineEventFor.class, (s, m) -> reply(() -> agents.tell(m.agent(), new AgentEntity.FromEngine(m.event()))))
        .onCommand(Resync.class, (s, m) -> reply(agents::resync))
        .onCommand(Resized.class, (s, m) -> persist(List.of(new PoolEvent.Resized(m.agent(), m.reason(), Instant.now()))))
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
      case REGISTER -> reply(membership::registerAgain);
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
    NoticeDecisions.Outcome o = noticeDecisions.notices(s, m.notices());
    if (o.restartsWanted()) {
      grantRestarts();
    }
    agents.publish();
    return persist(o.events()).thenRun(after -> m.inbox().tell(NoticeInbox.BatchDone.INSTANCE));
  }

  private Effect<PoolEvent, PoolState> onPeerStatuses(PoolState s, PeerStatuses m) {
    timer.start();
    return persist(noticeDecisions.peerStatuses(s, m.statuses().statuses()));
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
    journal.writing();
    return Effect().persist(events).thenRun(after -> {
      journal.written();
      if (timed) {
        timer.journalled(System.nanoTime() - since);
      }
      actions.journalled(after, events);
    });
  }

  private Effect<PoolEvent, PoolState> grantRestarts() {
    restarts.grant(Instant.now()).forEach(w -> agents.tell(w.agent(), new AgentEntity.RestartPermitted(w.attempt())));
    return Effect().none();
  }
}
