package ai.sutazai.supervisor.rightsizing;

import ai.sutazai.supervisor.settings.QuotaSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The right-sizing rule on its own: p95 plus headroom, never below the peak, small changes skipped. */
class RightSizingTest {
  private static final long MIB = 1L << 20;
  private static final QuotaSettings.RightSizing CFG =
      new QuotaSettings.RightSizing(true, Duration.ofSeconds(1), 100, 5, 0.5, 0.5, 0.1, 16 * MIB, 0.05, true, Duration.ofMinutes(10), true);

  @Test
  void aThrottledContainersCpuLimitIsRaisedNotKeptAtTheLimitThatCapsIt() {
    // Limit 0.2 core; idle, then a burst that uses all of it (throttled: its demand is not known).
    UsageWindow w = new UsageWindow(100);
    for (int i = 0; i < 19; i++) {
      w.add(4 * MIB, RightSizing.recordedCpuPercent(0.5, 0.2, CFG));
    }
    w.add(4 * MIB, RightSizing.recordedCpuPercent(19.5, 0.2, CFG));
    RightSizing.Proposal p = RightSizing.propose("x", w, 16 * MIB, 0.2, CFG).orElseThrow();
    assertEquals(0.3, p.cpus(), 1e-9, "the limit plus 50 % headroom: " + p.reason());
    // Below 90 % of the limit a sample is taken as it is.
    assertEquals(12.0, RightSizing.recordedCpuPercent(12.0, 0.2, CFG), 1e-9);
    assertEquals(12.0, RightSizing.recordedCpuPercent(12.0, 0, CFG), 1e-9, "no CPU limit: nothing to saturate");
  }

  @Test
  void p95PlusHeadroomBecomesTheLimit() {
    UsageWindow w = new UsageWindow(100);
    for (int i = 1; i <= 100; i++) {
      w.add(i * MIB, 10); // 1..100 MiB, 0.1 core
    }
    RightSizing.Proposal p = RightSizing.propose("x", w, 1024 * MIB, 2.0, CFG).orElseThrow();
    assertEquals(95 * MIB + 48 * MIB, p.memoryLimitBytes()); // p95 95 MiB x 1.5 = 142.5 -> rounded up to 143 MiB
    assertEquals(0.15, p.cpus(), 1e-9);
    assertTrue(p.reason().contains("memory limit 1.0 GiB -> 143 MiB"), p.reason());
  }

  @Test
  void neverBelowTheObservedPeak() {
    UsageWindow w = new UsageWindow(100);
    for (int i = 0; i < 99; i++) {
      w.add(20 * MIB, 5);
    }
    w.add(400 * MIB, 90); // one spike: above p95 x 1.5
    RightSizing.Proposal p = RightSizing.propose("x", w, 1024 * MIB, 2.0, CFG).orElseThrow();
    assertEquals(400 * MIB, p.memoryLimitBytes());
    assertEquals(0.9, p.cpus(), 1e-9);
  }

  @Test
  void tooFewSamplesOrTooSmallAChangeProposeNothing() {
    UsageWindow w = new UsageWindow(100);
    for (int i = 0; i < 4; i++) {
      w.add(100 * MIB, 50);
    }
    assertEquals(Optional.empty(), RightSizing.propose("x", w, 1024 * MIB, 2.0, CFG));
    w.add(100 * MIB, 50);
    assertEquals(Optional.empty(), RightSizing.propose("x", w, 150 * MIB, 0.75, CFG), "within 10% of the current limits");
  }

  @Test
  void aStoredBaselineCountsAsObservedUsage() {
    UsageWindow w = new UsageWindow(100);
    w.add(10 * MIB, 5); // one live sample: too few on its own
    assertEquals(Optional.empty(), RightSizing.propose("x", w, null, 1024 * MIB, 2.0, CFG));
    // The baseline saw a p95 of 200 MiB / 40 % of a core and a peak of 320 MiB / 70 % over 500 samples.
    BaselineUsage b = new BaselineUsage(7, 500, 200 * MIB, 320 * MIB, 40, 70);
    RightSizing.Proposal p = RightSizing.propose("x", w, b, 1024 * MIB, 2.0, CFG).orElseThrow();
    assertEquals(320 * MIB, p.memoryLimitBytes(), "p95 200 MiB x 1.5 = 300 MiB is below the baseline's peak");
    assertEquals(0.7, p.cpus(), 1e-9, "0.4 x 1.5 = 0.6 is below the baseline's peak 0.7");
    assertTrue(p.reason().contains("baseline #7 (500 samples)"), p.reason());
  }

  @Test
  void liveUsageAboveTheBaselineWins() {
    UsageWindow w = new UsageWindow(100);
    for (int i = 0; i < 10; i++) {
      w.add(600 * MIB, 150);
    }
    BaselineUsage b = new BaselineUsage(3, 500, 100 * MIB, 120 * MIB, 10, 20);
    RightSizing.Proposal p = RightSizing.propose("x", w, b, 256 * MIB, 0.5, CFG).orElseThrow();
    assertEquals(900 * MIB, p.memoryLimitBytes(), "live p95 600 MiB x 1.5");
    assertEquals(2.25, p.cpus(), 1e-9, "live p95 1.5 cores x 1.5");
  }

  @Test
  void aBaselineWithTooFewSamplesDoesNotReplaceTheLiveWindow() {
    UsageWindow w = new UsageWindow(100);
    w.add(10 * MIB, 5);
    BaselineUsage thin = new BaselineUsage(1, 3, 200 * MIB, 320 * MIB, 40, 70);
    assertEquals(Optional.empty(), RightSizing.propose("x", w, thin, 1024 * MIB, 2.0, CFG));
  }

  @Test
  void baselineUsageIsReadFromTheAgentsContainerSeries() {
    ai.sutazai.metrics.stats.Summary mem = new ai.sutazai.metrics.stats.Summary(360, 1e6, 9e6, 5e6, 1e6, 5e6, 7e6, 8e6, 8.5e6, 5e6);
    ai.sutazai.metrics.stats.Summary cpu = new ai.sutazai.metrics.stats.Summary(360, 1, 90, 20, 5, 20, 30, 35, 60, 20);
    ai.sutazai.metrics.baseline.Baseline base = new ai.sutazai.metrics.baseline.Baseline(42, java.time.Instant.EPOCH,
        Duration.ofMinutes(30), Duration.ofSeconds(5), "host", 360, java.util.List.of(
            new ai.sutazai.metrics.baseline.MetricBaseline("sutazai_container_memory_usage_bytes{agent=\"x\"}", mem, 0, 0, false),
            new ai.sutazai.metrics.baseline.MetricBaseline("sutazai_container_cpu_percent{agent=\"x\"}", cpu, 0, 0, false)));
    BaselineUsage u = BaselineUsage.of(base, "x").orElseThrow();
    assertEquals(new BaselineUsage(42, 360, 8_000_000, 9_000_000, 35, 90), u);
    assertEquals(Optional.empty(), BaselineUsage.of(base, "y"), "no series for agent y");
  }
}
