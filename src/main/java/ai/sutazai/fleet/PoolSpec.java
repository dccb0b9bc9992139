package ai.sutazai.fleet;

import ai.sutazai.common.CborSerializable;
import java.time.Duration;

/**
 * An AgentPool's quota, from {@code sutazai.fleet.pools.<name>}; a pool that agents name but the spec
 * does not declare gets the supervisor's defaults.
 *
 * @param maxActive most agents active at once
 * @param memoryBudgetBytes memory budget in bytes; 0 = host memory x memory-utilisation-target
 * @param cpuBudget CPU budget in cores; 0 = host cores x cpu-utilisation-target
 * @param minActive this many most-important agents are never scaled to zero
 * @param restartBudget the pool's own restart budget ({@code restart-budget { max-restarts, window }}), null
 *     fields (or null) meaning the supervisor's {@code sutazai.supervisor.pool-restart-budget}
 */
public record PoolSpec(String name, int maxActive, long memoryBudgetBytes, double cpuBudget, int minActive,
    RestartBudgetSpec restartBudget) implements CborSerializable {

  /** A pool with the global restart budget. */
  public PoolSpec(String name, int maxActive, long memoryBudgetBytes, double cpuBudget, int minActive) {
    this(name, maxActive, memoryBudgetBytes, cpuBudget, minActive, null);
  }

  /** At most {@code maxRestarts} restarts within {@code window} across the pool; a null field keeps the global value. */
  public record RestartBudgetSpec(Integer maxRestarts, Duration window) implements CborSerializable {}
}
