package ai.sutazai.api.view;

/**
 * The alert thresholds in force (the seed's defaults: memory 70%/85%, load 8/10, health rate 90%/80%,
 * response time 5s/10s). Health rate alerts fire BELOW its thresholds, the others above.
 */
public record Thresholds(
    double memoryWarningRatio,
    double memoryCriticalRatio,
    double load1Warning,
    double load1Critical,
    double healthRateWarningRatio,
    double healthRateCriticalRatio,
    double responseTimeWarningSeconds,
    double responseTimeCriticalSeconds) {

  /** The seed document's thresholds. */
  public static final Thresholds SEED = new Thresholds(0.70, 0.85, 8.0, 10.0, 0.90, 0.80, 5.0, 10.0);
}
