package ai.sutazai.supervisor.healthfix;

import ai.sutazai.metrics.MetricNames;
import ai.sutazai.metrics.baseline.Baseline;
import ai.sutazai.metrics.baseline.MetricBaseline;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Containers' memory usage from the latest baseline ({@code sutazai_container_memory_usage_bytes} per
 * agent), for the health fix's "adjust limits".
 *
 * @param id the baseline's id, null when there is no baseline
 * @param usageByAgent per agent (the container's {@code sutazai.agent} label, else its name)
 */
public record MemoryBaseline(String id, Map<String, Usage> usageByAgent) {

  /** No baseline. */
  public static final MemoryBaseline NONE = new MemoryBaseline(null, Map.of());

  /** Memory p95 and peak over the baseline, bytes. */
  public record Usage(double p95Bytes, double peakBytes) {}

  public MemoryBaseline {
    usageByAgent = Map.copyOf(usageByAgent);
  }

  public static MemoryBaseline of(Baseline b) {
    Map<String, Usage> usage = new TreeMap<>();
    String prefix = MetricNames.CONTAINER_MEMORY_USAGE_BYTES + "{agent=\"";
    for (MetricBaseline m : b.metrics()) {
      if (m.series().startsWith(prefix) && m.series().endsWith("\"}") && m.summary().count() > 0) {
        String agent = m.series().substring(prefix.length(), m.series().length() - 2).replace("\\\"", "\"").replace("\\\\", "\\");
        usage.put(agent, new Usage(m.summary().p95(), m.summary().max()));
      }
    }
    return new MemoryBaseline(String.valueOf(b.id()), usage);
  }

  public Optional<Usage> usage(String agent) {
    return Optional.ofNullable(usageByAgent.get(agent));
  }
}
