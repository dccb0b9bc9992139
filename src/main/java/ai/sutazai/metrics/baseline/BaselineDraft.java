package ai.sutazai.metrics.baseline;

import ai.sutazai.metrics.alerts.AlertRule;
import ai.sutazai.metrics.stats.Point;
import ai.sutazai.metrics.stats.Sample;
import ai.sutazai.metrics.stats.Statistics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A baseline while it is recorded: every value of every series so far, the kept samples
 * ({@link Baseline#keepsHistory}) and which of those are not stored yet. Confined to the
 * {@link BaselineRecorder} that owns it (not thread-safe); plain code, no actor context.
 */
final class BaselineDraft {
  private final Map<String, List<Double>> values = new TreeMap<>();
  private final Map<String, List<Point>> history = new TreeMap<>();
  private Map<String, List<Point>> unstored = new TreeMap<>();
  private int samples;

  /** Adds one sample of the collector. */
  void add(Sample sample) {
    sample.values().forEach((series, v) -> {
      values.computeIfAbsent(series, s -> new ArrayList<>()).add(v);
      if (Baseline.keepsHistory(series)) {
        Point p = new Point(sample.timeMillis(), v);
        history.computeIfAbsent(series, s -> new ArrayList<>()).add(p);
        unstored.computeIfAbsent(series, s -> new ArrayList<>()).add(p);
      }
    });
    samples++;
  }

  int samples() {
    return samples;
  }

  /** The kept samples not stored yet; from now on they count as stored ({@link #storeFailed} undoes that). */
  Map<String, List<Point>> takeUnstored() {
    Map<String, List<Point>> taken = unstored;
    unstored = new TreeMap<>();
    return taken;
  }

  /** Puts back samples {@link #takeUnstored taken} for a write that failed, before any taken since. */
  void storeFailed(Map<String, List<Point>> taken) {
    Map<String, List<Point>> merged = new TreeMap<>(taken);
    unstored.forEach((series, points) -> merged.merge(series, points, (a, b) -> {
      List<Point> all = new ArrayList<>(a);
      all.addAll(b);
      return all;
    }));
    unstored = merged;
  }

  /** The baseline as recorded so far: statistics and thresholds of every series, and the kept samples. */
  Baseline snapshot(long id, Instant at, Duration recorded, Duration planned, Duration sampleInterval, String label,
      boolean complete, double ewmaAlpha, List<AlertRule> rules) {
    List<MetricBaseline> metrics = new ArrayList<>();
    values.forEach((series, list) -> {
      double[] v = list.stream().mapToDouble(Double::doubleValue).toArray();
      metrics.add(Thresholds.derive(series, Statistics.summarize(v, ewmaAlpha), rules));
    });
    return new Baseline(id, at, recorded, sampleInterval, label, samples, metrics, history, complete, planned);
  }
}
