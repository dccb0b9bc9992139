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
 * @param usedMemoryBytes memory counted for the agents that occupy resources (starting, running,
 *     restarting, degraded, stopping, or admitted and not yet started): their requests, or a right-sized
 *     container's limit, bytes
 * @param usedCpus CPU counted for them (requests, or right-sized limits), cores
 * @param activeCount how many agents occupy resources
 * @param staleSince null when the pool itself answered; otherwise this is the last status it gave this node, which
 *     last heard from the pool at this instant (the pool could not be reached within the asker's bound, e.g. while
 *     its singleton moves to another node)
 */
public record PoolStatus(String name, int maxActive, long memoryBudgetBytes, double cpuBudget, long usedMemoryBytes,
    double usedCpus, int activeCount, List<Queued> queue, Instant staleSince) implements CborSerializable {

  public PoolStatus {
    queue = List.copyOf(queue);
  }

  /** A status the pool gave just now. */
  public PoolStatus(String name, int maxActive, long memoryBudgetBytes, double cpuBudget, long usedMemoryBytes,
      double usedCpus, int activeCount, List<Queued> queue) {
    this(name, maxActive, memoryBudgetBytes, cpuBudget, usedMemoryBytes, usedCpus, activeCount, queue, null);
  }

  /** This status, given out again as last known: this node last heard from the pool at {@code lastHeard}. */
  public PoolStatus stale(Instant lastHeard) {
    return new PoolStatus(name, maxActive, memoryBudgetBytes, cpuBudget, usedMemoryBytes, usedCpus, activeCount, queue,
        lastHeard);
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
