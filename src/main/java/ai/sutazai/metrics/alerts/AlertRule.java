package ai.sutazai.metrics.alerts;

import ai.sutazai.common.CborSerializable;
import java.time.Duration;

/**
 * One threshold rule on a metric, applied to every series of that metric (each agent's, for per-agent
 * metrics).
 *
 * @param name rule name, the key under {@code sutazai.metrics.alerts.rules}
 * @param metric metric name, see {@link ai.sutazai.metrics.stats.CollectorSeries}
 * @param direction ABOVE: breached when value &gt; threshold; BELOW: breached when value &lt; threshold
 * @param warning warning threshold, in the metric's unit
 * @param critical critical threshold, in the metric's unit
 * @param forDuration how long a breach must hold before the alert fires
 * @param holdDown how long the value must stay clear before a firing alert resolves
 */
public record AlertRule(
    String name, String metric, Direction direction, double warning, double critical, Duration forDuration, Duration holdDown)
    implements CborSerializable {

  public enum Direction {
    ABOVE,
    BELOW
  }

  public AlertRule {
    boolean ordered = direction == Direction.ABOVE ? warning <= critical : warning >= critical;
    if (!ordered) {
      throw new IllegalArgumentException("rule " + name + ": warning " + warning + " must be "
          + (direction == Direction.ABOVE ? "at most" : "at least") + " critical " + critical
          + " for direction " + direction.name().toLowerCase());
    }
  }

  /** The severity {@code value} breaches (OK when within both thresholds or NaN). */
  public Severity severityOf(double value) {
    if (Double.isNaN(value)) {
      return Severity.OK;
    }
    if (direction == Direction.ABOVE) {
      return value > critical ? Severity.CRITICAL : value > warning ? Severity.WARNING : Severity.OK;
    }
    return value < critical ? Severity.CRITICAL : value < warning ? Severity.WARNING : Severity.OK;
  }

  /** The threshold of a severity (WARNING or CRITICAL). */
  public double threshold(Severity severity) {
    return severity == Severity.CRITICAL ? critical : warning;
  }
}
