package ai.sutazai.metrics.alerts;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.sutazai.metrics.MetricsCollector;
import ai.sutazai.metrics.MetricsSettings;
import ai.sutazai.metrics.stats.Sample;
import ai.sutazai.metrics.TestClock;
import ai.sutazai.metrics.stats.TierSpec;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Collector on a test clock → AlertEvaluator → in-memory journal and a local webhook: the alert fires
 * only once the breach held for `for`, is persisted and posted, and is still known after a restart.
 */
class AlertEvaluatorTest {
  static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config());
  static final String MEM = "sutazai_host_memory_utilisation_ratio";
  static final AlertRule RULE = new AlertRule("memory-utilisation", MEM, AlertRule.Direction.ABOVE, 0.70, 0.85,
      Duration.ofSeconds(10), Duration.ofSeconds(20));

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  @Test
  void firesPersistsPostsAndRemembers() throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook", exchange -> {
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    try {
      String pid = "metrics-alerts|evaluator-test";
      AlertSettings alertSettings = new AlertSettings(true, List.of(RULE),
          List.of("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"),
          Duration.ofSeconds(2), Duration.ofMillis(20), Duration.ofMillis(100), 3, 10);
      AtomicReference<Double> memory = new AtomicReference<>(0.75);
      TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
      MetricsSettings settings = new MetricsSettings(Duration.ofHours(1),
          List.of(new TierSpec(Duration.ofSeconds(5), Duration.ofHours(1))), 100, 0.3, Duration.ofMinutes(1),
          false, "", 2, Duration.ofMinutes(5), 100);
      ActorRef<MetricsCollector.Command> collector = testKit.spawn(MetricsCollector.create(new MetricsCollector.Setup(
          settings, () -> Map.of(MEM, memory.get()), null, clock, null, List.of(RULE),
          AlertEvaluator.create(alertSettings, pid), ai.sutazai.metrics.forecast.ForecastSettings.defaults())));
      TestProbe<Sample> samples = testKit.createTestProbe();
      collector.tell(new MetricsCollector.Subscribe(samples.ref()));

      for (int i = 0; i < 2; i++) { // t = 0 s and 5 s: breached, not yet for 10 s
        collector.tell(MetricsCollector.SampleNow.INSTANCE);
        samples.receiveMessage();
        clock.advance(Duration.ofSeconds(5));
      }
      PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
      journal.expectNothingPersisted(pid);
      assertEquals(List.of(), bodies);

      collector.tell(MetricsCollector.SampleNow.INSTANCE); // t = 10 s: fires
      samples.receiveMessage();
      long t10 = Instant.parse("2026-01-01T00:00:10Z").toEpochMilli();
      AlertEvent fired = new AlertEvent.AlertFired(AlertEvent.key("memory-utilisation", MEM), "memory-utilisation", MEM,
          Severity.WARNING, 0.75, 0.70, t10);
      journal.expectNextPersisted(pid, fired);
      await().atMost(Duration.ofSeconds(10)).until(() -> bodies.size() == 1);
      JsonNode body = new ObjectMapper().readTree(bodies.get(0));
      assertEquals("firing", body.get("status").asText());
      assertEquals("2026-01-01T00:00:10Z", body.get("at").asText());

      testKit.stop(collector);
      ActorRef<AlertEvaluator.Command> restarted =
          testKit.spawn(AlertEvaluator.create(List.of(RULE), AlertJournal.create(pid), null));
      TestProbe<AlertEvaluator.Firing> firing = testKit.createTestProbe();
      restarted.tell(new AlertEvaluator.GetFiring(firing.ref()));
      assertEquals(List.of(AlertEvent.key("memory-utilisation", MEM)), firing.receiveMessage().keys());

      // Clear for the 20 s hold-down: resolved and persisted.
      restarted.tell(new AlertEvaluator.Evaluate(new Sample(t10 + 5_000, Map.of(MEM, 0.5))));
      restarted.tell(new AlertEvaluator.Evaluate(new Sample(t10 + 25_000, Map.of(MEM, 0.5))));
      AlertEvent.AlertResolved resolved = journal.expectNextPersistedClass(pid, AlertEvent.AlertResolved.class);
      assertEquals(t10 + 25_000, resolved.atMillis());
      assertEquals(t10, resolved.firedAtMillis());
    } finally {
      server.stop(0);
    }
  }
}
