package ai.sutazai.fleet;

import ai.sutazai.common.CborSerializable;

/**
 * An AgentPool's quota, from {@code sutazai.fleet.pools.<name>}; a pool that agents name but the spec
 * does not declare gets the supervisor's defaults.
 *
 * @param maxActive most agents active at once
 * @param memoryBudgetBytes memory budget in bytes; 0 = host memory x memory-utilisation-target
 * @param cpuBudget CPU budget in cores; 0 = host cores x cpu-utilisation-target
 * @param minActive this many most-important agents are never scaled to zero
 */
public record PoolSpec(String name, int maxActive, long memoryBudgetBytes, double cpuBudget, int minActive)
    implements CborSerializable {}
