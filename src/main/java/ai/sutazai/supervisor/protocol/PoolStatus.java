package ai.sutazai.supervisor.protocol;


import ai.sutazai.common.CborSerializable;
import java.time.Instant;
import java.util.List;

/**
 * A pool's quota, what of it is in use, and its activation queue. Budgets are effective values (0 in the
 * configuration already resolved to host x utilisation target).
 *
 * @param memoryBudgetBytes memory budget, bytes
 * @param cpuBudget CPU budget, cores
 * @param usedMemoryBytes memory requests of the agents that occupy resources (starting, running,
 *     restarting, degraded, stopping, or admitted and not yet started), bytes
 * @param usedCpus their CPU requests, cores
 * @param activeCount how many agents occupy resources
 */
public record PoolStatus(String name, int maxActive, long memoryBudgetBytes, double cpuBudget, long usedMemoryBytes,
    double usedCpus, int activeCount, List<Queued> queue) implements CborSerializable {

  public PoolStatus {
    queue = List.copyOf(queue);
  }

  /** The waiting requests as others see them, {@code entries} in queue order. */
  public static List<Queued> queueOf(List<QueueEntry> entries, Instant now) {
    List<Queued> q = new java.util.ArrayList<>(entries.size());
    int i = 0;
    for (QueueEntry e : entries) {
      q.add(new Queued(e.agent(), e.priority(), ++i, java.time.Duration.between(e.requestedAt(), now).toMillis(), e.deadline(),
          e.source()));
    }
    return q;
  }

  /**
   * One waiting request.
   *
   * @param position 1-based place in the queue
   * @param waitingMillis time since it was acknowledged, milliseconds
   * @param deadline when it is rejected if still waiting; null = none
   */
  public record Queued(String agent, int priority, int position, long waitingMillis, Instant deadline,
      ActivationSource source) implements CborSerializable {}
}
