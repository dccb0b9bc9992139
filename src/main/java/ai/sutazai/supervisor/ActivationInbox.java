package ai.sutazai.supervisor;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.ArrayList;
import java.util.List;

/**
 * Sits in front of one pool and hands it activation requests in batches: while the pool journals one
 * batch, the requests that arrive meanwhile wait here and go as the next batch, so a burst costs one
 * journal write per batch instead of one per request. Order is kept: batches go in arrival order, one at
 * a time.
 *
 * <p>On a cluster it is node-local, in front of the pool singleton's proxy. A batch sent while the
 * singleton hands over may never be answered: after {@link #BATCH_TIMEOUT} without an answer the inbox
 * goes on with the next batch (the lost batch's callers see their ask time out, nothing was journalled).
 */
public final class ActivationInbox extends AbstractBehavior<ActivationInbox.Command> {

  public interface Command extends ai.sutazai.CborSerializable {}

  public record Request(AgentPool.Activate activate) implements Command {}

  /** The pool journalled the last batch and answered its requests. */
  public enum BatchDone implements Command { INSTANCE }

  private enum Timeout implements Command { INSTANCE }

  /** How long a batch may stay unanswered before the inbox gives up on it (a singleton handover lost it). */
  static final java.time.Duration BATCH_TIMEOUT = java.time.Duration.ofSeconds(20);

  /** Most requests in one batch (one journal write, one reply round). */
  static final int MAX_BATCH = 1000;

  public static Behavior<Command> create(ActorRef<AgentPool.Command> pool) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new ActivationInbox(ctx, timers, pool)));
  }

  private final ActorRef<AgentPool.Command> pool;
  private final List<AgentPool.Activate> waiting = new ArrayList<>();
  private boolean inFlight;

  private final akka.actor.typed.javadsl.TimerScheduler<Command> timers;

  private ActivationInbox(ActorContext<Command> ctx, akka.actor.typed.javadsl.TimerScheduler<Command> timers,
      ActorRef<AgentPool.Command> pool) {
    super(ctx);
    this.timers = timers;
    this.pool = pool;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Request.class, this::onRequest)
        .onMessageEquals(BatchDone.INSTANCE, this::onDone)
        .onMessageEquals(Timeout.INSTANCE, () -> {
          getContext().getLog().warn("pool {} did not answer a batch of activations within {} s; sending the next",
              pool.path().name(), BATCH_TIMEOUT.toSeconds());
          return onDone();
        })
        .build();
  }

  private Behavior<Command> onRequest(Request m) {
    waiting.add(m.activate());
    if (!inFlight) {
      send();
    }
    return this;
  }

  private Behavior<Command> onDone() {
    timers.cancel(Timeout.INSTANCE);
    inFlight = false;
    if (!waiting.isEmpty()) {
      send();
    }
    return this;
  }

  private void send() {
    int n = Math.min(MAX_BATCH, waiting.size());
    List<AgentPool.Activate> batch = List.copyOf(waiting.subList(0, n));
    waiting.subList(0, n).clear();
    inFlight = true;
    timers.startSingleTimer(Timeout.INSTANCE, Timeout.INSTANCE, BATCH_TIMEOUT);
    pool.tell(new AgentPool.ActivateBatch(batch, getContext().getSelf()));
  }
}
