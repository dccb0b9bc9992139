package ai.sutazai.metrics.forecast;

import ai.sutazai.common.CborSerializable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Forecasts of one series by every applicable model.
 *
 * @param series series name
 * @param stepMillis spacing of the (resampled) history and of the forecast points
 * @param historyPoints points the models were fitted on
 * @param confidence confidence of every prediction interval
 * @param capacity the level that counts as exhausted (NaN: none)
 * @param models linear first, then holt or holt-winters (the primary model, see {@link #primary()})
 */
public record Forecast(String series, long stepMillis, int historyPoints, double confidence, double capacity,
    List<ModelForecast> models) implements CborSerializable {

  public Forecast {
    models = List.copyOf(models);
  }

  /** One point ahead, with its prediction interval [lower, upper]. */
  public record Point(long timeMillis, double value, double lower, double upper) implements CborSerializable {}

  /**
   * @param model linear, holt or holt-winters
   * @param points forecast points over the horizon
   * @param timeToExhaustionMillis when the point forecast reaches the capacity, from the last observation
   *     (null: not within the search range, or no capacity)
   * @param earliestExhaustionMillis when the upper bound of the interval reaches it (the pessimistic case)
   */
  public record ModelForecast(String model, List<Point> points, Long timeToExhaustionMillis,
      Long earliestExhaustionMillis) implements CborSerializable {
    public ModelForecast {
      points = List.copyOf(points);
    }

    public Optional<Duration> timeToExhaustion() {
      return Optional.ofNullable(timeToExhaustionMillis).map(Duration::ofMillis);
    }

    public Optional<Duration> earliestExhaustion() {
      return Optional.ofNullable(earliestExhaustionMillis).map(Duration::ofMillis);
    }

    /** The largest upper bound over the horizon (NaN when there are no points). */
    public double peakUpper() {
      return points.stream().mapToDouble(Point::upper).max().orElse(Double.NaN);
    }

    /** The largest point forecast over the horizon. */
    public double peak() {
      return points.stream().mapToDouble(Point::value).max().orElse(Double.NaN);
    }
  }

  /** Holt-Winters when there was enough history, else Holt (else linear). */
  public ModelForecast primary() {
    return models.get(models.size() - 1);
  }
}
