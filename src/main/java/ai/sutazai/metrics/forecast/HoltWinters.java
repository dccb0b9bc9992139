package ai.sutazai.metrics.forecast;

/**
 * Additive Holt-Winters with season length m (for daily seasonality, m = one day / step):
 * ℓₜ = α(yₜ − sₜ₋ₘ) + (1 − α)(ℓₜ₋₁ + bₜ₋₁), bₜ = β(ℓₜ − ℓₜ₋₁) + (1 − β)bₜ₋₁,
 * sₜ = γ(yₜ − ℓₜ) + (1 − γ)sₜ₋ₘ; forecast ℓ + h·b + s at the matching phase.
 *
 * <p>Needs two full seasons. Start: b from the difference of the two first season means / m; ℓ at the
 * end of the first season; seasonal indices = first season minus its linear trend (so a noise-free
 * trend + season series is reproduced exactly).
 *
 * <p>Prediction interval (ETS(A,A,A), Hyndman et al. 2008): σ²ₕ = σ²(1 + Σⱼ₌₁^{h−1} cⱼ²),
 * cⱼ = α(1 + βj) + γ(1 − α)·[j mod m = 0].
 *
 * @param seasonal the last m seasonal indices, oldest first (index 0 is the phase right after the last
 *     observation)
 */
public record HoltWinters(double alpha, double beta, double gamma, int period, double level, double trend,
    double[] seasonal, double sigma) implements ForecastModel {

  public static HoltWinters fit(double[] y, int m, double alpha, double beta, double gamma) {
    if (m < 2) {
      throw new IllegalArgumentException("season length must be at least 2, was " + m);
    }
    if (y.length < 2 * m) {
      throw new IllegalArgumentException("Holt-Winters needs two full seasons (" + 2 * m + " points), got " + y.length);
    }
    Holt.checkFactor("alpha", alpha);
    Holt.checkFactor("beta", beta);
    Holt.checkFactor("gamma", gamma);
    double mean1 = 0;
    double mean2 = 0;
    for (int i = 0; i < m; i++) {
      mean1 += y[i];
      mean2 += y[m + i];
    }
    mean1 /= m;
    mean2 /= m;
    double trend = (mean2 - mean1) / m;
    double center = (m - 1) / 2.0;
    double[] s = new double[y.length + m];
    for (int i = 0; i < m; i++) {
      s[i] = y[i] - (mean1 + (i - center) * trend);
    }
    double level = mean1 + center * trend;
    double squares = 0;
    int errors = 0;
    for (int t = m; t < y.length; t++) {
      double forecast = level + trend + s[t - m];
      double e = y[t] - forecast;
      squares += e * e;
      errors++;
      double previous = level;
      level = alpha * (y[t] - s[t - m]) + (1 - alpha) * (level + trend);
      trend = beta * (level - previous) + (1 - beta) * trend;
      s[t] = gamma * (y[t] - level) + (1 - gamma) * s[t - m];
    }
    double[] last = new double[m];
    System.arraycopy(s, y.length - m, last, 0, m);
    return new HoltWinters(alpha, beta, gamma, m, level, trend, last, Math.sqrt(squares / errors));
  }

  @Override
  public String name() {
    return "holt-winters";
  }

  @Override
  public double predict(int h) {
    return level + h * trend + seasonal[(h - 1) % period];
  }

  @Override
  public double halfWidth(int h, double confidence) {
    // Holt's terms plus, for the k steps j = m·i < h, (α(1 + βj) + g)² − α²(1 + βj)² with g = γ(1 − α).
    double g = gamma * (1 - alpha);
    long k = (h - 1) / period;
    double seasonalTerms = 2 * alpha * g * (k + beta * period * k * (k + 1) / 2.0) + k * g * g;
    return StudentT.normal(confidence) * sigma * Math.sqrt(Holt.varianceFactor(alpha, beta, h) + seasonalTerms);
  }
}
