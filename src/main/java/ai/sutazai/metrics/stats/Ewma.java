package ai.sutazai.metrics.stats;

/**
 * An exponentially weighted moving average as an immutable value: {@link #update} returns a new one.
 * The first sample becomes the average; each later one moves it by α of the difference.
 *
 * @param alpha weight of the newest sample, in (0, 1]
 * @param value current average (NaN before the first sample)
 * @param samples samples seen so far
 */
public record Ewma(double alpha, double value, long samples) {
  public Ewma {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("EWMA alpha must be in (0, 1], was " + alpha);
    }
  }

  public static Ewma empty(double alpha) {
    return new Ewma(alpha, Double.NaN, 0);
  }

  public Ewma update(double sample) {
    double next = samples == 0 ? sample : alpha * sample + (1 - alpha) * value;
    return new Ewma(alpha, next, samples + 1);
  }
}
