package ai.sutazai.metrics.forecast;

/** A fitted model of a regularly sampled series; {@code h} counts steps after the last observation. */
public interface ForecastModel {

  /** Short name: linear, holt, holt-winters. */
  String name();

  /** Point forecast {@code h} (≥ 1) steps ahead, in the series' unit. */
  double predict(int h);

  /** Half width of the prediction interval {@code h} steps ahead at {@code confidence}. */
  double halfWidth(int h, double confidence);
}
