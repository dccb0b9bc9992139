package ai.sutazai.metrics.forecast;

import ai.sutazai.metrics.stats.Point;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fits linear regression and Holt — or Holt-Winters with daily seasonality once two days of history
 * exist — to a series, and reports forecasts with prediction intervals and time to exhaustion.
 * Pure: no state, no clock.
 */
public final class Forecaster {
  /** Exhaustion is searched at most this far ahead. */
  public static final Duration EXHAUSTION_SEARCH = Duration.ofDays(30);
  private static final int MAX_SEARCH_STEPS = 200_000;
  private static final Duration DAY = Duration.ofDays(1);

  private final ForecastSettings settings;

  public Forecaster(ForecastSettings settings) {
    this.settings = settings;
  }

  /**
   * Forecasts {@code series} from {@code history} resampled to {@code step} (bucket means; empty buckets
   * carry the previous value). Empty when fewer than {@code min-points} remain.
   *
   * @param capacity level at which the resource counts as exhausted, NaN for none
   */
  public Optional<Forecast> forecast(String series, List<Point> history, Duration step, Duration horizon, double capacity) {
    double[] y = resample(history, step.toMillis());
    if (y.length < settings.minPoints()) {
      return Optional.empty();
    }
    long stepMillis = step.toMillis();
    long lastTime = Math.floorDiv(history.get(history.size() - 1).timeMillis(), stepMillis) * stepMillis;
    int steps = (int) Math.max(1, Math.min(MAX_SEARCH_STEPS, horizon.toMillis() / stepMillis));
    List<ForecastModel> models = new ArrayList<>();
    models.add(LinearRegression.fit(y));
    int season = (int) (DAY.toMillis() / stepMillis);
    if (season >= 2 && y.length >= 2 * season) {
      models.add(HoltWinters.fit(y, season, settings.holtAlpha(), settings.holtBeta(), settings.holtWintersGamma()));
    } else {
      models.add(Holt.fit(y, settings.holtAlpha(), settings.holtBeta()));
    }
    List<Forecast.ModelForecast> out = new ArrayList<>();
    for (ForecastModel m : models) {
      List<Forecast.Point> points = new ArrayList<>();
      for (int h = 1; h <= steps; h++) {
        double v = m.predict(h);
        double w = m.halfWidth(h, settings.confidence());
        points.add(new Forecast.Point(lastTime + h * stepMillis, v, v - w, v + w));
      }
      out.add(new Forecast.ModelForecast(m.name(), points, exhaustion(m, capacity, stepMillis, false),
          exhaustion(m, capacity, stepMillis, true)));
    }
    return Optional.of(new Forecast(series, stepMillis, y.length, settings.confidence(), capacity, out));
  }

  /** Milliseconds until the forecast (or its upper bound) first reaches {@code capacity}; null if never. */
  Long exhaustion(ForecastModel m, double capacity, long stepMillis, boolean upperBound) {
    if (Double.isNaN(capacity)) {
      return null;
    }
    int limit = (int) Math.min(MAX_SEARCH_STEPS, EXHAUSTION_SEARCH.toMillis() / stepMillis);
    for (int h = 1; h <= limit; h++) {
      double v = m.predict(h) + (upperBound ? m.halfWidth(h, settings.confidence()) : 0);
      if (v >= capacity) {
        return h * stepMillis;
      }
    }
    return null;
  }

  /** Bucket means on a regular grid of {@code stepMillis}; gaps carry the previous bucket's value. */
  public static double[] resample(List<Point> points, long stepMillis) {
    if (points.isEmpty()) {
      return new double[0];
    }
    long first = Math.floorDiv(points.get(0).timeMillis(), stepMillis);
    long last = Math.floorDiv(points.get(points.size() - 1).timeMillis(), stepMillis);
    int n = (int) (last - first + 1);
    double[] sum = new double[n];
    int[] count = new int[n];
    for (Point p : points) {
      int i = (int) (Math.floorDiv(p.timeMillis(), stepMillis) - first);
      sum[i] += p.value();
      count[i]++;
    }
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = count[i] > 0 ? sum[i] / count[i] : y[i - 1]; // bucket 0 always has a point
    }
    return y;
  }
}
