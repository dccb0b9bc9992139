package ai.sutazai.metrics.stats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The in-memory metric history: one {@link TieredSeries} per series name, at most {@code maxSeries}
 * of them. Series names follow the Prometheus form, e.g. {@code sutazai_container_cpu_percent{agent="web"}}.
 *
 * <p>Hazard: not thread-safe; owned by the MetricsCollector actor. Memory is bounded: at most
 * {@code maxSeries} × {@link #maxBytesPerSeries()} bytes of points; samples for a series beyond the
 * limit are dropped and counted in {@link #droppedSamples()}.
 */
public final class MetricStore {
  private final List<TierSpec> tiers;
  private final int maxSeries;
  private final Map<String, TieredSeries> series = new HashMap<>();
  private long droppedSamples;

  public MetricStore(List<TierSpec> tiers, int maxSeries) {
    this.tiers = List.copyOf(tiers);
    this.maxSeries = maxSeries;
    new TieredSeries(tiers); // validates the tiers now rather than at the first sample
  }

  /** Records one sample; returns false when it was dropped because the series limit is reached. */
  public boolean record(String name, long timeMillis, double value) {
    if (Double.isNaN(value)) {
      return true;
    }
    TieredSeries s = series.get(name);
    if (s == null) {
      if (series.size() >= maxSeries) {
        droppedSamples++;
        return false;
      }
      s = new TieredSeries(tiers);
      series.put(name, s);
    }
    s.add(timeMillis, value);
    return true;
  }

  /** The newest sample of a series, or null. */
  public Point latest(String name) {
    TieredSeries s = series.get(name);
    return s == null ? null : s.latest();
  }

  /** Points of a series within [from, to]; empty when unknown. */
  public List<Point> window(String name, long fromMillis, long toMillis) {
    TieredSeries s = series.get(name);
    return s == null ? List.of() : s.window(fromMillis, toMillis);
  }

  /** Every series name, sorted. */
  public List<String> names() {
    return new ArrayList<>(new TreeSet<>(series.keySet()));
  }

  public int seriesCount() {
    return series.size();
  }

  public long droppedSamples() {
    return droppedSamples;
  }

  /** Upper bound of the point storage of one series, in bytes. */
  public long maxBytesPerSeries() {
    long bytes = 0;
    for (TierSpec t : tiers) {
      bytes += 16L * t.capacity();
    }
    return bytes;
  }
}
