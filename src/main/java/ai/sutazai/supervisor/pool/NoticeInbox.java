package ai.sutazai.supervisor.pool;

import ai.sutazai.supervisor.protocol.Notice;

import ai.sutazai.supervisor.agent.AgentEntity;

import ai.sutazai.common.JournalHealth;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.ArrayList;
import java.util.List;

/**
 * Sits between a pool's agents and the pool and hands their notices (status changes, restart requests) to
 * it in batches, one batch at a time. Why: while a pool journals, Akka stashes what arrives, and unstashes
 * it one message per stack frame; thousands of agents changing status during a burst would overflow the
 * stack. Batched, the pool handles one message per batch, and a burst of status changes costs one
 * decision round.
 *
 * <p>While the pool cannot use the journal ({@link JournalHealth}) notices wait here, in order, and go
 * once the pool has recovered, rather than filling the stash of a pool that waits for its restart.
 */
public final class NoticeInbox extends AbstractBehavior<NoticeInbox.Command> {

  /**
   * What the inbox accepts: the agents' notices (alone, or status changes in a node's
   * {@link AgentPool.StatusBatch}), and the pool's acknowledgement.
   */
  public interface Command {}

  /** The pool handled the last batch. */
  public enum BatchDone implements Command { INSTANCE }

  private record JournalChanged(JournalHealth.Availability availability) implements Command {}

  /** {@code poolPersistenceId}: the pool's, whose journal availability decides whether batches go. */
  /** {@code maxBatch}: most notices in one batch (sutazai.quota.max-batch). */
  public static Behavior<Command> create(ActorRef<AgentPool.Command> pool, String poolPersistenceId, int maxBatch) {
    return Behaviors.setup(ctx -> new NoticeInbox(ctx, pool, poolPersistenceId, maxBatch));
  }

  private final ActorRef<AgentPool.Command> pool;
  private final PoolJournalWatch journal;
  private final List<Notice> waiting = new ArrayList<>();
  private boolean inFlight;
  /** Most notices in one batch: one journal write, one reply round (sutazai.quota.max-batch). */
  private final int maxBatch;

  private NoticeInbox(ActorContext<Command> ctx, ActorRef<AgentPool.Command> pool, String poolPersistenceId, int maxBatch) {
    super(ctx);
    this.maxBatch = maxBatch;
    this.pool = pool;
    this.journal = PoolJournalWatch.subscribe(ctx, poolPersistenceId, JournalChanged::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(AgentPool.Noticed.class, this::onNotice)
        .onMessage(AgentPool.StatusBatch.class, this::onStatusBatch)
        .onMessageEquals(BatchDone.INSTANCE, this::onDone)
        .onMessage(JournalChanged.class, this::onJournalChanged)
        .build();
  }

  private Behavior<Command> onNotice(AgentPool.Noticed n) {
    waiting.add(n.notice());
    sendIfIdle();
    return this;
  }

  /** A node's batch of status changes: they join the queue in their order, as notices. */
  private Behavior<Command> onStatusBatch(AgentPool.StatusBatch b) {
    b.statuses().statuses().forEach(s -> waiting.add(new Notice.StatusChanged(s)));
    sendIfIdle();
    return this;
  }

  private Behavior<Command> onDone() {
    inFlight = false;
    sendIfIdle();
    return this;
  }

  private Behavior<Command> onJournalChanged(JournalChanged m) {
    if (journal.concerns(m.availability()) && m.availability().problem() == null) {
      sendIfIdle();
    }
    return this;
  }

  private void sendIfIdle() {
    if (inFlight || waiting.isEmpty() || journal.problem().isPresent()) {
      return;
    }
    int n = Math.min(maxBatch, waiting.size());
    List<Notice> batch = List.copyOf(waiting.subList(0, n));
    waiting.subList(0, n).clear();
    inFlight = true;
    pool.tell(new AgentPool.NoticeBatch(batch, getContext().getSelf()));
  }
}
