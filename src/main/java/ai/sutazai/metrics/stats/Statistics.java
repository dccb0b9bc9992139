package ai.sutazai.metrics.stats;

import java.util.Arrays;

/**
 * Pure descriptive statistics on arrays of samples. No state, no allocation beyond a sorted copy.
 *
 * <p>Conventions, chosen to match common tools so operators can check the figures by hand:
 *
 * <ul>
 *   <li>standard deviation is the <b>sample</b> standard deviation, divisor n − 1 (Excel STDEV.S,
 *       {@code numpy.std(ddof=1)}); a single sample has deviation 0;
 *   <li>percentiles interpolate linearly between closest ranks: rank = p/100 × (n − 1), zero based
 *       (Hyndman &amp; Fan type 7, Excel PERCENTILE.INC, NumPy's default {@code linear}); the product's one
 *       percentile rule, for stored series, benchmarks' samples and HdrHistograms alike;
 *   <li>EWMA starts at the first sample and then s = α·x + (1 − α)·s for each later sample.
 * </ul>
 */
public final class Statistics {
  private Statistics() {}

  /** Summarizes {@code values} given in time order; {@code alpha} is the EWMA weight of the newest sample. */
  public static Summary summarize(double[] values, double alpha) {
    if (values.length == 0) {
      throw new IllegalArgumentException("cannot summarize an empty series");
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return new Summary(
        values.length,
        sorted[0],
        sorted[sorted.length - 1],
        mean(values),
        sampleStddev(values),
        percentileOfSorted(sorted, 50),
        percentileOfSorted(sorted, 90),
        percentileOfSorted(sorted, 95),
        percentileOfSorted(sorted, 99),
        ewma(values, alpha));
  }

  /** Arithmetic mean; NaN for no values. */
  public static double mean(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    // Kahan summation: a 7-day series of byte counts loses digits with a plain sum.
    double sum = 0;
    double compensation = 0;
    for (double v : values) {
      double y = v - compensation;
      double t = sum + y;
      compensation = (t - sum) - y;
      sum = t;
    }
    return sum / values.length;
  }

  /** Sample standard deviation (divisor n − 1), two-pass for accuracy; 0 for fewer than two values. */
  public static double sampleStddev(double[] values) {
    if (values.length < 2) {
      return 0.0;
    }
    double m = mean(values);
    double squares = 0;
    for (double v : values) {
      squares += (v - m) * (v - m);
    }
    return Math.sqrt(squares / (values.length - 1));
  }

  /** Population standard deviation (divisor n); offered for comparison, baselines use the sample form. */
  public static double populationStddev(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double m = mean(values);
    double squares = 0;
    for (double v : values) {
      squares += (v - m) * (v - m);
    }
    return Math.sqrt(squares / values.length);
  }

  /**
   * The {@code p}-th percentile (0–100) with linear interpolation between closest ranks:
   * rank r = p/100 × (n − 1); result = x[floor r] + (r − floor r)·(x[floor r + 1] − x[floor r]).
   */
  public static double percentile(double[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return percentileOfSorted(sorted, p);
  }

  /** As {@link #percentile} on values already sorted ascending. */
  public static double percentileOfSorted(double[] sorted, double p) {
    if (p < 0 || p > 100) {
      throw new IllegalArgumentException("percentile must be within 0..100, was " + p);
    }
    double rank = p / 100.0 * (sorted.length - 1);
    int low = (int) Math.floor(rank);
    int high = Math.min(low + 1, sorted.length - 1);
    double fraction = rank - low;
    return sorted[low] + fraction * (sorted[high] - sorted[low]);
  }

  /** As {@link #percentile} on whole numbers already sorted ascending (latencies in nanoseconds, say); NaN when empty. */
  public static double percentileOfSorted(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double[] values = new double[sorted.length];
    for (int i = 0; i < sorted.length; i++) {
      values[i] = sorted[i];
    }
    return percentileOfSorted(values, p);
  }

  /**
   * The {@code p}-th percentile (0–100) of the values recorded in {@code h}, by the same rule as
   * {@link #percentile(double[], double)}: each recorded value stands for its HdrHistogram bucket (within the
   * histogram's precision), ranks r = p/100 × (n − 1) interpolated linearly. NaN when nothing is recorded.
   */
  public static double percentile(org.HdrHistogram.AbstractHistogram h, double p) {
    if (p < 0 || p > 100) {
      throw new IllegalArgumentException("percentile must be within 0..100, was " + p);
    }
    long n = h.getTotalCount();
    if (n == 0) {
      return Double.NaN;
    }
    double rank = p / 100.0 * (n - 1);
    long low = (long) Math.floor(rank);
    long high = Math.min(low + 1, n - 1);
    double lowValue = Double.NaN;
    double highValue = Double.NaN;
    long seen = 0;
    for (org.HdrHistogram.HistogramIterationValue v : h.recordedValues()) {
      long before = seen;
      seen += v.getCountAtValueIteratedTo();
      double value = h.highestEquivalentValue(v.getValueIteratedTo());
      if (Double.isNaN(lowValue) && low < seen && low >= before) {
        lowValue = value;
      }
      if (high < seen && high >= before) {
        highValue = value;
        break;
      }
    }
    return lowValue + (rank - low) * (highValue - lowValue);
  }

  /** EWMA of {@code values} in time order: s₀ = x₀, sᵢ = α·xᵢ + (1 − α)·sᵢ₋₁. */
  public static double ewma(double[] values, double alpha) {
    if (alpha <= 0 || alpha > 1) {
      throw new IllegalArgumentException("EWMA alpha must be in (0, 1], was " + alpha);
    }
    if (values.length == 0) {
      return Double.NaN;
    }
    Ewma e = Ewma.empty(alpha);
    for (double v : values) {
      e = e.update(v);
    }
    return e.value();
  }
}
