package ai.sutazai.inference.routing;

import java.util.List;
import java.util.Set;

/**
 * Picks the worker for one request from a snapshot of the workers. Implementations are pure: the same
 * snapshot gives the same decision, and they keep no state beyond what the caller hands in (the
 * round-robin counter lives in {@link RoundRobinPolicy} and advances only on {@code Dispatch}).
 */
public interface RoutingPolicy {

  /**
   * @param model         normalised model name
   * @param stickyWorker  the worker this agent used last, or null
   * @param exclude       workers that already failed this request (retries)
   * @param workers       the snapshot
   * @param nowNanos      {@link System#nanoTime()} now (for "recently swapped")
   */
  Decision decide(String model, String stickyWorker, Set<String> exclude, List<WorkerView> workers, long nowNanos);

  /** The outcome. */
  sealed interface Decision permits Dispatch, Wait, NotFound, Unavailable {}

  /** Send it to {@code worker}; {@code rule} says which rule chose it (1, 2, 3, or 0 for sticky/round-robin). */
  record Dispatch(String worker, int rule) implements Decision {}

  /** Every worker that has the model loaded is busy: wait in the router's queue for a free slot. */
  record Wait() implements Decision {}

  /** No worker (outside {@code exclude}) has the model installed. */
  record NotFound() implements Decision {}

  /** Some worker has the model, but none of them is available (health, breaker). */
  record Unavailable() implements Decision {}

  /** The policy named in {@code sutazai.inference.routing-policy}. */
  static RoutingPolicy named(String name, int defaultSlots, long recentSwapNanos, int workerQueuePerModel) {
    return switch (name) {
      case "least-cost" -> new LeastCostPolicy(defaultSlots, recentSwapNanos, workerQueuePerModel);
      case "round-robin" -> new RoundRobinPolicy();
      default -> throw new ai.sutazai.common.UserError(
          "sutazai.inference.routing-policy: '" + name + "' is not one of least-cost, round-robin");
    };
  }
}
