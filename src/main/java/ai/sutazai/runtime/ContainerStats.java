package ai.sutazai.runtime;

/**
 * One usage sample.
 *
 * @param cpuPercent CPU use in percent of one core (200 = two cores busy)
 * @param memoryUsageBytes memory in use, bytes
 * @param memoryLimitBytes memory limit, bytes
 * @param cpuSecondsTotal CPU time the container has used since it started, seconds (the engine's cumulative
 *     counter); NaN when the runtime does not know it
 */
public record ContainerStats(String containerId, double cpuPercent, long memoryUsageBytes, long memoryLimitBytes,
    double cpuSecondsTotal) {

  /** A sample without the cumulative CPU time. */
  public ContainerStats(String containerId, double cpuPercent, long memoryUsageBytes, long memoryLimitBytes) {
    this(containerId, cpuPercent, memoryUsageBytes, memoryLimitBytes, Double.NaN);
  }
}
