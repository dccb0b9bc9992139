package ai.sutazai.supervisor;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.BehaviorInterceptor;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.javadsl.Behaviors;

/**
 * Hands {@link AgentEntity.Notice}s sent to an {@link AgentPool} straight to its {@link NoticeInbox}, before
 * the journal's stash; everything else goes to the pool.
 */
final class NoticeDivert extends BehaviorInterceptor<AgentPool.Command, AgentPool.Command> {
  private final ActorRef<NoticeInbox.Command> inbox;

  NoticeDivert(ActorRef<NoticeInbox.Command> inbox) {
    super(AgentPool.Command.class);
    this.inbox = inbox;
  }

  @Override
  public Behavior<AgentPool.Command> aroundReceive(TypedActorContext<AgentPool.Command> ctx, AgentPool.Command msg,
      ReceiveTarget<AgentPool.Command> target) {
    if (msg instanceof AgentEntity.Notice n) {
      inbox.tell(n);
      return Behaviors.same();
    }
    return target.apply(ctx, msg);
  }
}
