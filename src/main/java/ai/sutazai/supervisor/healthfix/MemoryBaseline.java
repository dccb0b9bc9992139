package ai.sutazai.supervisor.healthfix;

import ai.sutazai.metrics.baseline.Baseline;
import ai.sutazai.metrics.baseline.ContainerUsage;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Containers' memory usage from the latest baseline ({@code sutazai_container_memory_usage_bytes} per
 * agent, read by {@link ContainerUsage}), for the health fix's "adjust limits".
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
    ContainerUsage.memoryByAgent(b).forEach((agent, m) -> usage.put(agent, new Usage(m.p95(), m.peak())));
    return new MemoryBaseline(String.valueOf(b.id()), usage);
  }

  public Optional<Usage> usage(String agent) {
    return Optional.ofNullable(usageByAgent.get(agent));
  }
}
