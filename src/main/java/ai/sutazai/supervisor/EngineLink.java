package ai.sutazai.supervisor;

import ai.sutazai.supervisor.protocol.SupervisorProtocol;

import ai.sutazai.supervisor.settings.SupervisorSettings;

import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.runtime.ContainerRuntime;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A {@link FleetSupervisor}'s link to this node's container engine: the event subscription, the periodic
 * ping that notices a silent loss, reconnection with backoff, and the removal of orphans (labelled
 * containers whose agent left the fleet) after every (re)connection. Blocking calls run on the blocking
 * dispatcher; results come back to the supervisor as its messages. Confined to the supervisor's actor.
 */
final class EngineLink {
  /** How often a connected engine is pinged. */
  static final Duration PING_INTERVAL = Duration.ofSeconds(5);

  private final ActorContext<SupervisorProtocol.Command> ctx;
  private final TimerScheduler<SupervisorProtocol.Command> timers;
  private final FleetSpec fleet;
  private final ContainerRuntime runtime;
  private final SupervisorSettings settings;
  private final Executor blocking;
  private AutoCloseable subscription;
  private boolean up;
  private int reconnectAttempt;

  EngineLink(ActorContext<SupervisorProtocol.Command> ctx, TimerScheduler<SupervisorProtocol.Command> timers, FleetSpec fleet,
      ContainerRuntime runtime, SupervisorSettings settings, Executor blocking) {
    this.ctx = ctx;
    this.timers = timers;
    this.fleet = fleet;
    this.runtime = runtime;
    this.settings = settings;
    this.blocking = blocking;
  }

  /** Subscribes to engine events (answered with Connected or ConnectFailed), and starts the pings. */
  void start() {
    connect();
    timers.startTimerWithFixedDelay(FleetSupervisor.Tick.PING, FleetSupervisor.Tick.PING, PING_INTERVAL);
  }

  /** Subscribes to engine events; the supervisor hears Connected or ConnectFailed. */
  void connect() {
    ActorRef<SupervisorProtocol.Command> self = ctx.getSelf();
    ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> {
      runtime.ping();
      return runtime.events(e -> self.tell(new FleetSupervisor.EngineEvent(e)),
          err -> self.tell(new FleetSupervisor.EngineLost(describe(err))));
    }, blocking), (sub, err) -> err != null ? new FleetSupervisor.ConnectFailed(describe(err)) : new FleetSupervisor.Connected(sub));
  }

  /** The subscription is up; removes orphans. True when the engine had been lost (agents must resync). */
  boolean connected(AutoCloseable sub) {
    close();
    subscription = sub;
    boolean wasDown = !up && reconnectAttempt > 0;
    up = true;
    reconnectAttempt = 0;
    ctx.getLog().info("connected to {}", runtime.describe());
    removeOrphans();
    return wasDown;
  }

  /** Connecting failed: try again after an exponential backoff. */
  void connectFailed(String reason) {
    up = false;
    reconnectAttempt++;
    long millis = Math.min(settings.reconnectMaxBackoff().toMillis(),
        settings.reconnectMinBackoff().toMillis() << Math.min(10, reconnectAttempt - 1));
    ctx.getLog().warn("container engine unreachable ({}); retrying in {} ms", reason, millis);
    timers.startSingleTimer(FleetSupervisor.Tick.RECONNECT, FleetSupervisor.Tick.RECONNECT, Duration.ofMillis(millis));
  }

  /** The event stream broke or a ping failed: reconnect after the shortest backoff. */
  void lost(String reason) {
    if (!up) {
      return;
    }
    up = false;
    close();
    ctx.getLog().warn("lost the container engine: {}", reason);
    reconnectAttempt = 1;
    timers.startSingleTimer(FleetSupervisor.Tick.RECONNECT, FleetSupervisor.Tick.RECONNECT, settings.reconnectMinBackoff());
  }

  /** Pings a connected engine; a failure comes back as EngineLost. */
  void ping() {
    if (!up) {
      return;
    }
    ActorRef<SupervisorProtocol.Command> self = ctx.getSelf();
    CompletableFuture.runAsync(runtime::ping, blocking).whenComplete((ok, err) -> {
      if (err != null) {
        self.tell(new FleetSupervisor.EngineLost(describe(err)));
      }
    });
  }

  /** Labelled containers of this fleet whose agent is no longer in the fleet are removed. */
  private void removeOrphans() {
    ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> NodeContainers.removeManaged(runtime, fleet.name(),
        c -> c.agent() == null || !fleet.agents().containsKey(c.agent())), blocking),
        (names, err) -> new FleetSupervisor.OrphansRemoved(err != null ? List.of() : names));
  }

  void orphansRemoved(List<String> names) {
    if (!names.isEmpty()) {
      ctx.getLog().info("removed {} container(s) whose agent left the fleet: {}", names.size(), NodeContainers.sample(names));
    }
  }

  /** Whether the engine answers (connected and not lost since). */
  boolean up() {
    return up;
  }

  /** Closes the event subscription, if any. */
  void close() {
    if (subscription != null) {
      try {
        subscription.close();
      } catch (Exception e) {
        ctx.getLog().debug("closing the event subscription: {}", e.toString());
      }
      subscription = null;
    }
  }

  private static String describe(Throwable t) {
    Throwable c = ai.sutazai.common.Concurrency.unwrap(t);
    return c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName();
  }
}
