package ai.sutazai.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The right-sizing rule on its own: p95 plus headroom, never below the peak, small changes skipped. */
class RightSizingTest {
  private static final long MIB = 1L << 20;
  private static final QuotaSettings.RightSizing CFG =
      new QuotaSettings.RightSizing(true, Duration.ofSeconds(1), 100, 5, 0.5, 0.5, 0.1, 16 * MIB, 0.05);

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
}
