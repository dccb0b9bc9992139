package ai.sutazai.supervisor;

import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.DependencyGraph;
import ai.sutazai.fleet.PoolSpec;
import ai.sutazai.runtime.ContainerEvent;
import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One pool of agents: owns their entities, starts wanted agents only once their dependencies are healthy,
 * marks dependents degraded (never restarted or killed) while a dependency is down, and rations restarts
 * with a pool-wide budget.
 *
 * <p>It sees the status of every agent of the fleet (the fleet supervisor relays other pools' changes),
 * because dependencies may cross pools.
 */
public final class AgentPool extends AbstractBehavior<AgentPool.Command> {

  public interface Command {}

  /** Ask for an agent (and its dependencies) to run. */
  public record Activate(String agent, String reason, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** Stop wanting an agent; dependencies that no active agent needs any more are released too. */
  public record Deactivate(String agent, String reason, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  public record Reset(String agent, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  public record GetStatuses(ActorRef<List<AgentStatus>> replyTo) implements Command {}

  /** An agent's status changed somewhere in the fleet. */
  public record PeerStatus(AgentStatus status) implements Command {}

  public record EngineEventFor(String agent, ContainerEvent event) implements Command {}

  /** The engine came back: every entity checks its container. */
  public enum Resync implements Command { INSTANCE }

  private record Notice(AgentEntity.Notice notice) implements Command {}

  private enum GrantRestarts implements Command { INSTANCE }

  public static Behavior<Command> create(PoolSpec pool, List<AgentSpec> agents, DependencyGraph graph,
      AgentEntity.Deps deps, ActorRef<AgentStatus> statusListener) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new AgentPool(ctx, timers, pool, agents, graph, deps, statusListener)));
  }

  private final TimerScheduler<Command> timers;
  private final PoolSpec pool;
  private final DependencyGraph graph;
  private final ActorRef<AgentStatus> statusListener;
  private final Map<String, AgentSpec> specs = new LinkedHashMap<>();
  private final Map<String, ActorRef<AgentEntity.Command>> entities = new HashMap<>();
  /** Latest status of every agent of the fleet, this pool's and others'. */
  private final Map<String, AgentStatus> statuses = new HashMap<>();
  /** Agents of this pool that should run: always-on ones, those asked for, and their dependencies. */
  private final Set<String> wanted = new HashSet<>();
  /** Agents asked for explicitly (not only as someone's dependency). */
  private final Set<String> requested = new HashSet<>();
  private final RestartBudget budget;
  private final Deque<AgentEntity.RestartWanted> waitingRestarts = new ArrayDeque<>();

  private AgentPool(ActorContext<Command> ctx, TimerScheduler<Command> timers, PoolSpec pool, List<AgentSpec> agents,
      DependencyGraph graph, AgentEntity.Deps deps, ActorRef<AgentStatus> statusListener) {
    super(ctx);
    this.timers = timers;
    this.pool = pool;
    this.graph = graph;
    this.statusListener = statusListener;
    SupervisorSettings s = deps.settings();
    this.budget = new RestartBudget(s.poolRestartBudget(), s.poolRestartWindow());
    ActorRef<AgentEntity.Notice> notices = ctx.messageAdapter(AgentEntity.Notice.class, Notice::new);
    AgentEntity.Deps mine = new AgentEntity.Deps(deps.fleet(), deps.runtime(), deps.prober(), s, notices);
    ActorRef<StatusReply<Done>> ignore = ctx.getSystem().ignoreRef();
    for (AgentSpec a : agents) {
      specs.put(a.name(), a);
      ActorRef<AgentEntity.Command> e = ctx.spawn(AgentEntity.create(a.name(), mine), "agent-" + a.name());
      entities.put(a.name(), e);
      e.tell(new AgentEntity.Register(a, ignore));
      if (a.activation() == AgentSpec.Activation.ALWAYS) {
        requested.add(a.name());
      }
    }
    recomputeWanted();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Activate.class, this::onActivate)
        .onMessage(Deactivate.class, this::onDeactivate)
        .onMessage(Reset.class, this::onReset)
        .onMessage(GetStatuses.class, this::onGetStatuses)
        .onMessage(PeerStatus.class, m -> onStatus(m.status(), false))
        .onMessage(EngineEventFor.class, this::onEngineEvent)
        .onMessage(Resync.class, m -> onResync())
        .onMessage(Notice.class, this::onNotice)
        .onMessage(GrantRestarts.class, m -> grantRestarts())
        .build();
  }

  private Behavior<Command> onActivate(Activate m) {
    if (!specs.containsKey(m.agent())) {
      m.replyTo().tell(StatusReply.error("agent " + m.agent() + " is not in pool " + pool.name()));
      return this;
    }
    requested.add(m.agent());
    recomputeWanted();
    startReady(m.reason());
    m.replyTo().tell(StatusReply.ack());
    return this;
  }

  private Behavior<Command> onDeactivate(Deactivate m) {
    if (!specs.containsKey(m.agent())) {
      m.replyTo().tell(StatusReply.error("agent " + m.agent() + " is not in pool " + pool.name()));
      return this;
    }
    requested.remove(m.agent());
    Set<String> before = new HashSet<>(wanted);
    recomputeWanted();
    before.removeAll(wanted);
    ActorRef<StatusReply<Done>> ignore = getContext().getSystem().ignoreRef();
    for (String released : before) {
      entities.get(released).tell(new AgentEntity.Deactivate(
          released.equals(m.agent()) ? m.reason() : "no active agent depends on it any more", ignore));
    }
    m.replyTo().tell(StatusReply.ack());
    return this;
  }

  private Behavior<Command> onReset(Reset m) {
    ActorRef<AgentEntity.Command> e = entities.get(m.agent());
    if (e == null) {
      m.replyTo().tell(StatusReply.error("agent " + m.agent() + " is not in pool " + pool.name()));
    } else {
      e.tell(new AgentEntity.Reset(m.replyTo()));
    }
    return this;
  }

  private Behavior<Command> onGetStatuses(GetStatuses m) {
    List<AgentStatus> out = new ArrayList<>();
    for (String name : specs.keySet()) {
      AgentStatus s = statuses.get(name);
      if (s != null) {
        out.add(s);
      }
    }
    m.replyTo().tell(out);
    return this;
  }

  private Behavior<Command> onEngineEvent(EngineEventFor m) {
    ActorRef<AgentEntity.Command> e = entities.get(m.agent());
    if (e != null) {
      e.tell(new AgentEntity.FromEngine(m.event()));
    }
    return this;
  }

  private Behavior<Command> onResync() {
    entities.values().forEach(e -> e.tell(new AgentEntity.ResyncContainer()));
    return this;
  }

  private Behavior<Command> onNotice(Notice m) {
    if (m.notice() instanceof AgentEntity.StatusChanged c) {
      return onStatus(c.status(), true);
    } else if (m.notice() instanceof AgentEntity.RestartWanted w) {
      waitingRestarts.addLast(w);
      return grantRestarts();
    }
    return this;
  }

  /** A status change: propagate degradation to dependents, start agents whose dependencies are now healthy. */
  private Behavior<Command> onStatus(AgentStatus status, boolean mine) {
    AgentStatus previous = statuses.put(status.name(), status);
    if (mine) {
      statusListener.tell(status);
    }
    boolean wasUp = previous != null && previous.phase() == AgentPhase.HEALTHY;
    boolean isUp = status.phase() == AgentPhase.HEALTHY;
    if (wasUp != isUp || previous == null) {
      for (String dependent : graph.dependentsOf(status.name())) {
        ActorRef<AgentEntity.Command> e = entities.get(dependent);
        if (e == null) {
          continue;
        }
        if (isUp) {
          e.tell(new AgentEntity.DependencyUp(status.name()));
        } else if (wasUp) {
          e.tell(new AgentEntity.DependencyDown(status.name()));
        }
      }
    }
    startReady("always-on");
    return this;
  }

  /** Activates every wanted, inactive agent whose dependencies are all healthy. */
  private void startReady(String reason) {
    ActorRef<StatusReply<Done>> ignore = getContext().getSystem().ignoreRef();
    for (String name : graph.startOrder()) {
      if (!wanted.contains(name) || !entities.containsKey(name)) {
        continue;
      }
      AgentStatus s = statuses.get(name);
      if (s == null || s.desiredActive() || s.phase() == AgentPhase.CRASH_LOOP || s.phase() == AgentPhase.REMOVED) {
        continue;
      }
      boolean depsHealthy = specs.get(name).dependsOn().stream().allMatch(d -> {
        AgentStatus ds = statuses.get(d);
        return ds != null && ds.phase() == AgentPhase.HEALTHY;
      });
      if (depsHealthy) {
        String why = requested.contains(name) ? reason : "dependency of an active agent";
        entities.get(name).tell(new AgentEntity.Activate(why, ignore));
        // Optimistic: count it as desired until its own status arrives, so it is not asked twice.
        statuses.put(name, new AgentStatus(s.name(), s.pool(), AgentPhase.ACTIVATING, true, s.containerId(), s.totalRestarts(),
            why, Instant.now(), s.lastColdStartMillis(), s.degradedBy(), s.priority(), s.memoryBytes(), s.cpus()));
      }
    }
  }

  private void recomputeWanted() {
    wanted.clear();
    for (String r : requested) {
      wanted.add(r);
      for (String d : graph.transitiveDependenciesOf(r)) {
        if (specs.containsKey(d)) {
          wanted.add(d);
        }
      }
    }
  }

  private Behavior<Command> grantRestarts() {
    Instant now = Instant.now();
    while (!waitingRestarts.isEmpty() && budget.tryTake(now)) {
      AgentEntity.RestartWanted w = waitingRestarts.removeFirst();
      w.entity().tell(new AgentEntity.RestartPermitted(w.attempt()));
    }
    if (!waitingRestarts.isEmpty()) {
      Duration wait = budget.untilRoom(now);
      getContext().getLog().warn("pool {}: restart budget spent, {} restart(s) wait {} ms", pool.name(),
          waitingRestarts.size(), wait.toMillis());
      timers.startSingleTimer(GrantRestarts.INSTANCE, GrantRestarts.INSTANCE, wait.plusMillis(10));
    }
    return this;
  }
}
