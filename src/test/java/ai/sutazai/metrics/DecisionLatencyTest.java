package ai.sutazai.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The pools' decision times, as the benchmarks and the API's telemetry read them: activation requests and
 * the pools' own decisions are kept apart and read together, each series keeps only its most recent
 * samples, and a benchmark phase starts from nothing.
 */
class DecisionLatencyTest {

  @Test
  void keepsRequestsAndOwnDecisionsApartAndReadsThemTogether() {
    DecisionLatency latency = new DecisionLatency();
    latency.recordRequest(30);
    latency.recordOwn(20);
    latency.recordRequest(10);
    latency.recordOwn(40);
    latency.recordCompute(5);

    assertArrayEquals(new long[] {10, 30}, latency.sortedRequestNanos());
    assertArrayEquals(new long[] {20, 40}, latency.sortedOwnNanos());
    assertArrayEquals(new long[] {10, 20, 30, 40}, latency.sortedNanos());
    assertArrayEquals(new long[] {5}, latency.sortedComputeNanos());
    assertEquals(4, latency.count());
  }

  @Test
  void eachSeriesKeepsItsMostRecentSamples() {
    DecisionLatency latency = new DecisionLatency();
    for (long i = 1; i <= DecisionLatency.CAPACITY + 2; i++) {
      latency.recordRequest(i);
    }
    latency.recordOwn(7);

    long[] requests = latency.sortedRequestNanos();
    assertEquals(DecisionLatency.CAPACITY, requests.length);
    assertEquals(3, requests[0], "the two oldest samples are overwritten");
    assertEquals(DecisionLatency.CAPACITY + 2, requests[requests.length - 1]);
    assertEquals(DecisionLatency.CAPACITY + 1, latency.sortedNanos().length, "the other series keeps its own");
  }

  @Test
  void clearStartsFromNothing() {
    DecisionLatency latency = new DecisionLatency();
    latency.recordRequest(1);
    latency.recordOwn(2);
    latency.recordCompute(3);
    latency.clear();

    assertEquals(0, latency.count());
    assertEquals(0, latency.sortedNanos().length);
    assertEquals(0, latency.sortedComputeNanos().length);
    latency.recordOwn(9);
    assertArrayEquals(new long[] {9}, latency.sortedOwnNanos());
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
    assertEquals(0, latency.sortedRequestNanos().length);
    assertArrayEquals(new double[] {2, 0.005}, journalWrites(registry), 1e-12, "clear() leaves the counter as it was");
    latency.recordRequest(1_000_000);
    assertArrayEquals(new double[] {3, 0.006}, journalWrites(registry), 1e-12);
  }
}
