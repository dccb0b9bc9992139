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
}
