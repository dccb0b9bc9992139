package ai.sutazai.inference.routing;

import java.util.List;
import java.util.Set;

/**
 * Plain round-robin over the available workers that have the model, blind to what is loaded and to free
 * slots; requests queue inside the workers. Kept as the benchmark's baseline. Not thread-safe: the router
 * actor is its only caller.
 */
public final class RoundRobinPolicy implements RoutingPolicy {
  private long next;

  @Override
  public Decision decide(String model, String stickyWorker, Set<String> exclude, List<WorkerView> workers,
      long nowNanos) {
    int n = workers.size();
    boolean anyHas = false;
    for (int i = 0; i < n; i++) {
      WorkerView w = workers.get((int) ((next + i) % n));
      if (exclude.contains(w.name()) || !w.has(model)) {
        continue;
      }
      anyHas = true;
      if (w.available()) {
        next = next + i + 1;
        return new Dispatch(w.name(), 0);
      }
    }
    return anyHas ? new Unavailable() : new NotFound();
  }
}
