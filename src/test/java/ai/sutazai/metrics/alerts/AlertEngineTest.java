package ai.sutazai.metrics.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.metrics.alerts.AlertEvent.AlertFired;
import ai.sutazai.metrics.alerts.AlertEvent.AlertResolved;
import ai.sutazai.metrics.alerts.AlertEvent.AlertSeverityChanged;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hysteresis on a test clock: time is whatever the test passes in. */
class AlertEngineTest {
  static final String MEM = "sutazai_host_memory_utilisation_ratio";
  static final AlertRule MEMORY = new AlertRule("memory-utilisation", MEM, AlertRule.Direction.ABOVE, 0.70, 0.85,
      Duration.ofSeconds(60), Duration.ofSeconds(120));
  static final AlertRule HEALTH = new AlertRule("container-health-rate", "sutazai_container_health_rate_ratio",
      AlertRule.Direction.BELOW, 0.90, 0.80, Duration.ofSeconds(30), Duration.ofSeconds(60));

  /** Feeds one value per step of 10 s starting at t = 0; returns the events with their step's time. */
  static final class Driver {
    AlertEngine engine;
    long now;
    final List<AlertEvent> events = new ArrayList<>();

    Driver(AlertRule... rules) {
      engine = AlertEngine.of(List.of(rules));
    }

    List<AlertEvent> feed(String series, double... values) {
      List<AlertEvent> out = new ArrayList<>();
      for (double v : values) {
        AlertEngine.Result r = engine.evaluate(Map.of(series, v), now);
        engine = r.engine();
        out.addAll(r.events());
        now += 10_000;
      }
      events.addAll(out);
      return out;
    }
  }

  @Test
  void firesOnlyAfterTheBreachHeldForFor() {
    Driver d = new Driver(MEMORY);
    // Breach at t=0..50 s: 60 s not yet reached.
    assertEquals(List.of(), d.feed(MEM, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75));
    // t=60 s: held for 60 s -> fires as WARNING.
    List<AlertEvent> fired = d.feed(MEM, 0.76);
    assertEquals(1, fired.size());
    AlertFired f = assertInstanceOf(AlertFired.class, fired.get(0));
    assertEquals(Severity.WARNING, f.severity());
    assertEquals(60_000, f.atMillis());
    assertEquals(0.70, f.threshold());
    assertEquals(List.of("memory-utilisation|" + MEM), d.engine.firing());
  }

  @Test
  void aShortBlipNeverFires() {
    Driver d = new Driver(MEMORY);
    assertEquals(List.of(), d.feed(MEM, 0.9, 0.9, 0.9, 0.5, 0.9, 0.9, 0.9, 0.9, 0.9));
    assertTrue(d.engine.firing().isEmpty());
  }

  @Test
  void resolvesOnlyAfterStayingClearForTheHoldDown() {
    Driver d = new Driver(MEMORY);
    d.feed(MEM, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8); // fires at t = 60 s
    // Clear from t = 70 s, breach again at t = 130 s (before 120 s of clear) -> no resolve.
    assertEquals(List.of(), d.feed(MEM, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.8));
    // Clear from t = 140 s; at t = 250 s only 110 s clear; t = 260 s: 120 s -> resolved.
    assertEquals(List.of(), d.feed(MEM, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5));
    List<AlertEvent> resolved = d.feed(MEM, 0.5);
    assertEquals(1, resolved.size());
    AlertResolved r = assertInstanceOf(AlertResolved.class, resolved.get(0));
    assertEquals(260_000, r.atMillis());
    assertEquals(60_000, r.firedAtMillis());
    assertTrue(d.engine.firing().isEmpty());
  }

  @Test
  void escalatesAtOnceAndDeescalatesAfterHoldDown() {
    Driver d = new Driver(MEMORY);
    d.feed(MEM, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75); // WARNING at 60 s
    List<AlertEvent> up = d.feed(MEM, 0.9); // t = 70 s
    AlertSeverityChanged c = assertInstanceOf(AlertSeverityChanged.class, up.get(0));
    assertEquals(Severity.WARNING, c.from());
    assertEquals(Severity.CRITICAL, c.to());
    // Back to warning level from t = 80 s: after 120 s (t = 200 s) it steps down.
    assertEquals(List.of(), d.feed(MEM, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75));
    List<AlertEvent> down = d.feed(MEM, 0.75);
    AlertSeverityChanged c2 = assertInstanceOf(AlertSeverityChanged.class, down.get(0));
    assertEquals(Severity.WARNING, c2.to());
    assertEquals(200_000, c2.atMillis());
  }

  @Test
  void fallingRuleAndPerSeriesAlerts() {
    Driver d = new Driver(HEALTH);
    assertEquals(List.of(), d.feed("sutazai_container_health_rate_ratio", 0.95, 0.85, 0.85, 0.85));
    List<AlertEvent> fired = d.feed("sutazai_container_health_rate_ratio", 0.7); // t = 40 s, breach since 10 s
    AlertFired f = assertInstanceOf(AlertFired.class, fired.get(0));
    assertEquals(Severity.CRITICAL, f.severity());
    assertEquals(0.80, f.threshold());
  }

  @Test
  void missingSeriesCountsAsClearAndFiringStateSurvivesARestart() {
    AlertRule p95 = new AlertRule("agent-response-time-p95", "sutazai_agent_response_time_p95_seconds",
        AlertRule.Direction.ABOVE, 5, 10, Duration.ZERO, Duration.ofSeconds(30));
    String coder = "sutazai_agent_response_time_p95_seconds{agent=\"coder\"}";
    AlertEngine e = AlertEngine.of(List.of(p95));
    AlertEngine.Result r = e.evaluate(Map.of(coder, 6.0, "sutazai_agent_response_time_p95_seconds{agent=\"web\"}", 1.0), 0);
    assertEquals(1, r.events().size());
    AlertFired fired = (AlertFired) r.events().get(0);
    // Restart: a fresh engine told what is firing resolves it when the series stays away for 30 s.
    AlertEngine restarted = AlertEngine.of(List.of(p95)).withFiring(List.of(fired));
    assertEquals(List.of(), restarted.evaluate(Map.of(), 10_000).engine().evaluate(Map.of(), 20_000).events());
    AlertEngine.Result later = restarted.evaluate(Map.of(), 10_000).engine().evaluate(Map.of(), 40_000);
    assertInstanceOf(AlertResolved.class, later.events().get(0));
  }
}
