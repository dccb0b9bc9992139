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
 * Sits between a pool's agents and the pool and hands their notices (status changes, restart requests) to
 * it in batches, one batch at a time. Why: while a pool journals, Akka stashes what arrives, and unstashes
 * it one message per stack frame; thousands of agents changing status during a burst would overflow the
 * stack. Batched, the pool handles one message per batch, and a burst of status changes costs one
 * decision round.
 */
public final class NoticeInbox extends AbstractBehavior<NoticeInbox.Command> {

  /** What the inbox accepts: the agents' notices, and the pool's acknowledgement. */
  public interface Command {}

  /** The pool handled the last batch. */
  public enum BatchDone implements Command { INSTANCE }

  /** Most notices in one batch. */
  static final int MAX_BATCH = 1000;

  public static Behavior<Command> create(ActorRef<AgentPool.Command> pool) {
    return Behaviors.setup(ctx -> new NoticeInbox(ctx, pool));
  }

  private final ActorRef<AgentPool.Command> pool;
  private final List<AgentEntity.Notice> waiting = new ArrayList<>();
  private boolean inFlight;

  private NoticeInbox(ActorContext<Command> ctx, ActorRef<AgentPool.Command> pool) {
    super(ctx);
    this.pool = pool;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(AgentEntity.Notice.class, this::onNotice)
        .onMessageEquals(BatchDone.INSTANCE, this::onDone)
        .build();
  }

  private Behavior<Command> onNotice(AgentEntity.Notice n) {
    waiting.add(n);
    if (!inFlight) {
      send();
    }
    return this;
  }

  private Behavior<Command> onDone() {
    inFlight = false;
    if (!waiting.isEmpty()) {
      send();
    }
    return this;
  }

  private void send() {
    int n = Math.min(MAX_BATCH, waiting.size());
    List<AgentEntity.Notice> batch = List.copyOf(waiting.subList(0, n));
    waiting.subList(0, n).clear();
    inFlight = true;
    pool.tell(new AgentPool.NoticeBatch(batch, getContext().getSelf()));
  }
}
