package ai.sutazai.front;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.app.Daemon;
import ai.sutazai.common.Settings;
import ai.sutazai.fleet.FleetLoader;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.runtime.Labels;
import ai.sutazai.testsupport.DockerTestSupport;
import com.github.dockerjava.api.model.Container;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent front as a user meets it, on the real Docker engine with busybox httpd agents: requests to a
 * stopped on-demand agent are held while it starts and answered by it; a stream keeps its agent busy and
 * arrives in pieces; the front's own refusals (504, 503, 404) are problem+json naming agent and phase.
 */
class AgentFrontDockerTest {
  @RegisterExtension static final DockerTestSupport docker = new DockerTestSupport();
  private static final Duration LONG = Duration.ofSeconds(60);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** An on-demand httpd agent serving /health ("ok") and a CGI /cgi-bin/stream that writes "first", waits for /tmp/go, writes "last". */
  private static String httpAgent(String name, int port, String extra) {
    return "    " + name + " {\n      image = \"" + DockerTestSupport.IMAGE + "\"\n"
        + "      command = [\"sh\", \"-c\", \"\"\"mkdir -p /tmp/www/cgi-bin\n"
        + "echo ok > /tmp/www/health\n"
        + "cat > /tmp/www/cgi-bin/stream <<'EOS'\n#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n'\necho first\n"
        + "while [ ! -f /tmp/go ]; do sleep 0.1; done\necho last\nEOS\n"
        + "chmod +x /tmp/www/cgi-bin/stream\nexec httpd -f -p 127.0.0.1:" + port + " -h /tmp/www\"\"\"]\n"
        + "      memory = 16MiB, cpus = 0.1, activation = on-demand\n"
        + "      health { kind = http, port = " + port + ", path = \"/health\", interval = 200ms, timeout = 1s, retries = 2, start-period = 5s }\n"
        + extra + "\n    }\n";
  }

  private Daemon start(String agents, Map<String, String> overrides) throws Exception {
    return start(agents, "", overrides);
  }

  /** A supervisor with the front for {@code agents} and {@code pools} (the fleet's pools block, may be empty). */
  private Daemon start(String agents, String pools, Map<String, String> overrides) throws Exception {
    Path dir = Files.createTempDirectory("front");
    Path fleetFile = dir.resolve("fleet.conf");
    Files.writeString(fleetFile, "sutazai.fleet {\n  name = \"" + docker.fleet() + "\"\n" + pools + "  agents {\n" + agents
        + "  }\n}\n");
    StringBuilder c = new StringBuilder("sutazai.data-dir = \"" + dir.resolve("data") + "\"\n"
        + "sutazai.docker.host = \"" + docker.host() + "\"\n"
        + "sutazai.management.port = 0\nsutazai.inference.port = 0\nakka.management.http.port = 0\n"
        + "akka.remote.artery.canonical.port = 0\nsutazai.gateway.port = 0\nsutazai.supervisor.stop-timeout = 1s\n");
    overrides.forEach((k, v) -> c.append(k).append(" = ").append(v).append('\n'));
    Config conf = Settings.load(null, ConfigFactory.parseString(c.toString()));
    FleetSpec fleet = FleetLoader.load(fleetFile, conf);
    return Daemon.start(conf, fleet, docker.runtime(), List.of());
  }

  private HttpResponse<String> get(Daemon d, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.gatewayPort() + path))
        .timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private CompletableFuture<HttpResponse<String>> getAsync(Daemon d, String path) {
    return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.gatewayPort() + path))
        .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static final String VIEWER = "front-test-viewer";
  private static final Map<String, String> VIEWER_TOKEN = Map.of("sutazai.management.auth.tokens",
      "[{ name = \"t\", token = \"" + VIEWER + "\", role = viewer }]");

  /** A GET of the management API as a viewer, as JSON. */
  private com.fasterxml.jackson.databind.JsonNode api(Daemon d, String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.managementPort() + path))
        .header("Authorization", "Bearer " + VIEWER).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
  }

  private static com.fasterxml.jackson.databind.JsonNode named(com.fasterxml.jackson.databind.JsonNode list, String name) {
    for (com.fasterxml.jackson.databind.JsonNode n : list) {
      if (n.path("name").asText().equals(name)) {
        return n;
      }
    }
    throw new AssertionError("no " + name + " in " + list);
  }

  /** Every container of the agent the engine has, running or not. */
  private List<Container> containers(String agent) {
    return docker.client().listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(Labels.FLEET, docker.fleet(), Labels.AGENT, agent)).exec();
  }

  private boolean running(String agent) {
    return containers(agent).stream().anyMatch(c -> "running".equals(c.getState()));
  }

  @Test
  void aStoppedAgentIsStartedOnDemandHeldRequestsAllAnsweredByOneContainerAndStartedAgainAfterIdleStop() throws Exception {
    int port = DockerTestSupport.freePort();
    try (Daemon d = start(httpAgent("web", port, "      idle-timeout = 2s"),
        Map.of("sutazai.quota.busy-window", "300ms"))) {
      assertTrue(containers("web").isEmpty());
      List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        burst.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.gatewayPort() + "/agents/web/health"))
            .timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> f : burst) {
        HttpResponse<String> r = f.join();
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("ok\n", r.body());
        assertTrue(r.headers().firstValue(AgentFront.COLD_START_HEADER).isPresent(), "held, so a cold-start header");
      }
      assertEquals(1, containers("web").size(), "one container for twenty held requests");
      assertTrue(d.front().stats().lastColdStartMillis("web") > 0);

      // Warm: forwarded at once, no cold-start header.
      HttpResponse<String> warm = get(d, "/agents/web/health");
      assertEquals(200, warm.statusCode());
      assertTrue(warm.headers().firstValue(AgentFront.COLD_START_HEADER).isEmpty());

      // Idle past its idle-timeout: stopped; the next request starts it again and is answered.
      await().atMost(LONG).until(() -> !running("web"));
      HttpResponse<String> again = get(d, "/agents/web/health?x=1");
      assertEquals(200, again.statusCode(), again.body());
      assertTrue(again.headers().firstValue(AgentFront.COLD_START_HEADER).isPresent());
      assertTrue(running("web"));
    }
  }

  @Test
  void aStreamedResponseArrivesInPiecesAndKeepsItsAgentFromBeingStopped() throws Exception {
    int port = DockerTestSupport.freePort();
    try (Daemon d = start(httpAgent("streamer", port, "      idle-timeout = 1s"),
        Map.of("sutazai.quota.busy-window", "300ms"))) {
      HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + d.gatewayPort() + "/agents/streamer/cgi-bin/stream"))
          .timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, r.statusCode());
      BufferedReader body = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
      // "first" arrives while the agent has not written "last" yet: the body is not buffered whole.
      assertEquals("first", body.readLine());
      // Many idle-timeouts (1 s) and busy-windows (300 ms) long, the request in flight keeps it running.
      await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> running("streamer"));
      String id = containers("streamer").get(0).getId();
      docker.runtime().exec(id, List.of("touch", "/tmp/go"), Duration.ofSeconds(10));
      assertEquals("last", body.readLine());
      body.close();
      // Once it has ended, the agent is idle and stopped.
      await().atMost(LONG).until(() -> !running("streamer"));
    }
  }

  @Test
  void aRequestStillQueuedAtItsHoldDeadlineIs503WithItsQueuePositionAndLeavesThePoolsQueue() throws Exception {
    int first = DockerTestSupport.freePort();
    int second = DockerTestSupport.freePort();
    String agents = httpAgent("first", first, "      idle-timeout = 1h") + httpAgent("second", second, "      idle-timeout = 1h");
    Map<String, String> conf = new java.util.HashMap<>(VIEWER_TOKEN);
    conf.put("sutazai.gateway.hold-timeout", "4s");
    try (Daemon d = start(agents, "  pools { default { max-active = 1 } }\n", conf)) {
      assertEquals(200, get(d, "/agents/first/health").statusCode(), "takes the pool's only slot");
      CompletableFuture<HttpResponse<String>> queued = getAsync(d, "/agents/second/health");
      await().atMost(Duration.ofSeconds(10)).until(() -> d.front().stats().held("second") == 1);

      // The agents' view: held requests and the last cold start.
      var view = api(d, "/api/v1/agents");
      assertEquals(1, named(view, "second").path("heldRequests").asInt(), view.toString());
      assertEquals("QUEUED", named(view, "second").path("state").asText(), view.toString());
      assertTrue(named(view, "first").path("lastColdStartMillis").asLong() > 0, view.toString());
      assertTrue(named(view, "second").path("lastColdStartMillis").isNull(), view.toString());

      HttpResponse<String> r = queued.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(503, r.statusCode(), r.body());
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
      assertTrue(r.headers().firstValue("Retry-After").isPresent());
      assertTrue(r.body().contains("\"agent\":\"second\"") && r.body().contains("\"phase\":\"QUEUED\"")
          && r.body().contains("\"queuePosition\":1"), r.body());
      assertEquals(0, d.front().stats().held("second"));
      // The pool rejected the activation at the same deadline: it does not start the agent later for nobody.
      await().atMost(Duration.ofSeconds(20)).until(() -> api(d, "/api/v1/pools").get(0).path("queue").isEmpty());
      assertTrue(containers("second").isEmpty());
    }
  }

  @Test
  void aStreamingAgentIsNotPreemptedForAHigherPriorityOneUntilItsStreamEnds() throws Exception {
    int low = DockerTestSupport.freePort();
    int high = DockerTestSupport.freePort();
    String agents = httpAgent("streamer", low, "      priority = 1\n      idle-timeout = 1h")
        + httpAgent("urgent", high, "      priority = 9\n      idle-timeout = 1h");
    try (Daemon d = start(agents, "  pools { default { max-active = 1 } }\n", Map.of("sutazai.quota.busy-window", "300ms"))) {
      HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + d.gatewayPort() + "/agents/streamer/cgi-bin/stream"))
          .timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, r.statusCode());
      BufferedReader body = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
      assertEquals("first", body.readLine());

      // A higher-priority agent asks for the only slot: it would preempt the streamer, but not mid-stream.
      CompletableFuture<HttpResponse<String>> urgent = getAsync(d, "/agents/urgent/health");
      await().atMost(Duration.ofSeconds(10)).until(() -> d.front().stats().held("urgent") == 1);
      await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
          .until(() -> running("streamer") && !running("urgent") && !urgent.isDone());

      String id = containers("streamer").get(0).getId();
      docker.runtime().exec(id, List.of("touch", "/tmp/go"), Duration.ofSeconds(10));
      assertEquals("last", body.readLine());
      body.close();
      // Its stream over, the streamer is preempted and the urgent request, held meanwhile, is answered.
      HttpResponse<String> answered = urgent.get(90, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(200, answered.statusCode(), answered.body());
      assertTrue(answered.headers().firstValue(AgentFront.COLD_START_HEADER).isPresent());
      await().atMost(LONG).until(() -> !running("streamer"));
    }
  }

  @Test
  void refusalsAreProblemsNamingTheAgentAndPhase() throws Exception {
    int port = DockerTestSupport.freePort();
    int deadPort = DockerTestSupport.freePort();
    String agents = httpAgent("web", port, "")
        // Runs, but nothing ever answers its health probe: never healthy.
        + "    slow {\n      image = \"" + DockerTestSupport.IMAGE + "\"\n      command = [\"sleep\", \"300\"]\n"
        + "      memory = 16MiB, cpus = 0.1, activation = on-demand\n"
        + "      health { kind = http, port = " + deadPort + ", path = \"/health\", interval = 200ms, timeout = 1s, retries = 2, start-period = 60s }\n    }\n"
        // Exits at once: restarted until parked in a crash loop.
        + "    crasher {\n      image = \"" + DockerTestSupport.IMAGE + "\"\n      command = [\"sh\", \"-c\", \"exit 3\"]\n"
        + "      memory = 16MiB, cpus = 0.1, activation = on-demand, port = " + deadPort + "\n"
        + "      health { kind = http, port = " + deadPort + ", path = \"/health\", interval = 200ms, timeout = 1s, retries = 2, start-period = 60s }\n"
        + "      restart { min-backoff = 100ms, max-backoff = 200ms }\n      crash-loop { max-restarts = 2, window = 1m }\n    }\n"
        + "    portless {\n      image = \"" + DockerTestSupport.IMAGE + "\"\n      command = [\"sleep\", \"300\"]\n"
        + "      memory = 16MiB, cpus = 0.1, activation = on-demand\n    }\n";
    try (Daemon d = start(agents, Map.of("sutazai.gateway.hold-timeout", "3s", "sutazai.gateway.max-held", "2"))) {
      HttpResponse<String> unknown = get(d, "/agents/nope/x");
      assertEquals(404, unknown.statusCode());
      assertTrue(unknown.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
      assertTrue(unknown.body().contains("\"agent\":\"nope\""), unknown.body());

      HttpResponse<String> portless = get(d, "/agents/portless/");
      assertEquals(404, portless.statusCode());
      assertTrue(portless.body().contains("no port"), portless.body());

      // Two held (max-held = 2), the third refused at once with Retry-After; the two time out with 504.
      List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        held.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.gatewayPort() + "/agents/slow/"))
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> d.front().stats().held("slow") == 2);
      HttpResponse<String> full = get(d, "/agents/slow/");
      assertEquals(503, full.statusCode(), full.body());
      assertTrue(full.headers().firstValue("Retry-After").isPresent());
      assertTrue(full.body().contains("max-held"), full.body());
      for (CompletableFuture<HttpResponse<String>> f : held) {
        HttpResponse<String> r = f.join();
        assertEquals(504, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"agent\":\"slow\"") && r.body().contains("\"phase\":"), r.body());
      }
      assertEquals(0, d.front().stats().held("slow"));

      // A client that leaves while held is dropped at once.
      try (Socket s = new Socket("127.0.0.1", d.gatewayPort())) {
        OutputStream out = s.getOutputStream();
        out.write("GET /agents/slow/ HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> d.front().stats().held("slow") == 1);
      }
      await().atMost(Duration.ofSeconds(2)).until(() -> d.front().stats().held("slow") == 0);

      // A crash-looping agent: 503 naming the reason.
      HttpResponse<String> crash = get(d, "/agents/crasher/");
      assertEquals(503, crash.statusCode(), crash.body());
      assertTrue(crash.body().toLowerCase().contains("crash loop") || crash.body().toLowerCase().contains("crash-loop"),
          crash.body());
      assertTrue(crash.body().contains("\"agent\":\"crasher\""), crash.body());

      var text = new java.io.ByteArrayOutputStream();
      io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create()
          .write(text, ai.sutazai.common.MetricsRegistry.get(d.system()).registry().scrape());
      String metrics = text.toString(java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(metrics.contains("sutazai_gateway_responses_total{agent=\"slow\",code=\"504\"} 2"), metrics);
      assertTrue(!metrics.contains("agent=\"nope\""), "a made-up agent name is no series of its own: " + metrics);
    }
  }
}
