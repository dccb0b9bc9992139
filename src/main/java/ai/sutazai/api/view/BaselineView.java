package ai.sutazai.api.view;

import java.time.Instant;
import java.util.Map;

/**
 * A stored performance baseline ({@code sutazai baseline}).
 *
 * @param id baseline id
 * @param startedAt when sampling started
 * @param durationSeconds how long it sampled, seconds
 * @param samples samples taken
 * @param metrics statistics per metric name (for example "host_memory_utilisation_ratio")
 * @param thresholds alert thresholds derived from it, by name (for example "memory_warning_ratio")
 */
public record BaselineView(
    String id,
    Instant startedAt,
    long durationSeconds,
    int samples,
    Map<String, Stat> metrics,
    Map<String, Double> thresholds) {
  public BaselineView {
    metrics = Map.copyOf(metrics);
    thresholds = Map.copyOf(thresholds);
  }

  /** Statistics of one metric over the baseline, in the metric's unit. */
  public record Stat(double mean, double stddev, double min, double max, double p50, double p95, double p99) {}
}
