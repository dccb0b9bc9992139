package ai.sutazai.supervisor.pool;

import ai.sutazai.common.JournalHealth;

/**
 * An {@link AgentPool}'s side of its journal's availability: which command's decisions are being written,
 * so that when the write (or the recovery) fails its sender hears so ({@link Unjournalled}) instead of
 * waiting for nothing, and the {@link JournalHealth} reports of the pool's ledger. Confined to the pool actor.
 */
final class PoolJournalling {
  private final JournalHealth journal;
  private final String persistenceId;
  private final String pool;
  /** The command being handled, and the one whose decisions are being journalled (null when none). */
  private AgentPool.Command handling;
  private AgentPool.Command unjournalled;

  PoolJournalling(JournalHealth journal, String persistenceId, String pool) {
    this.journal = journal;
    this.persistenceId = persistenceId;
    this.pool = pool;
  }

  /** The pool starts handling {@code c}. */
  void handling(AgentPool.Command c) {
    handling = c;
  }

  /** The decisions of the command being handled are being written. */
  void writing() {
    unjournalled = handling;
  }

  /** They are written. */
  void written() {
    unjournalled = null;
  }

  void recovered() {
    journal.recovered(persistenceId);
  }

  void stopped() {
    journal.forget(persistenceId);
  }

  /** A write or the recovery failed: the pool restarts with backoff and recovers; its agents keep running. */
  void failed(String reason) {
    journal.failed(persistenceId, reason);
    Unjournalled.ofPool(unjournalled, journal.problemOf(persistenceId)
        .orElse(JournalHealth.PREFIX + JournalHealth.WRITE_FAILED) + " (pool " + pool + "); try again");
    unjournalled = null;
  }
}
