package ai.sutazai.inference;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Read-only views the router answers with; rendered as JSON by {@code /sutazai/workers} and {@code /sutazai/queue}. */
public final class RouterReports {
  private RouterReports() {}

  /** One worker as the router sees it. */
  public record Worker(
      String name,
      String url,
      int numParallel,
      boolean healthy,
      String breaker,
      boolean available,
      int consecutiveFailures,
      String lastError,
      Set<String> loaded,
      Set<String> installed,
      Map<String, Integer> slots,
      Map<String, Integer> inFlight) {}

  /** Every worker. */
  public record Workers(List<Worker> workers) {}

  /**
   * One model's queue in the router.
   *
   * @param depth          requests waiting now
   * @param oldestWaitMillis how long the oldest has waited
   * @param meanWaitMillis mean wait of requests that left the queue for a worker (exponentially weighted)
   * @param cancelled      requests taken out of the queue because their client went away, since start
   */
  public record ModelQueue(String model, int depth, long oldestWaitMillis, double meanWaitMillis, int inFlight,
      long cancelled) {}

  /**
   * One worker's share: requests in flight and waiting inside the worker (beyond its slots), per model,
   * and the mean router-queue wait of the requests that went to it.
   */
  public record WorkerQueue(String worker, Map<String, Integer> inFlight, Map<String, Integer> queued,
      double meanWaitMillis) {}

  /** {@code GET /sutazai/queue}. */
  public record Queue(List<ModelQueue> models, List<WorkerQueue> workers) {}
}
