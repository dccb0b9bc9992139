package ai.sutazai.metrics.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Expected values are computed independently: by hand (shown) or with NumPy 2.x / Python statistics. */
class StatisticsTest {
  private static final double EPS = 1e-12;

  @Test
  void textbookStandardDeviation() {
    // The classic example: mean 5, population deviation exactly 2; sample deviation sqrt(32/7).
    double[] data = {2, 4, 4, 4, 5, 5, 7, 9};
    assertEquals(5.0, Statistics.mean(data), EPS);
    assertEquals(2.0, Statistics.populationStddev(data), EPS);
    assertEquals(Math.sqrt(32.0 / 7.0), Statistics.sampleStddev(data), EPS);
    assertEquals(2.1380899352993952, Statistics.summarize(data, 0.5).stddev(), EPS);
  }

  @Test
  void percentilesInterpolateLinearlyBetweenClosestRanks() {
    // 1..10: rank = p/100 * 9. p90 -> rank 8.1 -> 9 + 0.1 * (10 - 9) = 9.1; p50 -> rank 4.5 -> 5.5.
    double[] data = {7, 3, 10, 1, 5, 2, 9, 4, 8, 6};
    Summary s = Statistics.summarize(data, 1.0);
    assertEquals(5.5, s.p50(), EPS);
    assertEquals(9.1, s.p90(), EPS);
    assertEquals(9.55, s.p95(), EPS);
    assertEquals(9.91, s.p99(), EPS);
    assertEquals(1.0, s.min(), EPS);
    assertEquals(10.0, s.max(), EPS);
    assertEquals(10, s.count());
    assertEquals(1.0, Statistics.percentile(data, 0), EPS);
    assertEquals(10.0, Statistics.percentile(data, 100), EPS);
  }

  @Test
  void aHistogramsPercentilesFollowTheSameRule() {
    // The data of the test above, recorded in an HdrHistogram (small whole numbers are exact there): the
    // same interpolated ranks, not HdrHistogram's own nearest-rank reading (which would give 10 for p95).
    org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(3);
    for (long v : new long[] {7, 3, 10, 1, 5, 2, 9, 4, 8, 6}) {
      h.recordValue(v);
    }
    assertEquals(5.5, Statistics.percentile(h, 50), EPS);
    assertEquals(9.1, Statistics.percentile(h, 90), EPS);
    assertEquals(9.55, Statistics.percentile(h, 95), EPS);
    assertEquals(1.0, Statistics.percentile(h, 0), EPS);
    assertEquals(10.0, Statistics.percentile(h, 100), EPS);
    // Repeated values: 1, 1, 1, 4 -> rank 1.5 of p50 lies between two 1s.
    org.HdrHistogram.Histogram r = new org.HdrHistogram.Histogram(3);
    r.recordValueWithCount(1, 3);
    r.recordValue(4);
    assertEquals(1.0, Statistics.percentile(r, 50), EPS);
    assertEquals(2.5, Statistics.percentile(r, 83.33333333333334), 1e-9); // rank 2.5: between 1 and 4
    assertEquals(Double.NaN, Statistics.percentile(new org.HdrHistogram.Histogram(3), 50));
  }

  @Test
  void summaryMatchesNumpyOnMemoryUtilisationSeries() {
    double[] data = {0.42, 0.47, 0.39, 0.55, 0.61, 0.44, 0.52, 0.58, 0.49, 0.71, 0.46, 0.50};
    Summary s = Statistics.summarize(data, 0.3);
    // numpy: mean, std(ddof=1), percentile(..., [50, 90, 95, 99]); EWMA by a plain Python loop.
    assertEquals(0.5116666666666667, s.mean(), 1e-12);
    assertEquals(0.0897302354366417, s.stddev(), 1e-12);
    assertEquals(0.495, s.p50(), 1e-12);
    assertEquals(0.607, s.p90(), 1e-12);
    assertEquals(0.655, s.p95(), 1e-12);
    assertEquals(0.699, s.p99(), 1e-12);
    assertEquals(0.5265087919004999, s.ewma(), 1e-12);
  }

  @Test
  void ewmaByHand() {
    // alpha 0.5: 10 -> 0.5*20 + 0.5*10 = 15 -> 0.5*30 + 0.5*15 = 22.5
    assertEquals(22.5, Statistics.ewma(new double[] {10, 20, 30}, 0.5), EPS);
    Ewma e = Ewma.empty(0.25).update(8).update(16);
    assertEquals(10.0, e.value(), EPS); // 0.25*16 + 0.75*8
    assertEquals(2, e.samples());
  }

  @Test
  void singleSampleHasZeroDeviationAndItselfAsEveryPercentile() {
    Summary s = Statistics.summarize(new double[] {3.5}, 0.3);
    assertEquals(0.0, s.stddev());
    assertEquals(3.5, s.p99());
    assertEquals(3.5, s.ewma());
  }

  @Test
  void rejectsEmptyInputAndBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> Statistics.summarize(new double[0], 0.3));
    assertThrows(IllegalArgumentException.class, () -> Statistics.ewma(new double[] {1}, 0));
    assertThrows(IllegalArgumentException.class, () -> Statistics.percentile(new double[] {1}, 101));
  }
}
