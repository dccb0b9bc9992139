package ai.sutazai.metrics.forecast;

/**
 * Holt's linear (double exponential) smoothing: level ℓ and trend b,
 * ℓₜ = α·yₜ + (1 − α)(ℓₜ₋₁ + bₜ₋₁), bₜ = β·(ℓₜ − ℓₜ₋₁) + (1 − β)·bₜ₋₁, forecast ℓ + h·b.
 * Started with ℓ₁ = y₁, b₁ = y₁ − y₀.
 *
 * <p>Prediction interval (ETS(A,A,N), Hyndman et al. 2008): σ²ₕ = σ²·(1 + Σⱼ₌₁^{h−1} cⱼ²) with
 * cⱼ = α(1 + β·j), σ the standard deviation of the one-step-ahead errors; half width z·σₕ.
 *
 * @param alpha level smoothing
 * @param beta trend smoothing
 * @param level final level
 * @param trend final trend, per step
 * @param sigma standard deviation of the one-step-ahead errors
 */
public record Holt(double alpha, double beta, double level, double trend, double sigma) implements ForecastModel {

  public static Holt fit(double[] y, double alpha, double beta) {
    if (y.length < 3) {
      throw new IllegalArgumentException("Holt smoothing needs at least 3 points, got " + y.length);
    }
    checkFactor("alpha", alpha);
    checkFactor("beta", beta);
    double level = y[1];
    double trend = y[1] - y[0];
    double squares = 0;
    int errors = 0;
    for (int t = 2; t < y.length; t++) {
      double forecast = level + trend;
      double e = y[t] - forecast;
      squares += e * e;
      errors++;
      double previous = level;
      level = alpha * y[t] + (1 - alpha) * (level + trend);
      trend = beta * (level - previous) + (1 - beta) * trend;
    }
    return new Holt(alpha, beta, level, trend, Math.sqrt(squares / errors));
  }

  static void checkFactor(String name, double v) {
    if (!(v > 0 && v <= 1)) {
      throw new IllegalArgumentException(name + " must be within (0, 1], was " + v);
    }
  }

  @Override
  public String name() {
    return "holt";
  }

  @Override
  public double predict(int h) {
    return level + h * trend;
  }

  @Override
  public double halfWidth(int h, double confidence) {
    return StudentT.normal(confidence) * sigma * Math.sqrt(varianceFactor(alpha, beta, h));
  }

  /** 1 + Σⱼ₌₁^{h−1} α²(1 + βj)², in closed form so long horizons stay cheap. */
  static double varianceFactor(double alpha, double beta, int h) {
    double k = h - 1;
    double s1 = k * (k + 1) / 2;
    double s2 = k * (k + 1) * (2 * k + 1) / 6;
    return 1 + alpha * alpha * (k + 2 * beta * s1 + beta * beta * s2);
  }
}
