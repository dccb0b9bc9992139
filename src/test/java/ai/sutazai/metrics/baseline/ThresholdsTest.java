package ai.sutazai.metrics.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.metrics.alerts.AlertRule;
import ai.sutazai.metrics.alerts.AlertRule.Direction;
import ai.sutazai.metrics.stats.Statistics;
import ai.sutazai.metrics.stats.Summary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThresholdsTest {
  static final Duration M = Duration.ofMinutes(1);
  static final List<AlertRule> RULES = List.of(
      new AlertRule("memory", "sutazai_host_memory_utilisation_ratio", Direction.ABOVE, 0.70, 0.85, M, M),
      new AlertRule("health", "sutazai_container_health_rate_ratio", Direction.BELOW, 0.90, 0.80, M, M),
      new AlertRule("p95", "sutazai_agent_response_time_p95_seconds", Direction.ABOVE, 5, 10, M, M));

  static Summary summary(double mean, double stddev) {
    return new Summary(10, mean, mean, mean, stddev, mean, mean, mean, mean, mean);
  }

  @Test
  void meanPlusTwoAndThreeSigmaWhenBelowStaticThresholds() {
    // {2,4,4,4,5,5,7,9}: mean 5, sample sd sqrt(32/7) = 2.13809 -> 9.27618 / 11.41427 for an unruled metric.
    Summary s = Statistics.summarize(new double[] {2, 4, 4, 4, 5, 5, 7, 9}, 0.3);
    MetricBaseline m = Thresholds.derive("sutazai_host_load5", s, RULES);
    assertEquals(5 + 2 * 2.1380899352993952, m.warningThreshold(), 1e-12);
    assertEquals(5 + 3 * 2.1380899352993952, m.criticalThreshold(), 1e-12);
    assertFalse(m.capped());

    MetricBaseline mem = Thresholds.derive("sutazai_host_memory_utilisation_ratio", summary(0.40, 0.05), RULES);
    assertEquals(0.50, mem.warningThreshold(), 1e-12);
    assertEquals(0.55, mem.criticalThreshold(), 1e-12);
    assertFalse(mem.capped());
  }

  @Test
  void neverAboveTheStaticThresholds() {
    MetricBaseline mem = Thresholds.derive("sutazai_host_memory_utilisation_ratio", summary(0.60, 0.06), RULES);
    assertEquals(0.70, mem.warningThreshold(), 1e-12); // 0.72 capped to 0.70
    assertEquals(0.78, mem.criticalThreshold(), 1e-12); // 0.78 stays
    assertTrue(mem.capped());

    // Per-agent series follow the rule of their metric.
    MetricBaseline p95 = Thresholds.derive("sutazai_agent_response_time_p95_seconds{agent=\"coder\"}", summary(4, 2), RULES);
    assertEquals(5.0, p95.warningThreshold(), 1e-12);
    assertEquals(10.0, p95.criticalThreshold(), 1e-12);
  }

  @Test
  void fallingMetricsMirrorTheRule() {
    MetricBaseline h = Thresholds.derive("sutazai_container_health_rate_ratio", summary(0.98, 0.01), RULES);
    assertEquals(0.96, h.warningThreshold(), 1e-12);
    assertEquals(0.95, h.criticalThreshold(), 1e-12);
    MetricBaseline loose = Thresholds.derive("sutazai_container_health_rate_ratio", summary(0.90, 0.05), RULES);
    assertEquals(0.90, loose.warningThreshold(), 1e-12); // 0.80 would be looser than the static 0.90
    assertEquals(0.80, loose.criticalThreshold(), 1e-12);
    assertTrue(loose.capped());
  }

  @Test
  void driftFlagsMeansThatMovedMoreThanTwoSigma() {
    Baseline a = new Baseline(1, Instant.EPOCH, M, M, "a", 10, List.of(
        new MetricBaseline("cpu", summary(50, 5), 60, 65, false),
        new MetricBaseline("load", summary(2, 0.5), 3, 3.5, false),
        new MetricBaseline("gone", summary(1, 0), 1, 1, false)));
    Baseline b = new Baseline(2, Instant.EPOCH, M, M, "b", 10, List.of(
        new MetricBaseline("cpu", summary(61, 5), 71, 76, false),
        new MetricBaseline("load", summary(2.5, 0.5), 3.5, 4, false),
        new MetricBaseline("new", summary(1, 0), 1, 1, false)));
    BaselineDrift d = BaselineDrift.compare(a, b);
    assertEquals(List.of("cpu", "gone", "load", "new"), d.series().stream().map(BaselineDrift.Row::series).toList());
    BaselineDrift.Row cpu = d.series().get(0);
    assertTrue(cpu.drifted()); // moved 11 > 2 * 5
    assertEquals(22.0, cpu.meanChangePercent(), 1e-9);
    assertFalse(d.series().get(2).drifted()); // moved 0.5 < 2 * 0.5
    assertTrue(d.series().get(1).drifted() && d.series().get(3).drifted());
    assertEquals(3, d.driftedCount());
  }
}
