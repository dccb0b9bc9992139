package ai.sutazai.supervisor.container;

import ai.sutazai.supervisor.agent.AgentEntity;
import ai.sutazai.supervisor.settings.SupervisorSettings;

import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.HealthSpec;
import ai.sutazai.runtime.ContainerEvent;
import ai.sutazai.runtime.ContainerInfo;
import ai.sutazai.runtime.ContainerRuntime;
import ai.sutazai.runtime.Labels;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One Docker container of one agent: creates and starts it, probes it, stops it, and tells its
 * AgentEntity what happened. It decides nothing about restarts: the entity does, and journals why.
 *
 * <p>Every engine call runs on the blocking dispatcher. The operations that change the container (bring
 * it up, stop, remove) run one at a time, in the order they were decided ({@link #inTurn}): a stop decided
 * while a start is under way waits for it. Side by side, the start could run last and leave the container
 * running after its stop was reported, the agent inactive and its quota released (after an entity's
 * recovery, for instance, its Ensure and a deactivation handled right after it). A generation counter guards
 * against late results: anything that belongs to an earlier start or probe cycle is dropped. Probes and
 * inspections only read, and never wait behind a stop.
 */
public final class ContainerActor extends AbstractBehavior<ContainerActor.Command> {

  /** Commands from the AgentEntity and the fleet supervisor. */
  public interface Command {}

  /** Make sure the container exists and runs (adopting {@code knownContainerId} when it still runs), then probe. */
  public record Ensure(AgentSpec spec, String knownContainerId) implements Command {}

  /** Stop (if running) and start again, then probe from the startup phase. */
  public record Restart(AgentSpec spec, String knownContainerId, Instant unlessStartedAfter) implements Command {
    /** Stop and start, whatever runs now (a changed spec, an operator's reset). */
    public Restart(AgentSpec spec, String knownContainerId) {
      this(spec, knownContainerId, null);
    }
  }

  public record Stop(String knownContainerId) implements Command {}

  public record Remove(String knownContainerId) implements Command {}

  /** An engine event about this agent's container. */
  public record EngineEvent(ContainerEvent event) implements Command {}

  /** After an engine reconnect: look again at the container, report it if it died meanwhile. */
  public enum Resync implements Command { INSTANCE }

  /** What the container actor reports to its entity. */
  public interface Report extends ai.sutazai.common.CborSerializable {}

  /** The container runs. {@code created}: it was created now; {@code adopted}: it was already running. */
  public record Running(String containerId, boolean created, boolean adopted, Instant startedAt) implements Report {}

  public record Healthy(long probeMillis) implements Report {}

  public record Unhealthy(String reason) implements Report {}

  /** Alive, but the readiness probe failed past its retries. */
  public record NotReady(String reason) implements Report {}

  /** The readiness probe passes again after {@link NotReady}. */
  public record Ready() implements Report {}

  public record Died(int exitCode, String reason) implements Report {}

  public record Stopped(boolean removed) implements Report {}

  /** An engine operation failed (image missing, engine error); {@code engineDown} when it was unreachable. */
  public record Failed(String reason, boolean engineDown) implements Report {}

  private record Up(long gen, String containerId, boolean created, boolean adopted, Instant startedAt) implements Command {}

  private record OpFailed(long gen, String reason, boolean engineDown) implements Command {}

  private record Down(long gen, boolean removed) implements Command {}

  private record ProbeTick(long gen) implements Command {}

  private record ProbeDone(long gen, Prober.Outcome outcome) implements Command {}

  private record Inspected(long gen, Optional<ContainerInfo> info) implements Command {}

  private record ReadyTick(long gen) implements Command {}

  private record ReadyDone(long gen, Prober.Outcome outcome) implements Command {}

  private enum Mode { IDLE, STARTING, STARTUP_PROBE, LIVE, REPORTED_UNHEALTHY, STOPPING }

  public static Behavior<Command> create(
      String fleet, ActorRef<Report> entity, ContainerRuntime runtime, Prober prober, SupervisorSettings settings) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new ContainerActor(ctx, timers, fleet, entity, runtime, prober, settings)));
  }

  private final TimerScheduler<Command> timers;
  private final String fleet;
  private final ActorRef<Report> entity;
  private final ContainerRuntime runtime;
  private final Prober prober;
  private final SupervisorSettings settings;
  private final Executor blocking;

  private long gen;
  private Mode mode = Mode.IDLE;
  private AgentSpec spec;
  private String containerId;
  private Instant startedAt;
  private int failures;
  /** The readiness probe's state for the current container, or null when the agent has none. */
  private Readiness readiness;
  /** The engine operation that changes the container decided last; the next one starts once it has ended. */
  private CompletableFuture<?> lastOperation = CompletableFuture.completedFuture(null);

  private ContainerActor(ActorContext<Command> ctx, TimerScheduler<Command> timers, String fleet, ActorRef<Report> entity,
      ContainerRuntime runtime, Prober prober, SupervisorSettings settings) {
    super(ctx);
    this.timers = timers;
    this.fleet = fleet;
    this.entity = entity;
    this.runtime = runtime;
    this.prober = prober;
    this.settings = settings;
    this.blocking = ai.sutazai.common.Concurrency.blocking(ctx.getSystem());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Ensure.class, m -> bringUp(m.spec(), m.knownContainerId(), false, null))
        .onMessage(Restart.class, m -> bringUp(m.spec(), m.knownContainerId(), true, m.unlessStartedAfter()))
        .onMessage(Stop.class, m -> takeDown(m.knownContainerId(), false))
        .onMessage(Remove.class, m -> takeDown(m.knownContainerId(), true))
        .onMessage(EngineEvent.class, this::onEngineEvent)
        .onMessage(Resync.class, m -> onResync())
        .onMessage(Up.class, this::onUp)
        .onMessage(OpFailed.class, this::onOpFailed)
        .onMessage(Down.class, this::onDown)
        .onMessage(ProbeTick.class, this::onProbeTick)
        .onMessage(ProbeDone.class, this::onProbeDone)
        .onMessage(Inspected.class, this::onInspected)
        .onMessage(ReadyTick.class, this::onReadyTick)
        .onMessage(ReadyDone.class, this::onReadyDone)
        .build();
  }

  private Behavior<Command> bringUp(AgentSpec s, String knownId, boolean stopFirst, Instant unlessStartedAfter) {
    long g = ++gen;
    spec = s;
    mode = Mode.STARTING;
    timers.cancelAll();
    String known = knownId != null ? knownId : containerId;
    getContext().pipeToSelf(inTurn(() -> up(s, known, stopFirst, unlessStartedAfter)), (r, err) -> {
      if (err != null) {
        Throwable cause = ai.sutazai.common.Concurrency.unwrap(err);
        return new OpFailed(g, describe(cause), cause instanceof ai.sutazai.runtime.RuntimeUnavailableException);
      }
      return new Up(g, r.containerId(), r.created(), r.adopted(), r.startedAt());
    });
    return this;
  }

  /**
   * Blocking: adopt, recreate (spec changed) or create, then start. A restart ({@code stopFirst}) adopts a
   * container that runs since after {@code unlessStartedAfter} (when the restart was decided): that restart was
   * already done, by this node before a journal failure or a kill -9 lost its record, and stopping the container
   * again would restart a healthy agent that no fault hit.
   */
  private Up up(AgentSpec s, String knownId, boolean stopFirst, Instant unlessStartedAfter) {
    String hash = ContainerSpecs.specHash(s);
    Optional<ContainerInfo> info = knownId != null ? runtime.inspect(knownId) : Optional.empty();
    if (info.isEmpty()) {
      // The journal may not know the id (crash between create and persist): creation is idempotent by name.
      info = runtime.inspect(ContainerSpecs.containerName(fleet, s.name()));
    }
    boolean created = false;
    if (info.isPresent() && !hash.equals(info.get().labels().get(Labels.SPEC_HASH))) {
      runtime.remove(info.get().id());
      info = Optional.empty();
    }
    if (info.isEmpty()) {
      String id = runtime.create(ContainerSpecs.of(fleet, s));
      info = runtime.inspect(id);
      created = true;
    }
    ContainerInfo c = info.orElseThrow(() -> new IllegalStateException("container of " + s.name() + " vanished after create"));
    boolean alreadyRestarted = stopFirst && unlessStartedAfter != null && c.startedAt() != null
        && c.startedAt().isAfter(unlessStartedAfter);
    if (c.running() && (!stopFirst || alreadyRestarted)) {
      return new Up(0, c.id(), created, true, c.startedAt() != null ? c.startedAt() : Instant.now());
    }
    if (c.running()) {
      runtime.stop(c.id(), settings.stopTimeout());
    }
    runtime.start(c.id());
    return new Up(0, c.id(), created, false, Instant.now());
  }

  /**
   * Runs {@code operation}, which changes the container, on the blocking dispatcher once the one decided before
   * it has ended, whether it succeeded or not. Its outcome (the failure wrapped as the async calls wrap it) is
   * the returned future's.
   */
  private <T> CompletableFuture<T> inTurn(Supplier<T> operation) {
    CompletableFuture<T> next = lastOperation.handle((r, err) -> null).thenApplyAsync(x -> operation.get(), blocking);
    lastOperation = next;
    return next;
  }

  private Behavior<Command> onUp(Up m) {
    if (m.gen() != gen) {
      return this;
    }
    containerId = m.containerId();
    startedAt = m.startedAt();
    failures = 0;
    entity.tell(new Running(m.containerId(), m.created(), m.adopted(), m.startedAt()));
    Duration first = min(spec.health().interval(), Duration.ofMillis(500));
    readiness = spec.health().readiness() == null ? null : new Readiness(spec.health().readiness());
    if (spec.health().kind() == HealthSpec.Kind.NONE) {
      live(0);
    } else {
      mode = Mode.STARTUP_PROBE;
    }
    // First probe soon after start; later ones every interval. Every probe also checks that the container
    // still runs, a backstop for an exit whose engine event was missed (for example during the start).
    timers.startSingleTimer(new ProbeTick(gen), first);
    return this;
  }

  private Behavior<Command> onOpFailed(OpFailed m) {
    if (m.gen() != gen) {
      return this;
    }
    getContext().getLog().warn("{}: {}", spec != null ? spec.name() : "?", m.reason());
    mode = Mode.IDLE;
    entity.tell(new Failed(m.reason(), m.engineDown()));
    return this;
  }

  private Behavior<Command> takeDown(String knownId, boolean remove) {
    long g = ++gen;
    mode = Mode.STOPPING;
    timers.cancelAll();
    String id = knownId != null ? knownId : containerId;
    if (id == null && spec != null) {
      id = ContainerSpecs.containerName(fleet, spec.name());
    }
    String target = id;
    getContext().pipeToSelf(inTurn(() -> {
      if (target == null) {
        return null;
      }
      if (remove) {
        runtime.remove(target);
      } else {
        runtime.stop(target, settings.stopTimeout());
      }
      return null;
    }), (ok, err) -> err == null ? new Down(g, remove)
        : new OpFailed(g, describe(err.getCause() != null ? err.getCause() : err), false));
    return this;
  }

  private Behavior<Command> onDown(Down m) {
    if (m.gen() == gen) {
      mode = Mode.IDLE;
      entity.tell(new Stopped(m.removed()));
    }
    return this;
  }

  private Behavior<Command> onEngineEvent(EngineEvent m) {
    ContainerEvent e = m.event();
    boolean ours = containerId != null && containerId.equals(e.containerId());
    boolean dying = "die".equals(e.action()) || "oom".equals(e.action());
    if (!ours || !dying || mode == Mode.IDLE || mode == Mode.STOPPING || mode == Mode.STARTING) {
      return this;
    }
    gen++;
    timers.cancelAll();
    mode = Mode.IDLE;
    String reason = "oom".equals(e.action()) ? "container was killed for running out of memory"
        : "container exited with code " + e.exitCode();
    entity.tell(new Died(e.exitCode(), reason));
    return this;
  }

  private Behavior<Command> onResync() {
    if (containerId == null || !(mode == Mode.LIVE || mode == Mode.STARTUP_PROBE || mode == Mode.REPORTED_UNHEALTHY)) {
      return this;
    }
    long g = gen;
    String id = containerId;
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> runtime.inspect(id), blocking),
        (info, err) -> new Inspected(g, err != null ? null : info));
    return this;
  }

  private Behavior<Command> onInspected(Inspected m) {
    if (m.gen() != gen || m.info() == null) {
      return this;
    }
    if (m.info().isEmpty() || !m.info().get().running()) {
      gen++;
      timers.cancelAll();
      mode = Mode.IDLE;
      int code = m.info().map(ContainerInfo::exitCode).orElse(-1);
      entity.tell(new Died(code, m.info().isEmpty() ? "container disappeared" : "container exited with code " + code));
    }
    return this;
  }

  private Behavior<Command> onProbeTick(ProbeTick m) {
    if (m.gen() != gen || !(mode == Mode.STARTUP_PROBE || mode == Mode.LIVE)) {
      return this;
    }
    long g = gen;
    String id = containerId;
    HealthSpec h = spec.health();
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> {
      Optional<ContainerInfo> info = runtime.inspect(id);
      if (info.isEmpty() || !info.get().running()) {
        return (Command) new Inspected(g, info);
      }
      return new ProbeDone(g, prober.probe(id, h));
    }, blocking), (next, err) -> err != null ? new ProbeDone(g, new Prober.Outcome(false, true, 0, 0, describe(err))) : next);
    return this;
  }

  private Behavior<Command> onProbeDone(ProbeDone m) {
    if (m.gen() != gen || !(mode == Mode.STARTUP_PROBE || mode == Mode.LIVE)) {
      return this;
    }
    Prober.Outcome o = m.outcome();
    HealthSpec h = spec.health();
    if (o.healthy()) {
      failures = 0;
      if (mode == Mode.STARTUP_PROBE) {
        live(o.durationMillis());
      }
    } else if (!o.inconclusive()) {
      boolean inStartPeriod = mode == Mode.STARTUP_PROBE && Instant.now().isBefore(startedAt.plus(h.startPeriod()));
      if (!inStartPeriod) {
        failures++;
        if (failures >= h.retries()) {
          mode = Mode.REPORTED_UNHEALTHY;
          entity.tell(new Unhealthy(o.detail() + " (" + failures + " consecutive failures)"));
          return this;
        }
      }
    }
    boolean starting = mode == Mode.STARTUP_PROBE && Instant.now().isBefore(startedAt.plus(h.startPeriod()));
    timers.startSingleTimer(new ProbeTick(gen), starting ? min(h.interval(), settings.probeStartInterval()) : h.interval());
    return this;
  }

  /** The container is alive: healthy now, or, with a readiness probe, once that first passes. */
  private void live(long probeMillis) {
    mode = Mode.LIVE;
    if (readiness == null) {
      entity.tell(new Healthy(probeMillis));
    } else {
      timers.startSingleTimer(new ReadyTick(gen), Duration.ZERO);
    }
  }

  private Behavior<Command> onReadyTick(ReadyTick m) {
    if (m.gen() != gen || mode != Mode.LIVE || readiness == null) {
      return this;
    }
    long g = gen;
    String id = containerId;
    HealthSpec probe = readiness.probe();
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> prober.probe(id, probe), blocking),
        (o, err) -> new ReadyDone(g, err != null ? new Prober.Outcome(false, true, 0, 0, describe(err)) : o));
    return this;
  }

  private Behavior<Command> onReadyDone(ReadyDone m) {
    if (m.gen() != gen || mode != Mode.LIVE || readiness == null) {
      return this;
    }
    Report r = readiness.observe(m.outcome());
    if (r != null) {
      entity.tell(r);
    }
    timers.startSingleTimer(new ReadyTick(gen), readiness.probe().interval());
    return this;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static String describe(Throwable t) {
    String msg = t.getMessage();
    return msg != null ? msg : t.getClass().getSimpleName();
  }
}
