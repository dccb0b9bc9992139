package ai.sutazai.supervisor.agent;

import ai.sutazai.supervisor.protocol.Notice;

import ai.sutazai.supervisor.protocol.JournalIds;

import ai.sutazai.supervisor.container.ContainerActor;
import ai.sutazai.supervisor.container.Prober;
import ai.sutazai.supervisor.protocol.AgentEvent;
import ai.sutazai.supervisor.protocol.AgentEventPublished;
import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.settings.SupervisorSettings;

import ai.sutazai.common.CborSerializable;
import ai.sutazai.common.JournalHealth;
import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.runtime.ContainerEvent;
import ai.sutazai.runtime.ContainerRuntime;
import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.RecoveryFailed;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The event-sourced lifecycle of one agent. It owns the agent's ContainerActor, decides restarts
 * (backoff, crash-loop parking, degraded mode), and journals every decision with its reason before acting
 * on it, so that after a crash the journal says what was wanted and recovery completes it. What its
 * container's reports lead to is decided by {@link ContainerReports}.
 */
public final class AgentEntity extends EventSourcedBehaviorWithEnforcedReplies<AgentEntity.Command, AgentEvent, AgentState> {

  /** Everything an entity accepts. */
  public interface Command extends CborSerializable {}

  public record Register(AgentSpec spec, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  public record Activate(String reason, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  public record Deactivate(String reason, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** Clears a crash loop and the backoff; an agent that should run starts again. */
  public record Reset(ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** The agent left the fleet: its container is removed. */
  public record Remove(String reason, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  public record GetStatus(ActorRef<AgentStatus> replyTo) implements Command {}

  /**
   * Right-sizing: journal new limits for the running container {@code containerId} before they are
   * applied; refused when that container is no longer the agent's running one.
   */
  public record RecordLimits(String containerId, long memoryLimitBytes, double cpus, String reason,
      ActorRef<StatusReply<Done>> replyTo) implements Command {}

  public record DependencyDown(String dependency) implements Command {}

  public record DependencyUp(String dependency) implements Command {}

  /** The pool's restart budget lets the pending restart go ahead. */
  public record RestartPermitted(int attempt) implements Command {}

  /** An engine event about this agent's container, routed by the fleet supervisor. */
  public record FromEngine(ContainerEvent event) implements Command {}

  /** After an engine reconnect: check the container again. */
  public record ResyncContainer() implements Command {}

  private record FromContainer(ContainerActor.Report report) implements Command {}

  /**
   * Cluster Sharding's stop message for this entity: its shard moves to another node (a rebalance), or this
   * node's region stops (the node leaves or shuts down). Never sent across the network.
   */
  public enum HandOff implements Command { INSTANCE }

  /** The containers of a moving agent are removed from this node's engine (failure: null when done). */
  private record ContainersRemoved(List<String> names, Throwable failure) implements Command {}

  /** A scheduled restart's backoff has passed (see {@link ContainerReports}). */
  record RestartDue(int attempt) implements Command {}

  /** Everything an entity needs from outside. */
  public record Deps(String fleet, ContainerRuntime runtime, Prober prober, SupervisorSettings settings, ActorRef<Notice> pool) {

    /** Everything but the pool, which the AgentPool owning the entities fills in with {@link #withPool}. */
    public static Deps withoutPool(String fleet, ContainerRuntime runtime, Prober prober, SupervisorSettings settings) {
      return new Deps(fleet, runtime, prober, settings, null);
    }

    public Deps withPool(ActorRef<Notice> notices) {
      return new Deps(fleet, runtime, prober, settings, notices);
    }
  }

  /** Cluster Sharding: entity id = agent name; the shard is {@link ai.sutazai.supervisor.placement.AgentShards#shardOf}. */
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Agent");

  public static PersistenceId persistenceId(String fleet, String agent) {
    return JournalIds.agent(fleet, agent);
  }

  public static Behavior<Command> create(String agent, Deps deps) {
    return create(agent, deps, true);
  }

  /**
   * @param inFleet false for an agent that left the fleet spec: recovery does not resume it (no container is
   *     started or restarted for it), so it only waits for its {@link Remove} (from its former pool)
   */
  public static Behavior<Command> create(String agent, Deps deps, boolean inFleet) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new AgentEntity(ctx, timers, agent, deps, inFleet)));
  }

  private final ActorContext<Command> ctx;
  /** This node's address, reported in the agent's status (the pool re-registers a lost node's agents). */
  private final String node;
  private final TimerScheduler<Command> timers;
  private final String agent;
  private final Deps deps;
  private final ActorRef<ContainerActor.Command> container;
  private final ContainerReports reports;
  private final JournalHealth journal;
  private final boolean inFleet;
  /** The command being handled, and the one whose events are being written (null when none). */
  private Command handling;
  private Command unjournalled;
  /** The shard moves away: the container is being removed, then the entity stops. */
  private boolean leaving;

  private AgentEntity(ActorContext<Command> ctx, TimerScheduler<Command> timers, String agent, Deps deps, boolean inFleet) {
    super(persistenceId(deps.fleet(), agent), JournalHealth.get(ctx.getSystem()).restartStrategy());
    this.inFleet = inFleet;
    this.journal = JournalHealth.get(ctx.getSystem());
    this.ctx = ctx;
    this.node = ctx.getSystem().address().toString();
    this.timers = timers;
    this.agent = agent;
    this.deps = deps;
    ActorRef<ContainerActor.Report> reportsTo = ctx.messageAdapter(ContainerActor.Report.class, FromContainer::new);
    this.container = ctx.spawn(
        ContainerActor.create(deps.fleet(), reportsTo, deps.runtime(), deps.prober(), deps.settings()), "container");
    this.reports = new ContainerReports(container, timers, deps.settings());
  }

  @Override
  public AgentState emptyState() {
    return AgentState.empty();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 3);
  }

  @Override
  public Set<String> tagsFor(AgentEvent event) {
    return Set.of("agent");
  }

  @Override
  public EventHandler<AgentState, AgentEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(AgentState::apply);
  }

  @Override
  public SignalHandler<AgentState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::onRecovered)
        .onSignal(RecoveryFailed.class, (s, f) -> onJournalFailure(JournalHealth.describe(f.getFailure())))
        .onSignal(PreRestart.instance(), s -> onJournalFailure(null))
        .onSignal(PostStop.instance(), s -> journal.forget(persistenceId(deps.fleet(), agent).id()))
        .build();
  }

  /** A write or the recovery failed: the entity restarts with backoff and recovers; its container actor keeps running. */
  private void onJournalFailure(String reason) {
    String id = persistenceId(deps.fleet(), agent).id();
    journal.failed(id, reason);
    unjournalled(unjournalled, journal.problemOf(id).orElse(JournalHealth.PREFIX + JournalHealth.WRITE_FAILED)
        + " (agent " + agent + ")", ctx.getSelf());
    unjournalled = null;
  }

  @Override
  public CommandHandlerWithReply<Command, AgentEvent, AgentState> commandHandler() {
    CommandHandlerWithReply<Command, AgentEvent, AgentState> handlers = handlers();
    return (state, command) -> {
      handling = command;
      if (leaving) {
        return whileLeaving(state, command);
      }
      return handlers.apply(state, command);
    };
  }

  private CommandHandlerWithReply<Command, AgentEvent, AgentState> handlers() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Register.class, this::onRegister)
        .onCommand(Activate.class, this::onActivate)
        .onCommand(Deactivate.class, this::onDeactivate)
        .onCommand(Reset.class, this::onReset)
        .onCommand(Remove.class, this::onRemove)
        .onCommand(GetStatus.class, (s, c) -> Effect().reply(c.replyTo(), s.status(agent, node)))
        .onCommand(RecordLimits.class, this::onRecordLimits)
        .onCommand(DependencyDown.class, this::onDependencyDown)
        .onCommand(DependencyUp.class, this::onDependencyUp)
        .onCommand(RestartDue.class, this::onRestartDue)
        .onCommand(RestartPermitted.class, this::onRestartPermitted)
        .onCommand(FromEngine.class, (s, c) -> forward(new ContainerActor.EngineEvent(c.event())))
        .onCommand(ResyncContainer.class, (s, c) -> forward(ContainerActor.Resync.INSTANCE))
        .onCommand(FromContainer.class, this::onContainerReport)
        .onCommand(HandOff.class, this::onHandOff)
        .onCommand(ContainersRemoved.class, (s, c) -> Effect().noReply())
        .build();
  }

  // ---- moving to another node ----

  /**
   * The shard hands off. When this node shuts down (it leaves, or was downed), the entity just stops: a
   * graceful stop leaves the container running (adopted at the next start), a downed node removes all its
   * containers itself. Otherwise the shard moves (a rebalance, which picks only idle agents): the container
   * actor stops first (it must not restart anything), the agent's containers are removed from this node's
   * engine, and only then does the entity stop, so that the agent never runs on two nodes at once. The
   * journal still says what the agent wants: the first message to it on the new node recovers it there and
   * starts its container.
   */
  private ReplyEffect<AgentEvent, AgentState> onHandOff(AgentState s, HandOff c) {
    timers.cancelAll();
    if (akka.actor.CoordinatedShutdown.get(ctx.getSystem().classicSystem()).getShutdownReason().isPresent()) {
      return Effect().stop().thenNoReply();
    }
    leaving = true;
    ctx.stop(container);
    ContainerRuntime runtime = deps.runtime();
    String fleet = deps.fleet();
    ctx.pipeToSelf(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      List<String> removed = new java.util.ArrayList<>();
      for (ai.sutazai.runtime.ContainerInfo info : runtime.listManaged(fleet)) {
        if (agent.equals(info.agent())) {
          runtime.remove(info.id());
          removed.add(info.name());
        }
      }
      return removed;
    }, ai.sutazai.common.Concurrency.blocking(ctx.getSystem())), ContainersRemoved::new);
    return Effect().noReply();
  }

  /**
   * While the containers are removed: the pool's commands go on to the agent's new home through sharding
   * (held there until the shard is allocated again); reports and timers of this node are dropped.
   */
  private ReplyEffect<AgentEvent, AgentState> whileLeaving(AgentState s, Command command) {
    if (command instanceof ContainersRemoved r) {
      if (r.failure() != null) {
        ctx.getLog().warn("{}: moving to another node, its container could not be removed here ({}); this node's sweep "
            + "removes it once the shard is allocated elsewhere", agent, r.failure().toString());
      } else {
        ctx.getLog().info("{}: moves to another node (shard rebalanced); removed here: {}", agent, r.names());
      }
      if (s.registered()) {
        // Wakes the agent on its new node (the region holds this until the coordinator allocated the shard again):
        // it starts there if it should run, and its status names its new node either way.
        shardedSelf().tell(new GetStatus(ctx.getSystem().ignoreRef()));
      }
      return Effect().stop().thenNoReply();
    }
    if (command instanceof Register || command instanceof Activate || command instanceof Deactivate
        || command instanceof Reset || command instanceof Remove || command instanceof GetStatus
        || command instanceof RecordLimits || command instanceof DependencyDown || command instanceof DependencyUp) {
      shardedSelf().tell(command);
    }
    return Effect().noReply();
  }

  private akka.cluster.sharding.typed.javadsl.EntityRef<Command> shardedSelf() {
    return akka.cluster.sharding.typed.javadsl.ClusterSharding.get(ctx.getSystem()).entityRefFor(TYPE_KEY, agent);
  }

  /** Recovery completes what was half done, adopting the running container rather than creating another. */
  private void onRecovered(AgentState s) {
    journal.recovered(persistenceId(deps.fleet(), agent).id());
    deps.pool().tell(new Notice.StatusChanged(s.status(agent, node)));
    if (!s.registered() || !inFleet) {
      return;
    }
    switch (s.phase()) {
      case ACTIVATING, STARTING, HEALTHY, UNHEALTHY, DEGRADED -> container.tell(new ContainerActor.Ensure(s.spec(), s.containerId()));
      case RESTARTING -> timers.startSingleTimer(new RestartDue(s.restartAttempt() - 1), deps.settings().restart().minBackoff());
      case STOPPING -> container.tell(new ContainerActor.Stop(s.containerId()));
      default -> { }
    }
  }

  private ReplyEffect<AgentEvent, AgentState> onRegister(AgentState s, Register c) {
    if (c.spec().equals(s.spec())) {
      return Effect().reply(c.replyTo(), StatusReply.ack());
    }
    boolean running = s.phase().occupiesResources() && s.registered();
    return persist(List.of(new AgentEvent.Registered(c.spec(), Instant.now())), after -> {
      if (running) {
        // Changed spec: the container actor recreates the container when the spec hash differs.
        container.tell(new ContainerActor.Restart(after.spec(), after.containerId()));
      }
    }).thenReply(c.replyTo(), x -> StatusReply.ack());
  }

  private ReplyEffect<AgentEvent, AgentState> onActivate(AgentState s, Activate c) {
    if (!s.registered()) {
      return Effect().reply(c.replyTo(), StatusReply.error("agent " + agent + " is not registered"));
    }
    if (s.phase() == AgentPhase.CRASH_LOOP) {
      return Effect().reply(c.replyTo(), StatusReply.error("agent " + agent + " is parked in a crash loop (" + s.lastReason()
          + "); reset it first"));
    }
    if (s.desiredActive() && s.phase() != AgentPhase.STOPPING) {
      return Effect().reply(c.replyTo(), StatusReply.ack());
    }
    return persist(List.of(new AgentEvent.ActivationRequested(c.reason(), Instant.now())),
        after -> container.tell(new ContainerActor.Ensure(after.spec(), after.containerId())))
        .thenReply(c.replyTo(), x -> StatusReply.ack());
  }

  private ReplyEffect<AgentEvent, AgentState> onDeactivate(AgentState s, Deactivate c) {
    if (!s.desiredActive() && s.phase() != AgentPhase.CRASH_LOOP) {
      return Effect().reply(c.replyTo(), StatusReply.ack());
    }
    timers.cancelAll();
    return persist(List.of(new AgentEvent.Deactivated(c.reason(), Instant.now())),
        after -> container.tell(new ContainerActor.Stop(after.containerId())))
        .thenReply(c.replyTo(), x -> StatusReply.ack());
  }

  private ReplyEffect<AgentEvent, AgentState> onReset(AgentState s, Reset c) {
    if (!s.registered()) {
      return Effect().reply(c.replyTo(), StatusReply.error("agent " + agent + " is not registered"));
    }
    timers.cancelAll();
    return persist(List.of(new AgentEvent.ResetByOperator(Instant.now())), after -> {
      if (after.desiredActive()) {
        container.tell(new ContainerActor.Restart(after.spec(), after.containerId()));
      }
    }).thenReply(c.replyTo(), x -> StatusReply.ack());
  }

  private ReplyEffect<AgentEvent, AgentState> onRemove(AgentState s, Remove c) {
    timers.cancelAll();
    if (s.phase() == AgentPhase.REMOVED) {
      return Effect().reply(c.replyTo(), StatusReply.ack());
    }
    return persist(List.of(new AgentEvent.Removed(c.reason(), Instant.now())),
        after -> container.tell(new ContainerActor.Remove(s.containerId())))
        .thenReply(c.replyTo(), x -> StatusReply.ack());
  }

  private ReplyEffect<AgentEvent, AgentState> onRecordLimits(AgentState s, RecordLimits c) {
    if (!s.desiredActive() || s.phase() != AgentPhase.HEALTHY || !c.containerId().equals(s.containerId())) {
      return Effect().reply(c.replyTo(), StatusReply.error(agent + " is not running container " + c.containerId()
          + " healthy any more (" + s.phase() + ")"));
    }
    return persist(List.of(new AgentEvent.LimitsAdjusted(c.containerId(), c.memoryLimitBytes(), c.cpus(), c.reason(),
        Instant.now())), after -> { }).thenReply(c.replyTo(), x -> StatusReply.ack());
  }

  private ReplyEffect<AgentEvent, AgentState> onDependencyDown(AgentState s, DependencyDown c) {
    boolean affected = s.desiredActive() && s.phase() != AgentPhase.CRASH_LOOP && s.phase() != AgentPhase.STOPPING
        && !s.degradedBy().contains(c.dependency());
    if (!affected) {
      return Effect().noReply();
    }
    timers.cancelAll();
    return persist(List.of(new AgentEvent.Degraded(c.dependency(), Instant.now())), after -> { }).thenNoReply();
  }

  private ReplyEffect<AgentEvent, AgentState> onDependencyUp(AgentState s, DependencyUp c) {
    if (!s.degradedBy().contains(c.dependency())) {
      return Effect().noReply();
    }
    return persist(List.of(new AgentEvent.DependencyRecovered(c.dependency(), Instant.now())), after -> {
      if (after.degradedBy().isEmpty()) {
        // Resume: a container still running is adopted and probed, a dead one started again.
        container.tell(new ContainerActor.Ensure(after.spec(), after.containerId()));
      }
    }).thenNoReply();
  }

  private ReplyEffect<AgentEvent, AgentState> onRestartDue(AgentState s, RestartDue c) {
    if (s.phase() == AgentPhase.RESTARTING) {
      deps.pool().tell(new Notice.RestartWanted(agent, c.attempt()));
    }
    return Effect().noReply();
  }

  private ReplyEffect<AgentEvent, AgentState> onRestartPermitted(AgentState s, RestartPermitted c) {
    if (s.phase() == AgentPhase.RESTARTING && s.desiredActive()) {
      // A container started after the restart was scheduled is that restart, done before its record was lost.
      Instant scheduled = s.restartTimes().isEmpty() ? null : s.restartTimes().get(s.restartTimes().size() - 1);
      container.tell(new ContainerActor.Restart(s.spec(), s.containerId(), scheduled));
    }
    return Effect().noReply();
  }

  private ReplyEffect<AgentEvent, AgentState> forward(ContainerActor.Command command) {
    container.tell(command);
    return Effect().noReply();
  }

  private ReplyEffect<AgentEvent, AgentState> onContainerReport(AgentState s, FromContainer c) {
    ContainerReports.Decision d = reports.decide(s, c.report(), Instant.now());
    return d.journals() ? persist(d.events(), d.then()).thenNoReply() : Effect().noReply();
  }

  /** Persists, then publishes each event with the new status to the pool and the event stream, then runs {@code then}. */
  private akka.persistence.typed.javadsl.EffectBuilder<AgentEvent, AgentState> persist(
      List<AgentEvent> events, java.util.function.Consumer<AgentState> then) {
    unjournalled = handling;
    return Effect().persist(events).thenRun(after -> {
      unjournalled = null;
      AgentStatus status = after.status(agent, node);
      long seqNr = lastSequenceNumber(ctx) - events.size();
      for (AgentEvent e : events) {
        seqNr++;
        ctx.getLog().info("{}: {}", agent, e.describe());
        ctx.getSystem().eventStream().tell(new EventStream.Publish<>(
            new AgentEventPublished(deps.fleet(), agent, seqNr, e, status)));
      }
      deps.pool().tell(new Notice.StatusChanged(status));
      then.accept(after);
    });
  }

  /**
   * What becomes of a command whose events were not written because the journal failed: it was never
   * acknowledged, so an operator's Reset or the right-sizer's RecordLimits is answered with {@code error}; the
   * pool's commands (register, activate, deactivate, remove, dependency changes) go back to the entity, to be
   * handled after its recovery. Container reports are not: after recovery the entity asks its container
   * actor again ({@code Ensure}), which reports what is true then.
   */
  private static void unjournalled(Command c, String error, ActorRef<Command> self) {
    if (c instanceof Reset r) {
      r.replyTo().tell(StatusReply.error(error));
    } else if (c instanceof RecordLimits r) {
      r.replyTo().tell(StatusReply.error(error));
    } else if (c instanceof Register || c instanceof Activate || c instanceof Deactivate
        || c instanceof Remove || c instanceof DependencyDown || c instanceof DependencyUp) {
      self.tell(c);
    }
  }
}
