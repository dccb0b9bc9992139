package ai.sutazai.supervisor.rightsizing;

import ai.sutazai.supervisor.FleetSupervisor;
import ai.sutazai.supervisor.agent.AgentEntity;
import ai.sutazai.supervisor.pool.AgentPool;
import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.settings.QuotaSettings;

import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.metrics.baseline.Baseline;
import ai.sutazai.metrics.baseline.BaselineSettings;
import ai.sutazai.metrics.baseline.BaselineStore;
import ai.sutazai.runtime.ContainerRuntime;
import ai.sutazai.runtime.ContainerStats;
import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Right-sizes the running containers of this node's engine (one per node, started by the node's
 * FleetSupervisor, which shows it every agent's status): samples their usage ({@code docker stats}, on the
 * blocking dispatcher; containers not in this node's engine are left to their own node's right-sizer),
 * and when the p95 plus headroom differs enough from the current limit, has the agent journal the change
 * (LimitsAdjusted, with its reason) and only then applies it with {@code docker update}. The agent's pool
 * records the decision.
 *
 * <p>With {@code use-baseline} on, the latest stored baseline ({@code sutazai baseline}) counts as observed
 * usage too: it is read on the blocking dispatcher at start and every {@code baseline-refresh}; a baseline
 * database that cannot be read is logged and right-sizing goes on from live samples alone.
 */
public final class RightSizer extends AbstractBehavior<RightSizer.Command> {

  public interface Command {}

  /** An agent's status: healthy agents with a container are sampled, others forgotten. */
  public record Observe(AgentStatus status, RecipientRef<AgentEntity.Command> entity, AgentSpec spec) implements Command {}

  private enum Tick implements Command { INSTANCE }

  private record Sampled(String agent, String containerId, ContainerStats stats, String error) implements Command {}

  private record Recorded(RightSizing.Proposal proposal, String containerId, String error) implements Command {}

  private record Applied(RightSizing.Proposal proposal, String containerId, String error) implements Command {}

  private enum RefreshBaseline implements Command { INSTANCE }

  /** The ids of this fleet's containers in this node's engine. */
  private record Listed(java.util.Set<String> localIds) implements Command {}

  /** The latest baseline read (null: none), with the store it was read from, or the error. */
  private record BaselineLoaded(Baseline baseline, BaselineStore store, String error) implements Command {}

  /**
   * @param fleet the fleet whose labelled containers of this node's engine are sampled
   * @param poolOf the pool (its singleton proxy) of an agent, told of each change
   */
  public static Behavior<Command> create(String fleet, ContainerRuntime runtime, QuotaSettings.RightSizing cfg,
      java.util.function.Function<String, ActorRef<AgentPool.Command>> poolOf) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new RightSizer(ctx, timers, fleet, runtime, cfg, poolOf)));
  }

  /** One sampled container: its window and current limits (spec limits until changed). */
  private static final class Tracked {
    final String containerId;
    final RecipientRef<AgentEntity.Command> entity;
    final UsageWindow window;
    long memoryLimitBytes;
    double cpus;
    boolean busy;
    boolean sampling;

    Tracked(String containerId, RecipientRef<AgentEntity.Command> entity, AgentSpec spec, int samples) {
      this.containerId = containerId;
      this.entity = entity;
      this.window = new UsageWindow(samples);
      this.memoryLimitBytes = spec.memoryLimitBytes();
      this.cpus = spec.cpus();
    }
  }

  private final ContainerRuntime runtime;
  private final QuotaSettings.RightSizing cfg;
  private final String fleet;
  private final java.util.function.Function<String, ActorRef<AgentPool.Command>> poolOf;
  private final Executor blocking;
  private final Map<String, Tracked> tracked = new HashMap<>();
  /** The latest stored baseline, or null (none, not read yet, or use-baseline off). */
  private Baseline baseline;
  private BaselineStore store;
  private boolean listing;

  private RightSizer(ActorContext<Command> ctx, TimerScheduler<Command> timers, String fleet, ContainerRuntime runtime,
      QuotaSettings.RightSizing cfg, java.util.function.Function<String, ActorRef<AgentPool.Command>> poolOf) {
    super(ctx);
    this.fleet = fleet;
    this.runtime = runtime;
    this.cfg = cfg;
    this.poolOf = poolOf;
    this.blocking = ai.sutazai.common.Concurrency.blocking(ctx.getSystem());
    timers.startTimerWithFixedDelay(Tick.INSTANCE, cfg.sampleInterval());
    if (cfg.useBaseline()) {
      ctx.getSelf().tell(RefreshBaseline.INSTANCE);
      timers.startTimerWithFixedDelay(RefreshBaseline.INSTANCE, cfg.baselineRefresh());
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Observe.class, this::onObserve)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessage(Listed.class, this::onListed)
        .onMessage(Sampled.class, this::onSampled)
        .onMessage(Recorded.class, this::onRecorded)
        .onMessage(Applied.class, this::onApplied)
        .onMessageEquals(RefreshBaseline.INSTANCE, this::onRefreshBaseline)
        .onMessage(BaselineLoaded.class, this::onBaselineLoaded)
        .build();
  }

  private Behavior<Command> onObserve(Observe m) {
    AgentStatus s = m.status();
    Tracked t = tracked.get(s.name());
    if (s.phase() == AgentPhase.HEALTHY && s.containerId() != null && m.spec() != null) {
      if (t == null || !t.containerId.equals(s.containerId())) {
        tracked.put(s.name(), new Tracked(s.containerId(), m.entity(), m.spec(), cfg.windowSamples()));
      }
    } else if (!s.desiredActive() || s.containerId() == null || (t != null && !t.containerId.equals(s.containerId()))) {
      tracked.remove(s.name());
    }
    return this;
  }

  /** Lists this node's containers first: only those are sampled here. */
  private Behavior<Command> onTick() {
    if (tracked.isEmpty() || listing) {
      return this;
    }
    listing = true;
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> {
      java.util.Set<String> ids = new java.util.HashSet<>();
      runtime.listManaged(fleet).forEach(c -> ids.add(c.id()));
      return ids;
    }, blocking), (ids, err) -> new Listed(err == null ? ids : java.util.Set.of()));
    return this;
  }

  private Behavior<Command> onListed(Listed m) {
    listing = false;
    for (Map.Entry<String, Tracked> e : tracked.entrySet()) {
      if (e.getValue().sampling || !m.localIds().contains(e.getValue().containerId)) {
        continue; // the engine is slower than the interval (no pile-up), or the container runs on another node
      }
      e.getValue().sampling = true;
      String agent = e.getKey();
      String id = e.getValue().containerId;
      getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> runtime.stats(id), blocking),
          (stats, err) -> new Sampled(agent, id, stats, err == null ? null : String.valueOf(err.getMessage())));
    }
    return this;
  }

  private Behavior<Command> onSampled(Sampled m) {
    Tracked t = tracked.get(m.agent());
    if (t == null || !t.containerId.equals(m.containerId())) {
      return this;
    }
    t.sampling = false;
    if (m.stats() == null) {
      return this;
    }
    t.window.add(m.stats().memoryUsageBytes(), RightSizing.recordedCpuPercent(m.stats().cpuPercent(), t.cpus, cfg));
    if (t.busy) {
      return this;
    }
    BaselineUsage usage = baseline == null ? null : BaselineUsage.of(baseline, m.agent()).orElse(null);
    RightSizing.propose(m.agent(), t.window, usage, t.memoryLimitBytes, t.cpus, cfg).ifPresent(p -> {
      t.busy = true;
      getContext().askWithStatus(Done.class, t.entity, Duration.ofSeconds(10),
          r -> new AgentEntity.RecordLimits(t.containerId, p.memoryLimitBytes(), p.cpus(), p.reason(), r),
          (ok, err) -> new Recorded(p, t.containerId, err == null ? null : err.getMessage()));
    });
    return this;
  }

  /** Journalled by the agent: now apply it. */
  private Behavior<Command> onRecorded(Recorded m) {
    Tracked t = tracked.get(m.proposal().agent());
    if (m.error() != null) {
      getContext().getLog().info("right-sizing {} not recorded: {}", m.proposal().agent(), m.error());
      if (t != null) {
        t.busy = false;
      }
      return this;
    }
    RightSizing.Proposal p = m.proposal();
    getContext().pipeToSelf(CompletableFuture.runAsync(() -> runtime.updateLimits(m.containerId(), p.memoryLimitBytes(), p.cpus()),
        blocking), (ok, err) -> new Applied(p, m.containerId(), err == null ? null : String.valueOf(err.getMessage())));
    return this;
  }

  private Behavior<Command> onApplied(Applied m) {
    RightSizing.Proposal p = m.proposal();
    Tracked t = tracked.get(p.agent());
    if (t != null) {
      t.busy = false;
    }
    if (m.error() != null) {
      getContext().getLog().warn("right-sizing {} failed: {}", p.agent(), m.error());
      return this;
    }
    if (t != null) {
      t.memoryLimitBytes = p.memoryLimitBytes();
      t.cpus = p.cpus();
    }
    ActorRef<AgentPool.Command> pool = poolOf.apply(p.agent());
    if (pool != null) {
      pool.tell(new AgentPool.Resized(p.agent(), p.reason(), m.containerId(), p.memoryLimitBytes(), p.cpus()));
    }
    return this;
  }

  /** Reads the latest baseline on the blocking dispatcher (opening the store, with its migrations, once). */
  private Behavior<Command> onRefreshBaseline() {
    BaselineSettings b = BaselineSettings.fromConfig(getContext().getSystem().settings().config());
    BaselineStore known = store;
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> {
      BaselineStore s = known != null ? known : BaselineStore.open(b.dbUrl(), b.user(), b.password(), b.schema());
      return new BaselineLoaded(s.latest().orElse(null), s, null);
    }, blocking), (loaded, err) -> err == null ? loaded : new BaselineLoaded(null, null, String.valueOf(err.getMessage())));
    return this;
  }

  private Behavior<Command> onBaselineLoaded(BaselineLoaded m) {
    if (m.store() != null) {
      store = m.store();
    }
    if (m.error() != null) {
      getContext().getLog().warn("right-sizing: cannot read the latest baseline ({}); using live samples only", m.error());
      return this;
    }
    if (m.baseline() != null && (baseline == null || baseline.id() != m.baseline().id())) {
      getContext().getLog().info("right-sizing: using baseline #{} of {} as observed usage", m.baseline().id(),
          m.baseline().createdAt());
    }
    baseline = m.baseline();
    return this;
  }
}
