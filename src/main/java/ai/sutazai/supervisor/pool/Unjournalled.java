package ai.sutazai.supervisor.pool;


import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;

/**
 * What becomes of a command whose events were not written because the journal failed (the actor then
 * restarts with backoff and recovers, see {@link ai.sutazai.common.JournalHealth}): it was never acknowledged,
 * so its sender hears "journal unavailable: ..." and may try again, or, when its sender expects no answer
 * and would not try again, it is handled again after recovery. Never a silent loss.
 */
public final class Unjournalled {
  private Unjournalled() {}

  /**
   * The pool's: activations, deactivations and quota changes are answered with {@code error}; its inboxes
   * get the go-ahead for their next batch. Ticks, boot and status rounds decide again after recovery.
   */
  static void ofPool(AgentPool.Command c, String error) {
    if (c instanceof AgentPool.ActivateBatch b) {
      b.requests().forEach(a -> a.replyTo().tell(StatusReply.error(error)));
      if (b.inbox() != null) {
        b.inbox().tell(ActivationInbox.BatchDone.INSTANCE);
      }
    } else if (c instanceof AgentPool.Activate a) {
      a.replyTo().tell(StatusReply.error(error));
    } else if (c instanceof AgentPool.Deactivate d) {
      d.replyTo().tell(StatusReply.error(error));
    } else if (c instanceof AgentPool.SetQuota q) {
      q.replyTo().tell(StatusReply.error(error));
    } else if (c instanceof AgentPool.NoticeBatch n) {
      n.inbox().tell(NoticeInbox.BatchDone.INSTANCE);
    }
  }
}
