package ai.sutazai.supervisor.protocol;

import ai.sutazai.common.CborSerializable;
import java.time.Instant;

/**
 * One acknowledged activation request waiting in a pool's queue: higher priority first, then by
 * {@code seq} (FIFO within a priority).
 *
 * @param seq the pool's sequence number of the request (its FIFO order)
 * @param deadline when the request is rejected if still waiting; null = waits as long as it takes
 */
public record QueueEntry(long seq, String agent, int priority, ActivationSource source, String reason,
    Instant requestedAt, Instant deadline) implements CborSerializable {

  /** Queue order: priority descending, then arrival. */
  public static int compare(QueueEntry a, QueueEntry b) {
    int p = Integer.compare(b.priority, a.priority);
    return p != 0 ? p : Long.compare(a.seq, b.seq);
  }
}
