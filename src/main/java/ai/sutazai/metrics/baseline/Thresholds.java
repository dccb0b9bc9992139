package ai.sutazai.metrics.baseline;

import ai.sutazai.metrics.stats.CollectorSeries;
import ai.sutazai.metrics.alerts.AlertRule;
import ai.sutazai.metrics.stats.Summary;
import java.util.List;
import java.util.Optional;

/**
 * Derives alert thresholds from a baseline: warning = mean + 2σ, critical = mean + 3σ (σ the sample
 * standard deviation), but never looser than the static thresholds configured for the metric:
 *
 * <ul>
 *   <li>rules with direction ABOVE: warning = min(mean + 2σ, static warning), critical = min(mean + 3σ,
 *       static critical) — never above the static thresholds;
 *   <li>rules with direction BELOW (e.g. health rate): the mirror image, warning = max(mean − 2σ, static
 *       warning), critical = max(mean − 3σ, static critical) — never below them;
 *   <li>metrics without a rule: mean + 2σ and mean + 3σ as they are.
 * </ul>
 */
public final class Thresholds {
  private Thresholds() {}

  public static MetricBaseline derive(String series, Summary s, List<AlertRule> rules) {
    Optional<AlertRule> rule = ruleFor(series, rules);
    if (rule.isEmpty()) {
      return new MetricBaseline(series, s, s.mean() + 2 * s.stddev(), s.mean() + 3 * s.stddev(), false);
    }
    AlertRule r = rule.get();
    if (r.direction() == AlertRule.Direction.BELOW) {
      double warning = s.mean() - 2 * s.stddev();
      double critical = s.mean() - 3 * s.stddev();
      boolean capped = warning < r.warning() || critical < r.critical();
      return new MetricBaseline(series, s, Math.max(warning, r.warning()), Math.max(critical, r.critical()), capped);
    }
    double warning = s.mean() + 2 * s.stddev();
    double critical = s.mean() + 3 * s.stddev();
    boolean capped = warning > r.warning() || critical > r.critical();
    return new MetricBaseline(series, s, Math.min(warning, r.warning()), Math.min(critical, r.critical()), capped);
  }

  /** The first rule whose metric is the metric of {@code series} (labels ignored). */
  public static Optional<AlertRule> ruleFor(String series, List<AlertRule> rules) {
    String metric = CollectorSeries.metricOf(series);
    return rules.stream().filter(r -> r.metric().equals(metric)).findFirst();
  }
}
