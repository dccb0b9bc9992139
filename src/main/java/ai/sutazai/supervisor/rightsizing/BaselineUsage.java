package ai.sutazai.supervisor.rightsizing;

import ai.sutazai.metrics.baseline.Baseline;
import ai.sutazai.metrics.baseline.ContainerUsage;
import java.util.Optional;

/**
 * One agent's container usage in a stored baseline ({@code sutazai baseline}), for right-sizing: the
 * p95 and the peak of memory and CPU over the baseline's recording (read by {@link ContainerUsage}). A metric
 * the baseline lacks is 0.
 *
 * @param baselineId the baseline's id ({@code sutazai baseline show ID})
 * @param samples samples behind the figures (the larger of the two series)
 * @param memoryP95Bytes 95th percentile of container memory in use, bytes
 * @param memoryPeakBytes highest container memory in use, bytes
 * @param cpuP95Percent 95th percentile of container CPU, percent of one core
 * @param cpuPeakPercent highest container CPU, percent of one core
 */
public record BaselineUsage(long baselineId, long samples, long memoryP95Bytes, long memoryPeakBytes,
    double cpuP95Percent, double cpuPeakPercent) {

  /** The usage of {@code agent}'s container in {@code b}, or empty when the baseline did not record it. */
  public static Optional<BaselineUsage> of(Baseline b, String agent) {
    Optional<ContainerUsage.Figures> memory = ContainerUsage.memory(b, agent);
    Optional<ContainerUsage.Figures> cpu = ContainerUsage.cpu(b, agent);
    if (memory.isEmpty() && cpu.isEmpty()) {
      return Optional.empty();
    }
    long samples = Math.max(memory.map(ContainerUsage.Figures::samples).orElse(0L),
        cpu.map(ContainerUsage.Figures::samples).orElse(0L));
    return Optional.of(new BaselineUsage(b.id(), samples,
        memory.map(m -> (long) Math.ceil(m.p95())).orElse(0L),
        memory.map(m -> (long) Math.ceil(m.peak())).orElse(0L),
        cpu.map(ContainerUsage.Figures::p95).orElse(0.0),
        cpu.map(ContainerUsage.Figures::peak).orElse(0.0)));
  }
}
