package ai.sutazai.supervisor.agent;

import ai.sutazai.supervisor.pool.ledger.RestartBudget;
import ai.sutazai.supervisor.settings.SupervisorSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackoffPolicyTest {
  private final SupervisorSettings.Backoff backoff =
      new SupervisorSettings.Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 0.5, Duration.ofMinutes(5));

  @Test
  void doublesFromMinUpToMax() {
    assertEquals(1000, BackoffPolicy.delay(backoff, 0, () -> 0).toMillis());
    assertEquals(2000, BackoffPolicy.delay(backoff, 1, () -> 0).toMillis());
    assertEquals(8000, BackoffPolicy.delay(backoff, 3, () -> 0).toMillis());
    assertEquals(10000, BackoffPolicy.delay(backoff, 4, () -> 0).toMillis());
    assertEquals(10000, BackoffPolicy.delay(backoff, 60, () -> 0).toMillis());
  }

  @Test
  void jitterAddsUpToItsFractionOfTheBaseDelay() {
    assertEquals(1500, BackoffPolicy.delay(backoff, 0, () -> 1.0).toMillis());
    assertEquals(2500, BackoffPolicy.delay(backoff, 1, () -> 0.5).toMillis());
  }

  @Test
  void jitterSpreadsDelaysEvenlyOverItsRange() {
    // 2000 first restarts with the random source the supervisor uses: every quarter of [1000, 1500) ms gets
    // about 500 of them (each below 400 with a probability far under 1e-9), none falls outside.
    int[] quarters = new int[4];
    for (int i = 0; i < 2000; i++) {
      long d = BackoffPolicy.delay(backoff, 0, java.util.concurrent.ThreadLocalRandom.current()::nextDouble).toMillis();
      assertTrue(d >= 1000 && d < 1500, d + " ms");
      quarters[(int) ((d - 1000) / 125)]++;
    }
    for (int q : quarters) {
      assertTrue(q >= 400, "uneven spread over the jitter's range: " + java.util.Arrays.toString(quarters));
    }
  }

  @Test
  void restartBudgetRefusesPastItsWindowAndRefillsAfterIt() {
    RestartBudget budget = new RestartBudget(2, Duration.ofSeconds(10));
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    assertTrue(budget.tryTake(t0));
    assertTrue(budget.tryTake(t0.plusSeconds(1)));
    assertFalse(budget.tryTake(t0.plusSeconds(2)));
    assertEquals(Duration.ofSeconds(8), budget.untilRoom(t0.plusSeconds(2)));
    assertTrue(budget.tryTake(t0.plusSeconds(10)));
  }
}
