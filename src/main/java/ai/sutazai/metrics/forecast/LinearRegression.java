package ai.sutazai.metrics.forecast;

/**
 * Ordinary least squares line through (x, y) with x in steps (0, 1, 2, … for a regular series).
 * Prediction interval at x: ŷ ± t(n − 2) · s · √(1 + 1/n + (x − x̄)² / Sxx), s² = SSE / (n − 2).
 *
 * @param slope change of y per step
 * @param intercept y at x = 0
 * @param residualStddev s, the residual standard error
 * @param n number of points
 * @param meanX x̄
 * @param sxx Σ(x − x̄)²
 * @param lastX x of the last observation (forecasts count steps from it)
 */
public record LinearRegression(double slope, double intercept, double residualStddev, int n, double meanX, double sxx,
    double lastX) implements ForecastModel {

  /** Fits y against x; needs at least 3 points with at least two distinct x. */
  public static LinearRegression fit(double[] x, double[] y) {
    int n = x.length;
    if (n < 3 || y.length != n) {
      throw new IllegalArgumentException("linear regression needs at least 3 points of x and y, got " + n);
    }
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += x[i];
      my += y[i];
    }
    mx /= n;
    my /= n;
    double sxx = 0;
    double sxy = 0;
    double lastX = x[0];
    for (int i = 0; i < n; i++) {
      sxx += (x[i] - mx) * (x[i] - mx);
      sxy += (x[i] - mx) * (y[i] - my);
      lastX = Math.max(lastX, x[i]);
    }
    if (sxx == 0) {
      throw new IllegalArgumentException("linear regression needs at least two distinct x values");
    }
    double slope = sxy / sxx;
    double intercept = my - slope * mx;
    double sse = 0;
    for (int i = 0; i < n; i++) {
      double r = y[i] - (intercept + slope * x[i]);
      sse += r * r;
    }
    return new LinearRegression(slope, intercept, Math.sqrt(sse / (n - 2)), n, mx, sxx, lastX);
  }

  /** Fits a regular series: x = 0, 1, …, n − 1. */
  public static LinearRegression fit(double[] y) {
    double[] x = new double[y.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    return fit(x, y);
  }

  @Override
  public String name() {
    return "linear";
  }

  /** ŷ at an absolute x. */
  public double at(double x) {
    return intercept + slope * x;
  }

  @Override
  public double predict(int h) {
    return at(lastX + h);
  }

  @Override
  public double halfWidth(int h, double confidence) {
    double x = lastX + h;
    return StudentT.quantile(confidence, n - 2) * residualStddev
        * Math.sqrt(1 + 1.0 / n + (x - meanX) * (x - meanX) / sxx);
  }
}
