package ai.sutazai.supervisor.pool;

import ai.sutazai.common.JournalHealth;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.typed.javadsl.ActorContext;
import java.util.Optional;
import java.util.function.Function;

/**
 * A pool inbox's ({@link ActivationInbox}, {@link NoticeInbox}) view of whether its pool can use the journal
 * ({@link JournalHealth}): the current problem, and the changes, which the inbox is subscribed to on the
 * event stream (every pool's; {@link #concerns} picks its pool's). Confined to the inbox actor.
 */
final class PoolJournalWatch {
  private final JournalHealth journal;
  private final String poolPersistenceId;

  private PoolJournalWatch(JournalHealth journal, String poolPersistenceId) {
    this.journal = journal;
    this.poolPersistenceId = poolPersistenceId;
  }

  /** Subscribes the inbox to journal availability changes, each wrapped by {@code wrap} into its own message. */
  static <C> PoolJournalWatch subscribe(ActorContext<C> ctx, String poolPersistenceId,
      Function<JournalHealth.Availability, ? extends C> wrap) {
    ctx.getSystem().eventStream().tell(new EventStream.Subscribe<>(JournalHealth.Availability.class,
        ctx.messageAdapter(JournalHealth.Availability.class, wrap::apply)));
    return new PoolJournalWatch(JournalHealth.get(ctx.getSystem()), poolPersistenceId);
  }

  /** Why the pool cannot use the journal now ("journal unavailable: ..."), empty when it can. */
  Optional<String> problem() {
    return journal.problemOf(poolPersistenceId);
  }

  /** The change is about this pool's journal. */
  boolean concerns(JournalHealth.Availability change) {
    return change.persistenceId().equals(poolPersistenceId);
  }
}
