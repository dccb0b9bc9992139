package ai.sutazai.metrics.baseline;

import ai.sutazai.common.CborSerializable;
import ai.sutazai.metrics.stats.CollectorSeries;
import ai.sutazai.metrics.stats.Point;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A recorded performance baseline.
 *
 * @param id database id (0 before it is stored)
 * @param createdAt when the recording ended
 * @param duration how long it recorded
 * @param sampleInterval time between samples
 * @param label free text, the host name by default
 * @param samples samples taken
 * @param metrics one entry per series, sorted by series name
 * @param history the samples of the series forecasts need ({@link #keepsHistory}), oldest first; empty for
 *     baselines stored before samples were kept
 * @param complete false while it is recorded and when its recording was interrupted: it holds what was
 *     recorded until then
 * @param plannedDuration the duration asked for ({@code duration} is what was recorded)
 */
public record Baseline(
    long id, Instant createdAt, Duration duration, Duration sampleInterval, String label, int samples,
    List<MetricBaseline> metrics, Map<String, List<Point>> history, boolean complete, Duration plannedDuration)
    implements CborSerializable {

  public Baseline {
    metrics = List.copyOf(metrics);
    Map<String, List<Point>> h = new TreeMap<>();
    if (history != null) {
      history.forEach((k, v) -> h.put(k, List.copyOf(v)));
    }
    history = Collections.unmodifiableMap(h);
    plannedDuration = plannedDuration == null ? duration : plannedDuration;
  }

  /** A complete baseline. */
  public Baseline(long id, Instant createdAt, Duration duration, Duration sampleInterval, String label, int samples,
      List<MetricBaseline> metrics, Map<String, List<Point>> history) {
    this(id, createdAt, duration, sampleInterval, label, samples, metrics, history, true, duration);
  }

  /** A baseline without sample history. */
  public Baseline(long id, Instant createdAt, Duration duration, Duration sampleInterval, String label, int samples,
      List<MetricBaseline> metrics) {
    this(id, createdAt, duration, sampleInterval, label, samples, metrics, Map.of());
  }

  public Baseline withId(long newId) {
    return new Baseline(newId, createdAt, duration, sampleInterval, label, samples, metrics, history, complete,
        plannedDuration);
  }

  /**
   * For an incomplete baseline, what it holds, e.g. "incomplete: 2m of the planned 30m recorded (24 samples);
   * interrupted, or still being recorded"; empty for a complete one.
   */
  public Optional<String> incompleteNote() {
    return complete ? Optional.empty() : Optional.of(incompleteNote(duration, plannedDuration, samples));
  }

  /** The note of {@link #incompleteNote()} from its figures. */
  public static String incompleteNote(Duration recorded, Duration planned, int samples) {
    return "incomplete: " + ai.sutazai.common.DurationArg.format(recorded) + " of the planned "
        + ai.sutazai.common.DurationArg.format(planned) + " recorded (" + samples + " samples); interrupted, or still being recorded";
  }

  /**
   * Whether a baseline keeps the samples of {@code series}: host memory used and total, host CPU and every
   * agent's requests — what the memory, CPU and demand forecasts are computed from.
   */
  public static boolean keepsHistory(String series) {
    return series.equals(CollectorSeries.HOST_MEMORY_USED_BYTES) || series.equals(CollectorSeries.HOST_MEMORY_TOTAL_BYTES)
        || series.equals(CollectorSeries.HOST_CPU_PERCENT) || CollectorSeries.metricOf(series).equals(CollectorSeries.AGENT_REQUESTS);
  }

  public Optional<MetricBaseline> metric(String series) {
    return metrics.stream().filter(m -> m.series().equals(series)).findFirst();
  }
}
