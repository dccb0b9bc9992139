package ai.sutazai.front;

import ai.sutazai.common.Concurrency;

import ai.sutazai.supervisor.protocol.ActivationResult;
import ai.sutazai.supervisor.protocol.AgentEventPublished;
import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.ScalingDecision;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds requests for agents that are not healthy, Knative-activator style: the first held request of an
 * agent asks its pool for an activation (source GATEWAY); once the agent's journalled events show it
 * HEALTHY, the held requests go on in arrival order, each told how long it waited. A pool's refusal (an
 * unknown agent, a rejection such as a crash loop) answers every held request at once.
 *
 * <p>Bounded: at most {@code max-held} per agent (more are refused with 503 and Retry-After), each held at
 * most {@code hold-timeout} (then 504). A request whose client went away is dropped ({@link Drop}).
 *
 * <p>Node-local (its messages carry reply refs of the local HTTP side and never cross the network). The
 * agents it knows to be healthy are published in {@link #healthy} so the routes forward without a message here.
 */
public final class HoldingRoom extends AbstractBehavior<HoldingRoom.Command> {

  public interface Command {}

  /** Hold a request for {@code agent} until it may go ({@link Go}) or is refused ({@link Refuse}). */
  public record Hold(String agent, long id, ActorRef<Verdict> replyTo) implements Command {}

  /** The request's client went away, or its ask gave up: forget it. */
  public record Drop(String agent, long id) implements Command {}

  /** The answer to a {@link Hold}. */
  public sealed interface Verdict {}

  /** Forward it; {@code coldStartMillis} is how long it was held, -1 when it was not. */
  public record Go(long coldStartMillis) implements Verdict {}

  /** Answer with this problem instead. */
  public record Refuse(FrontProblem problem) implements Verdict {}

  private record Answered(String agent, ActivationResult result, Throwable failure) implements Command {}

  private record PhaseSeen(String agent, AgentPhase phase, String reason) implements Command {}

  private record Expired(String agent, long id) implements Command {}

  private record Decided(ScalingDecision decision) implements Command {}

  private record Held(long id, ActorRef<Verdict> replyTo, long arrivedNanos) {}

  /** One agent's door: what the room knows of it and the requests waiting for it. */
  private static final class Door {
    final ArrayDeque<Held> held = new ArrayDeque<>();
    AgentPhase phase;
    boolean asking;
    int queuePosition;
  }

  public static Behavior<Command> create(FrontSettings settings, AgentLink link, FrontStats stats, Set<String> healthy) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new HoldingRoom(ctx, timers, settings, link, stats, healthy)));
  }

  /** An empty, thread-safe set for {@link #create}'s {@code healthy}. */
  public static Set<String> healthySet() {
    return ConcurrentHashMap.newKeySet();
  }

  private final TimerScheduler<Command> timers;
  private final FrontSettings settings;
  private final AgentLink link;
  private final FrontStats stats;
  private final Set<String> healthy;
  private final Map<String, Door> doors = new HashMap<>();

  private HoldingRoom(ActorContext<Command> ctx, TimerScheduler<Command> timers, FrontSettings settings, AgentLink link,
      FrontStats stats, Set<String> healthy) {
    super(ctx);
    this.timers = timers;
    this.settings = settings;
    this.link = link;
    this.stats = stats;
    this.healthy = healthy;
    ActorRef<AgentEventPublished> events = ctx.messageAdapter(AgentEventPublished.class,
        e -> new PhaseSeen(e.agent(), e.status().phase(), e.status().lastReason()));
    ctx.getSystem().eventStream().tell(new EventStream.Subscribe<>(AgentEventPublished.class, events));
    ActorRef<ScalingDecision> decisions = ctx.messageAdapter(ScalingDecision.class, Decided::new);
    ctx.getSystem().eventStream().tell(new EventStream.Subscribe<>(ScalingDecision.class, decisions));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Hold.class, this::onHold)
        .onMessage(Drop.class, m -> { remove(m.agent(), m.id()); return this; })
        .onMessage(Expired.class, this::onExpired)
        .onMessage(Answered.class, this::onAnswered)
        .onMessage(PhaseSeen.class, this::onPhase)
        .onMessage(Decided.class, this::onDecided)
        .build();
  }

  // ---- requests ------------------------------------------------------------------------------------

  private Behavior<Command> onHold(Hold m) {
    Door door = doors.computeIfAbsent(m.agent(), a -> new Door());
    if (door.phase == AgentPhase.HEALTHY) {
      m.replyTo().tell(new Go(-1));
      return this;
    }
    if (door.held.size() >= settings.maxHeld()) {
      m.replyTo().tell(new Refuse(problem(503, "Too many held requests", "agent " + m.agent() + " already has "
          + door.held.size() + " requests held while it starts (sutazai.gateway.max-held = " + settings.maxHeld()
          + "); try again later", m.agent(), door).withRetryAfter(retryAfterSeconds())));
      return this;
    }
    door.held.addLast(new Held(m.id(), m.replyTo(), System.nanoTime()));
    stats.setHeld(m.agent(), door.held.size());
    timers.startSingleTimer(timerKey(m.agent(), m.id()), new Expired(m.agent(), m.id()), settings.holdTimeout());
    if (!door.asking) {
      ask(m.agent(), door);
    }
    return this;
  }

  /**
   * Asks the agent's pool for an activation that it rejects if still queued when the hold timeout of the
   * request now waiting longest passes: the pool's queue then keeps no request nobody waits for.
   */
  private void ask(String agent, Door door) {
    door.asking = true;
    long waitedNanos = door.held.isEmpty() ? 0 : System.nanoTime() - door.held.peekFirst().arrivedNanos();
    Instant deadline = Instant.now().plus(settings.holdTimeout()).minusNanos(waitedNanos);
    getContext().pipeToSelf(link.activate(agent, deadline), (r, err) -> new Answered(agent, r, err));
  }

  private Behavior<Command> onExpired(Expired m) {
    Door door = doors.get(m.agent());
    Held h = door == null ? null : take(door, m.id());
    if (h != null && door.queuePosition > 0) {
      // Still waiting in its pool's queue: the pool rejects the activation at the same deadline.
      stats.setHeld(m.agent(), door.held.size());
      h.replyTo().tell(new Refuse(queuedPastDeadline(m.agent(), door)));
    } else if (h != null) {
      stats.setHeld(m.agent(), door.held.size());
      h.replyTo().tell(new Refuse(problem(504, "Agent did not start in time", "agent " + m.agent()
          + " did not become healthy within " + settings.holdTimeout().toSeconds() + " s (sutazai.gateway.hold-timeout)",
          m.agent(), door)));
    }
    return this;
  }

  // ---- the pool's answer and the agent's phase ---------------------------------------------------

  private Behavior<Command> onAnswered(Answered m) {
    Door door = doors.computeIfAbsent(m.agent(), a -> new Door());
    door.asking = false;
    if (m.failure() != null) {
      String why = Concurrency.message(m.failure());
      boolean unknown = why.startsWith("unknown agent");
      refuseAll(m.agent(), door, problem(unknown ? 404 : 503, unknown ? "Unknown agent" : "Agent not activated",
          why, m.agent(), door).withRetryAfter(unknown ? 0 : retryAfterSeconds()));
      return this;
    }
    ActivationResult r = m.result();
    switch (r.outcome()) {
      case ACTIVE -> becameHealthy(m.agent(), door);
      case REJECTED -> refuseAll(m.agent(), door, problem(503, "Agent activation rejected", "the pool rejected the "
          + "activation of " + m.agent() + ": " + r.reason(), m.agent(), door));
      case QUEUED -> door.queuePosition = r.position();
      case STARTING -> door.queuePosition = 0;
    }
    return this;
  }

  private Behavior<Command> onPhase(PhaseSeen m) {
    Door door = doors.computeIfAbsent(m.agent(), a -> new Door());
    door.phase = m.phase();
    if (m.phase() == AgentPhase.HEALTHY) {
      door.queuePosition = 0;
      becameHealthy(m.agent(), door);
    } else {
      healthy.remove(m.agent());
      if (m.phase() == AgentPhase.CRASH_LOOP) {
        refuseAll(m.agent(), door, problem(503, "Agent in a crash loop", "agent " + m.agent()
            + " is parked in a crash loop (" + m.reason() + "); an operator must reset it", m.agent(), door));
      } else if ((m.phase() == AgentPhase.INACTIVE || m.phase() == AgentPhase.REMOVED) && !door.held.isEmpty()
          && !door.asking) {
        // Stopped while requests wait (e.g. idle-stopped just as they came): ask again.
        ask(m.agent(), door);
      }
    }
    return this;
  }

  /**
   * The pool's decisions about an agent the room waits for (published where the pool runs; on another node
   * the hold timeout answers alike): admitted from the queue, or rejected there once its deadline passed.
   */
  private Behavior<Command> onDecided(Decided m) {
    ScalingDecision d = m.decision();
    Door door = d.agent() == null ? null : doors.get(d.agent());
    if (door == null) {
      return this;
    }
    if (d.kind() == ScalingDecision.Kind.ADMITTED) {
      door.queuePosition = 0;
    } else if (d.kind() == ScalingDecision.Kind.REJECTED && door.queuePosition > 0) {
      refuseAll(d.agent(), door, queuedPastDeadline(d.agent(), door).withDetail(d.reason()));
      door.queuePosition = 0;
    }
    return this;
  }

  private FrontProblem queuedPastDeadline(String agent, Door door) {
    return problem(503, "Agent still queued at the deadline", "agent " + agent + " was still waiting in its pool's "
        + "activation queue (position " + door.queuePosition + ") after " + settings.holdTimeout().toSeconds()
        + " s (sutazai.gateway.hold-timeout): its pool's quota is in use; try again later", agent, door)
        .withRetryAfter(retryAfterSeconds());
  }

  private void becameHealthy(String agent, Door door) {
    door.phase = AgentPhase.HEALTHY;
    healthy.add(agent);
    if (door.held.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    stats.coldStart(agent, (now - door.held.peekFirst().arrivedNanos()) / 1_000_000);
    while (!door.held.isEmpty()) {
      Held h = door.held.pollFirst();
      timers.cancel(timerKey(agent, h.id()));
      h.replyTo().tell(new Go((now - h.arrivedNanos()) / 1_000_000));
    }
    stats.setHeld(agent, 0);
  }

  private void refuseAll(String agent, Door door, FrontProblem p) {
    while (!door.held.isEmpty()) {
      Held h = door.held.pollFirst();
      timers.cancel(timerKey(agent, h.id()));
      h.replyTo().tell(new Refuse(p));
    }
    stats.setHeld(agent, 0);
  }

  // ---- helpers -------------------------------------------------------------------------------------

  private void remove(String agent, long id) {
    Door door = doors.get(agent);
    if (door != null && take(door, id) != null) {
      timers.cancel(timerKey(agent, id));
      stats.setHeld(agent, door.held.size());
    }
  }

  private static Held take(Door door, long id) {
    for (Iterator<Held> it = door.held.iterator(); it.hasNext(); ) {
      Held h = it.next();
      if (h.id() == id) {
        it.remove();
        return h;
      }
    }
    return null;
  }

  private static String timerKey(String agent, long id) {
    return agent + "#" + id;
  }

  private long retryAfterSeconds() {
    return Math.max(1, Math.min(30, settings.holdTimeout().toSeconds() / 4));
  }

  private static FrontProblem problem(int status, String title, String detail, String agent, Door door) {
    String phase = door.queuePosition > 0 ? "QUEUED" : door.phase == null ? null : door.phase.name();
    return new FrontProblem(status, title, detail, agent, phase, door.queuePosition, 0);
  }

  static Duration askTimeout(FrontSettings settings) {
    return settings.holdTimeout().plusSeconds(5);
  }
}
