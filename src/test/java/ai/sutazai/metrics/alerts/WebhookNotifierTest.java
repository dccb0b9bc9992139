package ai.sutazai.metrics.alerts;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Delivery and retry against a local HTTP server on a free loopback port. */
class WebhookNotifierTest {
  static final ActorTestKit testKit = ActorTestKit.create();
  static final ObjectMapper JSON = new ObjectMapper();

  HttpServer server;
  final List<String> bodies = new CopyOnWriteArrayList<>();
  final AtomicInteger failuresLeft = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook", exchange -> {
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      int status = failuresLeft.getAndDecrement() > 0 ? 500 : 200;
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  AlertSettings settings(int maxAttempts) {
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    return new AlertSettings(true, List.of(), List.of(url), Duration.ofSeconds(2), Duration.ofMillis(20),
        Duration.ofMillis(200), maxAttempts, 10);
  }

  static AlertEvent fired(String series, long at) {
    return new AlertEvent.AlertFired(AlertEvent.key("memory-utilisation", series), "memory-utilisation", series,
        Severity.CRITICAL, 0.9, 0.85, at);
  }

  WebhookNotifier.Stats stats(ActorRef<WebhookNotifier.Command> notifier) {
    TestProbe<WebhookNotifier.Stats> probe = testKit.createTestProbe();
    notifier.tell(new WebhookNotifier.GetStats(probe.ref()));
    return probe.receiveMessage();
  }

  @Test
  void retriesAfterServerErrorsAndKeepsOrder() throws Exception {
    failuresLeft.set(2);
    ActorRef<WebhookNotifier.Command> notifier = testKit.spawn(WebhookNotifier.create(settings(5)));
    notifier.tell(new WebhookNotifier.Deliver(fired("first", 1_000)));
    notifier.tell(new WebhookNotifier.Deliver(new AlertEvent.AlertResolved(
        AlertEvent.key("memory-utilisation", "first"), "memory-utilisation", "first", 0.5, 1_000, 5_000)));
    await().atMost(Duration.ofSeconds(10)).until(() -> bodies.size() == 4);
    // 500, 500, then 200 for the first; the second only after the first got through.
    assertEquals(bodies.get(0), bodies.get(1));
    assertEquals(bodies.get(1), bodies.get(2));
    JsonNode first = JSON.readTree(bodies.get(2));
    assertEquals("firing", first.get("status").asText());
    assertEquals("critical", first.get("severity").asText());
    assertEquals(0.85, first.get("threshold").asDouble());
    assertEquals("1970-01-01T00:00:01Z", first.get("at").asText());
    assertEquals("resolved", JSON.readTree(bodies.get(3)).get("status").asText());
    await().atMost(Duration.ofSeconds(5)).until(() -> stats(notifier).delivered() == 2);
    assertEquals(new WebhookNotifier.Stats(2, 2, 0), stats(notifier));
  }

  @Test
  void givesUpAfterMaxAttemptsAndCarriesOn() {
    failuresLeft.set(3);
    ActorRef<WebhookNotifier.Command> notifier = testKit.spawn(WebhookNotifier.create(settings(3)));
    notifier.tell(new WebhookNotifier.Deliver(fired("lost", 1_000)));
    notifier.tell(new WebhookNotifier.Deliver(fired("kept", 2_000)));
    await().atMost(Duration.ofSeconds(10)).until(() -> stats(notifier).delivered() == 1);
    assertEquals(4, bodies.size());
    assertEquals(new WebhookNotifier.Stats(1, 3, 1), stats(notifier));
  }

  @Test
  void logsShowAWebhookByItsHostOnly() {
    assertEquals("https://hooks.slack.com/…",
        WebhookNotifier.shown(java.net.URI.create("https://hooks.slack.com/services/T000/B000/XXXXsecret?x=1")));
    assertEquals("http://127.0.0.1:9/…", WebhookNotifier.shown(java.net.URI.create("http://user:pw@127.0.0.1:9/hook")));
  }

  @Test
  void backoffDoublesUpToTheMaximum() {
    Duration min = Duration.ofSeconds(1);
    Duration max = Duration.ofSeconds(60);
    assertEquals(Duration.ofSeconds(1), WebhookNotifier.backoff(1, min, max));
    assertEquals(Duration.ofSeconds(2), WebhookNotifier.backoff(2, min, max));
    assertEquals(Duration.ofSeconds(32), WebhookNotifier.backoff(6, min, max));
    assertEquals(Duration.ofSeconds(60), WebhookNotifier.backoff(7, min, max));
    assertEquals(Duration.ofSeconds(60), WebhookNotifier.backoff(40, min, max));
  }
}
