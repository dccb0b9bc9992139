package ai.sutazai.supervisor.pool;

import ai.sutazai.supervisor.agent.AgentEntity;
import ai.sutazai.supervisor.pool.ledger.IdleTracker;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.protocol.AgentStatuses;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.BehaviorInterceptor;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Handles, in front of an {@link AgentPool}, the frequent messages that need neither its state nor its
 * journal, so they never wait in the journal's stash while a decision is being written:
 * <ul>
 *   <li>{@link Notice}s and {@link AgentPool.StatusBatch}es go straight to the pool's
 *       {@link NoticeInbox} (batched there);</li>
 *   <li>{@link AgentPool.Touch} and {@link AgentPool.Busy} (one per inference request) update the
 *       pool's {@link IdleTracker} at once;</li>
 *   <li>{@link AgentPool.PeerStatuses} of the pool's own agents are dropped: the pool published them itself.</li>
 * </ul>
 * Everything else goes to the pool. Besides latency this bounds the stash: Akka 2.6 unstashes commands
 * that persist nothing recursively, and some thousands of them stashed behind one journal write (a
 * failover's status changes, a journal outage under inference traffic) overflow the thread's stack.
 */
public final class StashBypass extends BehaviorInterceptor<AgentPool.Command, AgentPool.Command> {
  private final ActorRef<NoticeInbox.Command> inbox;
  private final IdleTracker idle;
  private final Set<String> ownAgents;

  public StashBypass(ActorRef<NoticeInbox.Command> inbox, IdleTracker idle, Set<String> ownAgents) {
    super(AgentPool.Command.class);
    this.inbox = inbox;
    this.idle = idle;
    this.ownAgents = ownAgents;
  }

  @Override
  public Behavior<AgentPool.Command> aroundReceive(TypedActorContext<AgentPool.Command> ctx, AgentPool.Command msg,
      ReceiveTarget<AgentPool.Command> target) {
    if (msg instanceof AgentPool.Noticed || msg instanceof AgentPool.StatusBatch) {
      inbox.tell((NoticeInbox.Command) msg);
    } else if (msg instanceof AgentPool.Touch t) {
      idle.touch(t.agent(), Instant.now());
    } else if (msg instanceof AgentPool.Busy b) {
      idle.inFlight(b.agent(), b.inFlight(), Instant.now());
    } else if (msg instanceof AgentPool.PeerStatuses p) {
      List<AgentStatus> others = p.statuses().statuses().stream().filter(s -> !ownAgents.contains(s.name())).toList();
      if (!others.isEmpty()) {
        return target.apply(ctx, others.size() == p.statuses().statuses().size() ? p
            : new AgentPool.PeerStatuses(new AgentStatuses(others)));
      }
    } else {
      return target.apply(ctx, msg);
    }
    return Behaviors.same();
  }
}
