package ai.sutazai.inference.routing;

import java.util.Map;
import java.util.Set;

/**
 * What the routing policy sees of one worker at one instant: an immutable snapshot.
 *
 * @param name            worker name
 * @param available       health check passing and circuit breaker closed
 * @param installed       normalised names of installed models ({@code /api/tags})
 * @param loaded          normalised names of models in memory ({@code /api/ps}, plus models the router
 *                        just sent there and that are therefore loading)
 * @param slots           free-plus-busy request slots per loaded model
 * @param inFlight        requests the router has in flight to this worker, per model
 * @param lastLoadNanos   {@link System#nanoTime()} of the last model load sent here, or {@code Long.MIN_VALUE}
 */
public record WorkerView(
    String name,
    boolean available,
    Set<String> installed,
    Set<String> loaded,
    Map<String, Integer> slots,
    Map<String, Integer> inFlight,
    long lastLoadNanos) {

  public boolean has(String model) {
    return installed.contains(model) || loaded.contains(model);
  }

  public boolean isLoaded(String model) {
    return loaded.contains(model);
  }

  public int inFlight(String model) {
    return inFlight.getOrDefault(model, 0);
  }

  public int slots(String model, int fallback) {
    return slots.getOrDefault(model, fallback);
  }

  /** Requests beyond the free slots, i.e. waiting in the worker's own queue for this model. */
  public int queued(String model, int fallbackSlots) {
    return Math.max(0, inFlight(model) - slots(model, fallbackSlots));
  }

  public int totalInFlight() {
    int sum = 0;
    for (int n : inFlight.values()) {
      sum += n;
    }
    return sum;
  }
}
