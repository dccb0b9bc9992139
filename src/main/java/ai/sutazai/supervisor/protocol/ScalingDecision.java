package ai.sutazai.supervisor.protocol;

import ai.sutazai.supervisor.pool.ledger.PoolEvent;

import ai.sutazai.common.CborSerializable;
import java.time.Instant;

/**
 * One scaling decision of a pool with its human-readable reason, e.g. "stopped researcher-7: idle 10m" or
 * "queued coder-3: memory budget 22.1 of 23.2 GiB in use". Journalled as a {@link PoolEvent} and
 * published on the actor system's event stream of the node that runs the pool as it is made (the API's
 * live stream sends it as a {@code decision} event; {@code GET /api/v1/pools/{name}/decisions} lists the recent ones).
 */
public record ScalingDecision(String fleet, String pool, Kind kind, String agent, String reason, Instant at)
    implements CborSerializable {

  /** What was decided. */
  public enum Kind { QUEUED, ADMITTED, REJECTED, STOPPED, IDLE_STOPPED, PREEMPTED, RELEASED, ADOPTED, QUOTA_CHANGED, RESIZED }

  /** The decision as one line: "stopped researcher-7: idle 10m". */
  public String describe() {
    return reason;
  }
}
