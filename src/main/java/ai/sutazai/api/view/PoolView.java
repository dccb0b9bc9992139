package ai.sutazai.api.view;

import java.util.List;

/**
 * An AgentPool: its quota, what it currently uses and who waits in its activation queue.
 *
 * @param name pool name
 * @param quota the pool's limits
 * @param usage what its active agents currently hold
 * @param queue waiting activations, in admission order (position 1 first)
 */
public record PoolView(String name, Quota quota, Usage usage, List<QueueEntry> queue) {
  public PoolView {
    queue = List.copyOf(queue);
  }

  /**
   * A pool's limits; also the body of {@code PUT /api/v1/pools/{name}/quota}.
   *
   * @param maxActive most agents active at once (at least 0)
   * @param memoryBudgetBytes memory the active agents' requests may add up to, bytes (at least 0)
   * @param cpuBudget CPU the active agents' requests may add up to, cores (at least 0)
   * @param minActive this many most-important agents are never scaled to zero (0..maxActive)
   */
  public record Quota(int maxActive, long memoryBudgetBytes, double cpuBudget, int minActive) {}

  /**
   * What the pool's active agents hold.
   *
   * @param active agents counted against maxActive
   * @param memoryBytes sum of their memory requests, bytes
   * @param cpu sum of their CPU requests, cores
   */
  public record Usage(int active, long memoryBytes, double cpu) {}

  /**
   * One waiting activation.
   *
   * @param agent the agent waiting
   * @param position 1-based position in the queue
   * @param priority the agent's priority
   * @param waitingMillis how long it has waited, milliseconds
   */
  public record QueueEntry(String agent, int position, int priority, long waitingMillis) {}
}
