package ai.sutazai.runtime;

/**
 * One usage sample.
 *
 * @param cpuPercent CPU use in percent of one core (200 = two cores busy)
 * @param memoryUsageBytes memory in use, bytes
 * @param memoryLimitBytes memory limit, bytes
 */
public record ContainerStats(String containerId, double cpuPercent, long memoryUsageBytes, long memoryLimitBytes) {}
