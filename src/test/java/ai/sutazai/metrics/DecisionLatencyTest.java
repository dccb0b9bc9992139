package ai.sutazai.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The pools' decision times, as the benchmarks and the API's telemetry read them: activation requests and
 * the pools' own decisions are kept apart and read together, every time is kept (no window that drops the
 * oldest), percentiles follow the product's one rule, and a benchmark phase starts from nothing.
 */
class DecisionLatencyTest {

  private static long[] values(org.HdrHistogram.Histogram h) {
    java.util.List<Long> out = new java.util.ArrayList<>();
    for (org.HdrHistogram.HistogramIterationValue v : h.recordedValues()) {
      for (long i = 0; i < v.getCountAtValueIteratedTo(); i++) {
        out.add(v.getValueIteratedTo());
      }
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  @Test
  void keepsRequestsAndOwnDecisionsApartAndReadsThemTogether() {
    DecisionLatency latency = new DecisionLatency();
    latency.recordRequest(30);
    latency.recordOwn(20);
    latency.recordRequest(10);
    latency.recordOwn(40);
    latency.recordCompute(5);

    assertArrayEquals(new long[] {10, 30}, values(latency.requestNanos()));
    assertArrayEquals(new long[] {20, 40}, values(latency.ownNanos()));
    assertArrayEquals(new long[] {10, 20, 30, 40}, values(latency.journalledNanos()));
    assertArrayEquals(new long[] {5}, values(latency.computeNanos()));
    assertEquals(4, latency.count());
  }

  @Test
  void keepsEveryTimeWithPercentilesByTheProductsRule() {
    DecisionLatency latency = new DecisionLatency();
    int n = 300_000; // more than any window of recent samples would keep
    double[] exact = new double[n];
    for (int i = 0; i < n; i++) {
      long nanos = 1_000L + (i * 7919L) % 5_000_000L; // 1 µs .. 5 ms, in no order
      latency.recordRequest(nanos);
      exact[i] = nanos;
    }
    org.HdrHistogram.Histogram h = latency.requestNanos();
    assertEquals(n, h.getTotalCount());
    for (double p : new double[] {0, 50, 95, 99, 100}) {
      double want = ai.sutazai.metrics.stats.Statistics.percentile(exact, p);
      double got = ai.sutazai.metrics.stats.Statistics.percentile(h, p);
      assertEquals(want, got, want * 0.002, "p" + p + " within the histogram's precision of the exact percentile");
    }
  }

  @Test
  void clearStartsFromNothing() {
    DecisionLatency latency = new DecisionLatency();
    latency.recordRequest(1);
    latency.recordOwn(2);
    latency.recordCompute(3);
    latency.clear();

    assertEquals(0, latency.count());
    assertEquals(0, latency.journalledNanos().getTotalCount());
    assertEquals(0, latency.computeNanos().getTotalCount());
    latency.recordOwn(9);
    assertArrayEquals(new long[] {9}, values(latency.ownNanos()));
  }

  /** The exported histogram's count and sum of {@code registry}: [count, sum]. */
  private static double[] journalWrites(ai.sutazai.common.MetricsRegistry registry) {
    for (io.prometheus.metrics.model.snapshots.MetricSnapshot m : registry.registry().scrape()) {
      if (m.getMetadata().getPrometheusName().equals("sutazai_journal_write_duration_seconds")) {
        var p = ((io.prometheus.metrics.model.snapshots.HistogramSnapshot) m).getDataPoints().get(0);
        return new double[] {p.getCount(), p.getSum()};
      }
    }
    throw new AssertionError("sutazai_journal_write_duration_seconds not registered");
  }

  @Test
  void theExportedHistogramCountsEveryDecisionAndIsNotResetByABenchmarksClear() {
    ai.sutazai.common.MetricsRegistry registry = ai.sutazai.common.MetricsRegistry.standalone();
    DecisionLatency latency = new DecisionLatency(registry);
    latency.recordRequest(2_000_000);
    latency.recordOwn(3_000_000);
    latency.recordCompute(1_000_000); // computed only, not journalled: not a journal write
    assertArrayEquals(new double[] {2, 0.005}, journalWrites(registry), 1e-12);
    latency.clear();
    assertEquals(0, latency.requestNanos().getTotalCount());
    assertArrayEquals(new double[] {2, 0.005}, journalWrites(registry), 1e-12, "clear() leaves the counter as it was");
    latency.recordRequest(1_000_000);
    assertArrayEquals(new double[] {3, 0.006}, journalWrites(registry), 1e-12);
  }
}
