package ai.sutazai.metrics.baseline;

import ai.sutazai.metrics.stats.CollectorSeries;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Agents' container usage as a stored {@link Baseline} recorded it, from the per-agent series
 * {@code sutazai_container_memory_usage_bytes{agent="..."}} and {@code sutazai_container_cpu_percent{agent="..."}}:
 * the one reader of those series, shared by right-sizing (supervisor) and the health fix's limit adjustment.
 */
public final class ContainerUsage {
  private ContainerUsage() {}

  /**
   * One series' figures over the baseline's recording, in the metric's unit (bytes for memory, percent of one
   * core for CPU).
   *
   * @param samples samples behind the figures
   * @param p95 95th percentile
   * @param peak highest value
   */
  public record Figures(long samples, double p95, double peak) {
    static Figures of(MetricBaseline m) {
      return new Figures(m.summary().count(), m.summary().p95(), m.summary().max());
    }
  }

  /** Memory in use by {@code agent}'s container, bytes; empty when the baseline has no such series. */
  public static Optional<Figures> memory(Baseline b, String agent) {
    return b.metric(CollectorSeries.forAgent(CollectorSeries.CONTAINER_MEMORY_USAGE_BYTES, agent)).map(Figures::of);
  }

  /** CPU of {@code agent}'s container, percent of one core; empty when the baseline has no such series. */
  public static Optional<Figures> cpu(Baseline b, String agent) {
    return b.metric(CollectorSeries.forAgent(CollectorSeries.CONTAINER_CPU_PERCENT, agent)).map(Figures::of);
  }

  /** Memory in use of every agent's container the baseline has samples of, bytes, by agent name (sorted). */
  public static Map<String, Figures> memoryByAgent(Baseline b) {
    Map<String, Figures> usage = new TreeMap<>();
    String prefix = CollectorSeries.CONTAINER_MEMORY_USAGE_BYTES + "{agent=\"";
    for (MetricBaseline m : b.metrics()) {
      if (m.series().startsWith(prefix) && m.series().endsWith("\"}") && m.summary().count() > 0) {
        String agent = m.series().substring(prefix.length(), m.series().length() - 2).replace("\\\"", "\"").replace("\\\\", "\\");
        usage.put(agent, Figures.of(m));
      }
    }
    return usage;
  }
}
