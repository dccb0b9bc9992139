package ai.sutazai.inference.routing;

import java.util.List;
import java.util.Set;

/**
 * The router's default policy. In order:
 * <ol>
 *   <li>sticky: the agent's previous worker, if it has the model loaded and a free slot (KV-cache reuse
 *       costs nothing there, so it never hurts);</li>
 *   <li>rule 1: a worker with the model loaded and a free slot (most free slots, then least busy);</li>
 *   <li>rule 2: a loaded worker with the shortest queue, if its own queue for the model is shorter than
 *       {@code workerQueuePerModel}; otherwise the request waits in the router's queue for the next
 *       free slot on a loaded worker, because a slot frees long before a model loads;</li>
 *   <li>rule 3: no worker has it loaded: the worker where loading costs least: fewest loaded models,
 *       not recently swapped, then least busy.</li>
 * </ol>
 * A worker that lacks the model is never chosen.
 */
public final class LeastCostPolicy implements RoutingPolicy {
  private final int defaultSlots;
  private final long recentSwapNanos;
  private final int workerQueuePerModel;

  /**
   * @param defaultSlots         slots assumed for a model with no slot entry yet
   * @param recentSwapNanos      a load sent to a worker less than this long ago counts as "recently swapped"
   * @param workerQueuePerModel  how many requests per model may wait in a worker's own queue (0: none)
   */
  public LeastCostPolicy(int defaultSlots, long recentSwapNanos, int workerQueuePerModel) {
    this.defaultSlots = defaultSlots;
    this.recentSwapNanos = recentSwapNanos;
    this.workerQueuePerModel = workerQueuePerModel;
  }

  @Override
  public Decision decide(String model, String stickyWorker, Set<String> exclude, List<WorkerView> workers,
      long nowNanos) {
    boolean anyHas = false;
    boolean anyLoaded = false;
    WorkerView sticky = null;
    WorkerView bestFree = null;
    int bestFreeSlots = 0;
    WorkerView shortestQueue = null;
    WorkerView cheapestLoad = null;
    int cheapestScore = Integer.MAX_VALUE;
    for (WorkerView w : workers) {
      if (exclude.contains(w.name()) || !w.has(model)) {
        continue;
      }
      anyHas = true;
      if (!w.available()) {
        continue;
      }
      if (w.isLoaded(model)) {
        anyLoaded = true;
        int free = w.slots(model, defaultSlots) - w.inFlight(model);
        if (free > 0) {
          if (w.name().equals(stickyWorker)) {
            sticky = w;
          }
          if (bestFree == null || free > bestFreeSlots
              || (free == bestFreeSlots && w.totalInFlight() < bestFree.totalInFlight())) {
            bestFree = w;
            bestFreeSlots = free;
          }
        } else if (shortestQueue == null
            || w.queued(model, defaultSlots) < shortestQueue.queued(model, defaultSlots)) {
          shortestQueue = w;
        }
      } else {
        boolean recent = w.lastLoadNanos() != Long.MIN_VALUE && nowNanos - w.lastLoadNanos() < recentSwapNanos;
        int score = w.loaded().size() * 2 + (recent ? 3 : 0);
        if (cheapestLoad == null || score < cheapestScore
            || (score == cheapestScore && w.totalInFlight() < cheapestLoad.totalInFlight())) {
          cheapestLoad = w;
          cheapestScore = score;
        }
      }
    }
    if (!anyHas) {
      return new NotFound();
    }
    if (sticky != null) {
      return new Dispatch(sticky.name(), 0);
    }
    if (bestFree != null) {
      return new Dispatch(bestFree.name(), 1);
    }
    if (anyLoaded) {
      if (shortestQueue != null && shortestQueue.queued(model, defaultSlots) < workerQueuePerModel) {
        return new Dispatch(shortestQueue.name(), 2);
      }
      return new Wait();
    }
    if (cheapestLoad != null) {
      return new Dispatch(cheapestLoad.name(), 3);
    }
    return new Unavailable();
  }
}
