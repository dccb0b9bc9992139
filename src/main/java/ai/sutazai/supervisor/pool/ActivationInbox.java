package ai.sutazai.supervisor.pool;

import ai.sutazai.common.CborSerializable;
import ai.sutazai.common.JournalHealth;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sits in front of one pool and hands it activation requests in batches: while the pool journals one
 * batch, the requests that arrive meanwhile wait here and go as the next batch, so a burst costs one
 * journal write per batch instead of one per request. Order is kept: batches go in arrival order, one at
 * a time.
 *
 * <p>While the pool cannot use the journal ({@link JournalHealth}), requests are answered at once with
 * "journal unavailable: ..." instead of waiting for a pool that waits for its restart: the sender sees
 * the outage within its ask timeout and may try again. Nothing is decided for them, so nothing
 * acknowledged is lost.
 *
 * <p>On a cluster it is node-local, in front of the pool singleton's proxy. A batch sent while the
 * singleton hands over may never be answered: after {@link #BATCH_TIMEOUT} without an answer the inbox
 * goes on with the next batch (the lost batch's callers see their ask time out, nothing was journalled).
 */
public final class ActivationInbox extends AbstractBehavior<ActivationInbox.Command> {

  public interface Command extends CborSerializable {}

  public record Request(AgentPool.Activate activate) implements Command {}

  /** The pool journalled the last batch and answered its requests (or answered them with an error). */
  public enum BatchDone implements Command { INSTANCE }

  private record JournalChanged(JournalHealth.Availability availability) implements Command {}

  private enum Timeout implements Command { INSTANCE }

  /** How long a batch may stay unanswered before the inbox gives up on it (a singleton handover lost it). */
  static final Duration BATCH_TIMEOUT = Duration.ofSeconds(20);

  /** {@code poolPersistenceId}: the pool's, whose journal availability decides whether requests go. */
  /** {@code maxBatch}: most requests in one batch (sutazai.quota.max-batch). */
  public static Behavior<Command> create(ActorRef<AgentPool.Command> pool, String poolPersistenceId, int maxBatch) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new ActivationInbox(ctx, timers, pool, poolPersistenceId,
        maxBatch)));
  }

  private final TimerScheduler<Command> timers;
  private final ActorRef<AgentPool.Command> pool;
  private final PoolJournalWatch journal;
  private final List<AgentPool.Activate> waiting = new ArrayList<>();
  private boolean inFlight;
  /** Most requests in one batch: one journal write, one reply round (sutazai.quota.max-batch). */
  private final int maxBatch;

  private ActivationInbox(ActorContext<Command> ctx, TimerScheduler<Command> timers, ActorRef<AgentPool.Command> pool,
      String poolPersistenceId, int maxBatch) {
    super(ctx);
    this.maxBatch = maxBatch;
    this.timers = timers;
    this.pool = pool;
    this.journal = PoolJournalWatch.subscribe(ctx, poolPersistenceId, JournalChanged::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Request.class, this::onRequest)
        .onMessageEquals(BatchDone.INSTANCE, this::onDone)
        .onMessage(JournalChanged.class, this::onJournalChanged)
        .onMessageEquals(Timeout.INSTANCE, () -> {
          getContext().getLog().warn("pool {} did not answer a batch of activations within {} s; sending the next",
              pool.path().name(), BATCH_TIMEOUT.toSeconds());
          return onDone();
        })
        .build();
  }

  private Behavior<Command> onRequest(Request m) {
    Optional<String> problem = journal.problem();
    if (problem.isPresent()) {
      m.activate().replyTo().tell(StatusReply.error(problem.get() + "; activation of " + m.activate().agent() + " not decided, try again"));
      return this;
    }
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

  /** The pool lost the journal: the requests waiting here are answered now, not after its recovery. */
  private Behavior<Command> onJournalChanged(JournalChanged m) {
    String problem = m.availability().problem();
    if (problem != null && journal.concerns(m.availability())) {
      for (AgentPool.Activate a : waiting) {
        a.replyTo().tell(StatusReply.error(problem + "; activation of " + a.agent() + " not decided, try again"));
      }
      waiting.clear();
    }
    return this;
  }

  private void send() {
    int n = Math.min(maxBatch, waiting.size());
    List<AgentPool.Activate> batch = List.copyOf(waiting.subList(0, n));
    waiting.subList(0, n).clear();
    inFlight = true;
    timers.startSingleTimer(Timeout.INSTANCE, Timeout.INSTANCE, BATCH_TIMEOUT);
    pool.tell(new AgentPool.ActivateBatch(batch, getContext().getSelf()));
  }
}
