package ai.sutazai.app;

import ai.sutazai.supervisor.protocol.SupervisorProtocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.common.Settings;
import ai.sutazai.metrics.MetricsCollector;
import ai.sutazai.metrics.TestClock;
import ai.sutazai.metrics.forecast.DemandForecast;
import ai.sutazai.supervisor.protocol.ActivationResult;
import ai.sutazai.supervisor.protocol.ActivationSource;
import ai.sutazai.supervisor.FleetSupervisor;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Forecast pre-activation against a fake forecast, with a probe standing in for the FleetSupervisor. */
class ForecastPreActivatorTest {
  static final ActorTestKit kit = ActorTestKit.create("pre-activation", ConfigFactory.parseString("akka.actor.provider = local"));
  static final Instant T0 = Instant.parse("2026-11-27T05:00:00Z");

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static ForecastPreActivator.Settings settings(boolean enabled) {
    return new ForecastPreActivator.Settings(enabled, Duration.ofMillis(100), 1.0, Duration.ofMinutes(2), Duration.ofMinutes(5),
        Duration.ofSeconds(3));
  }

  private static DemandForecast forecast(Map<String, Double> peaks) {
    return new DemandForecast(peaks, peaks, List.of(), false, Map.of());
  }

  /** Answers the next forecast request with {@code peaks}. */
  private static void answer(TestProbe<MetricsCollector.Command> metrics, Map<String, Double> peaks) {
    MetricsCollector.GetDemandForecast ask = metrics.expectMessageClass(MetricsCollector.GetDemandForecast.class, Duration.ofSeconds(5));
    ask.replyTo().tell(forecast(peaks));
  }

  @Test
  void activatesPredictedAgentsThroughTheSupervisorProtocolOnlyThenWaitsOutTheCooldown() {
    TestClock clock = new TestClock(T0);
    TestProbe<MetricsCollector.Command> metrics = kit.createTestProbe();
    TestProbe<SupervisorProtocol.Command> fleet = kit.createTestProbe();
    ActorRef<ForecastPreActivator.Command> pre = kit.spawn(ForecastPreActivator.create(settings(true), metrics.getRef(),
        fleet.getRef(), clock));
    try {
      answer(metrics, Map.of("coder", 3.5, "writer", 1.0, "idle", 0.4));
      SupervisorProtocol.Activate first = fleet.expectMessageClass(SupervisorProtocol.Activate.class, Duration.ofSeconds(5));
      SupervisorProtocol.Activate second = fleet.expectMessageClass(SupervisorProtocol.Activate.class, Duration.ofSeconds(5));
      assertEquals(List.of("coder", "writer"), List.of(first.agent(), second.agent()), "highest forecast first; idle is below 1.0");
      assertEquals(ActivationSource.FORECAST, first.source());
      assertTrue(first.reason().startsWith("forecast: 3.50 requests per sample predicted (threshold 1.00)"), first.reason());
      assertEquals(T0.plus(Duration.ofMinutes(2)), first.deadline());
      first.replyTo().tell(StatusReply.success(new ActivationResult(ActivationResult.Outcome.STARTING, "coder", 0, 0, "admitted")));
      second.replyTo().tell(StatusReply.error("quota full"));

      // within the cooldown the same forecast asks for nothing
      answer(metrics, Map.of("coder", 3.5, "writer", 1.0));
      answer(metrics, Map.of("coder", 3.5, "writer", 1.0));
      fleet.expectNoMessage(Duration.ofMillis(300));

      // after it, the agents still predicted are asked for again
      clock.advance(Duration.ofMinutes(5));
      answer(metrics, Map.of("writer", 2.0));
      assertEquals("writer", fleet.expectMessageClass(SupervisorProtocol.Activate.class, Duration.ofSeconds(5)).agent());
    } finally {
      kit.stop(pre);
    }
  }

  @Test
  void offByDefaultAndThenItDoesNothing() {
    ForecastPreActivator.Settings defaults = ForecastPreActivator.Settings.fromConfig(Settings.load(null));
    assertFalse(defaults.enabled(), "sutazai.quota.pre-activation.enabled defaults to off");
    assertEquals(Duration.ofSeconds(30), defaults.interval());
    assertEquals(1.0, defaults.minRequests());
    // the collector's own pre-activation list follows the same switch and threshold
    assertFalse(ai.sutazai.metrics.forecast.ForecastSettings.fromConfig(Settings.load(null)).preActivation());
    var on = ai.sutazai.metrics.forecast.ForecastSettings.fromConfig(Settings.load(null, ConfigFactory.parseString(
        "sutazai.quota.pre-activation { enabled = on, min-requests = 2.5 }")));
    assertTrue(on.preActivation());
    assertEquals(2.5, on.preActivationRequests());

    TestProbe<MetricsCollector.Command> metrics = kit.createTestProbe();
    TestProbe<SupervisorProtocol.Command> fleet = kit.createTestProbe();
    ActorRef<ForecastPreActivator.Command> pre = kit.spawn(ForecastPreActivator.create(settings(false), metrics.getRef(),
        fleet.getRef(), new TestClock(T0)));
    TestProbe<Object> watcher = kit.createTestProbe();
    watcher.expectTerminated(pre, Duration.ofSeconds(5));
    metrics.expectNoMessage(Duration.ofMillis(300));
    fleet.expectNoMessage(Duration.ofMillis(10));
  }

  @Test
  void badSettingsNameTheKey() {
    var bad = Settings.load(null, ConfigFactory.parseString("sutazai.quota.pre-activation.interval = 0s"));
    var e = org.junit.jupiter.api.Assertions.assertThrows(ai.sutazai.common.SettingsException.class,
        () -> ForecastPreActivator.Settings.fromConfig(bad));
    assertTrue(e.getMessage().contains("sutazai.quota.pre-activation.interval"), e.getMessage());
  }
}
