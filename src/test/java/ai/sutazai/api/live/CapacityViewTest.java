package ai.sutazai.api.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.api.Result;
import ai.sutazai.common.Settings;
import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.FleetLoader;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.fleet.HealthSpec;
import ai.sutazai.metrics.stats.CollectorSeries;
import ai.sutazai.metrics.MetricsCollector;
import ai.sutazai.metrics.stats.Sample;
import ai.sutazai.metrics.baseline.Baseline;
import ai.sutazai.metrics.baseline.BaselineStore;
import ai.sutazai.metrics.baseline.MetricBaseline;
import ai.sutazai.metrics.forecast.CapacityForecast;
import ai.sutazai.metrics.forecast.DemandForecast;
import ai.sutazai.metrics.forecast.ForecastSettings;
import ai.sutazai.metrics.forecast.Forecaster;
import ai.sutazai.metrics.stats.Point;
import ai.sutazai.metrics.stats.Summary;
import ai.sutazai.supervisor.agent.AgentEntity;
import ai.sutazai.supervisor.protocol.AgentEvent;
import ai.sutazai.testsupport.JournalWriter;
import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /api/v1/capacity's backend: the same health, utilisation and forecast inputs as `sutazai analyze`. */
class CapacityViewTest {
  static final long MIB = 1024L * 1024;
  static final long GIB = 1024 * MIB;

  @TempDir Path dir;

  /** The collector's part: a fixed forecast of memory growing 10 MiB per 5 s from 4 GiB, and a latest sample. */
  private static Behavior<MetricsCollector.Command> fakeCollector(long nowMillis) {
    List<Point> used = new ArrayList<>();
    long step = 5000;
    long first = Math.floorDiv(nowMillis, step) * step - 19 * step;
    for (int i = 0; i < 20; i++) {
      used.add(new Point(first + i * step, 4 * GIB + i * 10 * MIB));
    }
    CapacityForecast forecast = new CapacityForecast(new Forecaster(ForecastSettings.defaults())
        .forecast(CollectorSeries.HOST_MEMORY_USED_BYTES, used, Duration.ofSeconds(5), Duration.ofHours(1), 8.0 * GIB).orElseThrow(),
        null, new DemandForecast(Map.of(), Map.of(), List.of(), false, Map.of()));
    return Behaviors.receiveMessage(m -> {
      if (m instanceof MetricsCollector.GetCapacityForecast g) {
        g.replyTo().tell(forecast);
      } else if (m instanceof MetricsCollector.GetLatest g) {
        g.replyTo().tell(new Sample(nowMillis, Map.of(CollectorSeries.HOST_MEMORY_USED_BYTES, (double) (4 * GIB + 190 * MIB))));
      }
      return Behaviors.same();
    });
  }

  private static AgentSpec spec(String name) {
    return new AgentSpec(name, "img", List.of(), Map.of(), 32 * MIB, 64 * MIB, 0.1, 10, List.of(), null, HealthSpec.NONE,
        List.of(), AgentSpec.Activation.ALWAYS, "default", null, null);
  }

  @Test
  void capacityCarriesHealthFromTheJournalUtilisationFromTheBaselineAndTheCollectorsForecast() throws Exception {
    Config conf = Settings.load(null, ConfigFactory.parseMap(Map.of("sutazai.data-dir", dir.toString(),
        "akka.actor.provider", "local")));
    ActorTestKit kit = ActorTestKit.create("capacity-view", conf);
    try {
      ai.sutazai.common.JournalSchema.migrate(kit.system().settings().config());
      Instant now = Instant.now();
      Instant start = now.minus(Duration.ofHours(1));
      List<AgentEvent> flaky = new ArrayList<>(List.of(new AgentEvent.Registered(spec("flaky"), start),
          new AgentEvent.ActivationRequested("boot", start), new AgentEvent.BecameHealthy(500, start),
          new AgentEvent.RestartScheduled(0, 1000, "exit 1", now.minus(Duration.ofMinutes(10)))));
      List<AgentEvent> cache = List.of(new AgentEvent.Registered(spec("cache"), start),
          new AgentEvent.ActivationRequested("boot", start), new AgentEvent.BecameHealthy(500, start));
      TestProbe<Done> done = kit.createTestProbe();
      for (Map.Entry<String, List<AgentEvent>> e : Map.of("flaky", flaky, "cache", cache).entrySet()) {
        ActorRef<JournalWriter.Write> w = kit.spawn(new JournalWriter(AgentEntity.persistenceId("demo", e.getKey())));
        w.tell(new JournalWriter.Write(e.getValue(), done.getRef()));
        done.receiveMessage(Duration.ofSeconds(30));
      }
      BaselineStore baselines = BaselineStore.open("jdbc:h2:file:" + dir.resolve("baselines"), "sa", "", "");
      baselines.save(new Baseline(0, now, Duration.ofMinutes(1), Duration.ofSeconds(5), "t", 12, List.of(new MetricBaseline(
          CollectorSeries.HOST_CPU_PERCENT, new Summary(12, 10, 40, 20, 5, 20, 30, 35, 39, 21), 30, 35, false))));
      FleetSpec fleet = FleetLoader.load(Path.of("conf/fleets/demo.conf"), conf);
      ActorRef<MetricsCollector.Command> metrics = kit.spawn(fakeCollector(now.toEpochMilli()));

      Observations observations = new Observations(kit.system(), conf, fleet, null, metrics, baselines, null, Duration.ofSeconds(10));
      Result<JsonNode> result = observations.capacity().toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertTrue(result instanceof Result.Ok<JsonNode>, result.toString());
      JsonNode j = ((Result.Ok<JsonNode>) result).value();
      assertEquals(2, j.at("/health/agents").asInt(), j.toString());
      assertEquals(1, j.at("/health/restarts").asInt());
      assertEquals(1, j.at("/health/unhealthy").asInt(), "flaky is restarting");
      assertEquals("flaky", j.at("/health/mostRestarted/0/agent").asText());
      assertEquals(CollectorSeries.HOST_CPU_PERCENT, j.at("/utilisation/metrics/0/metric").asText());
      assertEquals(35.0, j.at("/utilisation/metrics/0/p95").asDouble(), 1e-9);
      assertEquals("the running collector's history", j.at("/forecast/source").asText());
      assertEquals("host memory used", j.at("/forecast/lines/0/metric").asText());
      assertEquals((4096 + 739 * 10) / 1024.0, j.at("/forecast/lines/0/predicted").asDouble(), 1e-6);
      assertEquals((4096 + 190) / 1024.0, j.at("/forecast/lines/0/current").asDouble(), 1e-6);
      assertTrue(j.at("/forecastMissing").isNull());
    } finally {
      kit.shutdownTestKit();
    }
  }
}
