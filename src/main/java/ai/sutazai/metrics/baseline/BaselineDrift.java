package ai.sutazai.metrics.baseline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What changed between two baselines, series by series. A series has drifted when its mean moved by
 * more than two standard deviations of the older baseline (the warning band); when the older deviation
 * is 0, when it moved by more than 10 % of the older mean (or at all, if that mean was 0).
 *
 * @param from id of the older baseline
 * @param to id of the newer baseline
 * @param series one row per series present in either
 */
public record BaselineDrift(long from, long to, List<Row> series) {

  /**
   * @param meanChangePercent (to − from) / |from| × 100, NaN when the old mean is 0 or a side is missing
   * @param drifted see the class comment; true as well when the series exists on one side only
   */
  public record Row(
      String series, Double fromMean, Double toMean, Double fromP95, Double toP95, Double fromStddev,
      Double toStddev, double meanChangePercent, boolean drifted) {}

  public static BaselineDrift compare(Baseline a, Baseline b) {
    Map<String, MetricBaseline> left = new TreeMap<>();
    a.metrics().forEach(m -> left.put(m.series(), m));
    Map<String, MetricBaseline> right = new TreeMap<>();
    b.metrics().forEach(m -> right.put(m.series(), m));
    TreeMap<String, Boolean> all = new TreeMap<>();
    left.keySet().forEach(k -> all.put(k, true));
    right.keySet().forEach(k -> all.put(k, true));
    List<Row> rows = new ArrayList<>();
    for (String series : all.keySet()) {
      MetricBaseline x = left.get(series);
      MetricBaseline y = right.get(series);
      if (x == null || y == null) {
        rows.add(new Row(series, x == null ? null : x.summary().mean(), y == null ? null : y.summary().mean(),
            x == null ? null : x.summary().p95(), y == null ? null : y.summary().p95(),
            x == null ? null : x.summary().stddev(), y == null ? null : y.summary().stddev(), Double.NaN, true));
        continue;
      }
      double m0 = x.summary().mean();
      double m1 = y.summary().mean();
      double sd = x.summary().stddev();
      double change = m0 == 0 ? Double.NaN : (m1 - m0) / Math.abs(m0) * 100.0;
      boolean drifted = sd > 0 ? Math.abs(m1 - m0) > 2 * sd : m0 == 0 ? m1 != 0 : Math.abs(change) > 10.0;
      rows.add(new Row(series, m0, m1, x.summary().p95(), y.summary().p95(), sd, y.summary().stddev(), change, drifted));
    }
    return new BaselineDrift(a.id(), b.id(), rows);
  }

  public long driftedCount() {
    return series.stream().filter(Row::drifted).count();
  }
}
