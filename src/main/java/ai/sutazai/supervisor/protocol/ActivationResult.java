package ai.sutazai.supervisor.protocol;

import ai.sutazai.common.CborSerializable;

/**
 * The answer to an activation request, given once the request is journalled (acknowledged).
 *
 * @param position 1-based place in the pool's queue when {@code QUEUED}, else 0
 * @param depth the queue's length when {@code QUEUED}, else 0
 * @param reason why: the budget that binds when queued, the cause when rejected
 */
public record ActivationResult(Outcome outcome, String agent, int position, int depth, String reason)
    implements CborSerializable {

  /** Where the request stands. */
  public enum Outcome {
    /** Already running and healthy. */
    ACTIVE,
    /** Admitted: its container (or a dependency's) is being started. */
    STARTING,
    /** Waiting for quota; admitted as soon as the quota allows. */
    QUEUED,
    /** Refused; {@code reason} says why. */
    REJECTED
  }
}
