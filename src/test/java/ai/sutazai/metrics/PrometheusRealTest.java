package ai.sutazai.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.sutazai.app.Daemon;
import ai.sutazai.common.Settings;
import ai.sutazai.fleet.FleetLoader;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.inference.FakeOllama;
import ai.sutazai.testsupport.DockerTestSupport;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shipped Prometheus configuration as a user runs it: the real {@code prometheus} binary (Debian's package,
 * installed by cluster/dev/prometheus.sh) scrapes a live daemon on the real engine with copies of
 * conf/prometheus/prometheus.yml (target and intervals rewritten) and conf/prometheus/alerts.yml (the rules'
 * {@code for:} shortened). Through Prometheus's HTTP API: the target is up, every expression of every panel of the
 * Grafana dashboard returns data once traffic went through the agent front and the inference router, and
 * SutazaiContainerHealthRateWarning fires while an agent is parked in a crash loop and resolves once it runs.
 */
class PrometheusRealTest {
  @RegisterExtension static final DockerTestSupport docker = new DockerTestSupport();

  static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final Duration LONG = Duration.ofSeconds(120);
  private static final String OPERATOR = "prom-test-operator";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();

  /** Fails (never skips) when the binary is missing, saying how to install it. */
  static void requireBinary(Path binary) {
    if (!Files.isExecutable(binary)) {
      fail(binary + " is not installed: run cluster/dev/prometheus.sh (Debian's prometheus package, as root)");
    }
  }

  private static String httpAgent(String name, int port) {
    return "    " + name + " {\n      image = \"" + DockerTestSupport.IMAGE + "\"\n"
        + "      command = [\"sh\", \"-c\", \"mkdir -p /tmp/www && echo ok > /tmp/www/health && exec httpd -f -p 127.0.0.1:"
        + port + " -h /tmp/www\"]\n"
        + "      memory = 16MiB, cpus = 0.1\n"
        + "      health { kind = http, port = " + port + ", path = \"/health\", interval = 200ms, timeout = 1s, retries = 2, start-period = 5s }\n"
        + "    }\n";
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode prom(String base, String pathAndQuery) throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)));
    assertEquals(200, r.statusCode(), pathAndQuery + ": " + r.body());
    JsonNode n = json.readTree(r.body());
    assertEquals("success", n.path("status").asText(), r.body());
    return n.get("data");
  }

  private JsonNode query(String base, String expr) throws Exception {
    return prom(base, "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)).get("result");
  }

  /** Every expression of every panel (rows' panels included) of the dashboard, variables substituted. */
  static Map<String, String> panelExpressions(Path dashboard) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode d = new ObjectMapper().readTree(dashboard.toFile());
    collect(d.get("panels"), out);
    return out;
  }

  private static void collect(JsonNode panels, Map<String, String> out) {
    if (panels == null) {
      return;
    }
    for (JsonNode p : panels) {
      int i = 0;
      for (JsonNode t : p.path("targets")) {
        String expr = t.path("expr").asText("");
        if (!expr.isBlank()) {
          out.put(p.path("title").asText() + " #" + i++, expr.replace("$__rate_interval", "30s")
              .replace("$__interval", "30s").replace("$interval", "30s").replace("$__range", "5m"));
        }
      }
      collect(p.get("panels"), out);
    }
  }

  private String scrape(String url) throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url)));
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }

  /** The {@code sutazai_*} families of a text exposition, name to type (from its TYPE lines). */
  static Map<String, String> families(String text) {
    Map<String, String> out = new java.util.TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE sutazai_")) {
        String[] p = line.split(" ");
        out.put(p[2], p[3]);
      }
    }
    return out;
  }

  /** The value of the sample {@code name{...label...}} of a text exposition; -1 when there is none. */
  static double sample(String text, String name, String label) {
    for (String line : text.split("\n")) {
      if (line.startsWith(name + "{") && line.substring(0, line.lastIndexOf('}') + 1).contains(label)) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }

  private int alertState(String base, String alert) throws Exception {
    for (JsonNode a : prom(base, "/api/v1/alerts").get("alerts")) {
      if (a.path("labels").path("alertname").asText().equals(alert)) {
        return a.path("state").asText().equals("firing") ? 2 : 1;
      }
    }
    return 0;
  }

  @Test
  void prometheusScrapesTheDaemonEvaluatesTheShippedRulesAndEveryPanelHasData() throws Exception {
    requireBinary(PROMETHEUS);
    Path dir = Files.createTempDirectory("prom-real");
    // the crasher runs only while the test's switch answers 200: crash-looped until then
    AtomicBoolean crasherMayRun = new AtomicBoolean(false);
    HttpServer gate = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    gate.createContext("/ok", ex -> {
      ex.sendResponseHeaders(crasherMayRun.get() ? 200 : 500, -1);
      ex.close();
    });
    gate.start();
    ActorSystem<Void> side = ActorSystem.create(Behaviors.empty(), "prom-real-ollama",
        ConfigFactory.parseString("akka.actor.provider = local\nakka.remote.artery.enabled = off").withFallback(ConfigFactory.load()));
    Process prometheus = null;
    try (FakeOllama ollama = new FakeOllama(side, "w1", Set.of("m1"), Set.of("m1"))) {
      int p1 = DockerTestSupport.freePort();
      int p2 = DockerTestSupport.freePort();
      Path fleetFile = dir.resolve("fleet.conf");
      Files.writeString(fleetFile, "sutazai.fleet {\n  name = \"" + docker.fleet() + "\"\n  agents {\n"
          + httpAgent("web1", p1) + httpAgent("web2", p2)
          + "    crasher {\n      image = \"" + DockerTestSupport.IMAGE + "\"\n"
          + "      command = [\"sh\", \"-c\", \"wget -q -O /dev/null http://127.0.0.1:" + gate.getAddress().getPort()
          + "/ok || exit 3; exec sleep 600\"]\n"
          + "      memory = 16MiB, cpus = 0.1\n"
          + "      restart { min-backoff = 300ms, max-backoff = 1s }\n      crash-loop { max-restarts = 2, window = 1m }\n    }\n"
          + "  }\n}\n");
      Config conf = Settings.load(null, ConfigFactory.parseString("sutazai.data-dir = \"" + dir.resolve("data") + "\"\n"
          + "sutazai.docker.host = \"" + docker.host() + "\"\nsutazai.supervisor.stop-timeout = 1s\n"
          + "sutazai.management.port = 0\nsutazai.inference.port = 0\nakka.management.http.port = 0\n"
          + "akka.remote.artery.canonical.port = 0\nsutazai.gateway.port = 0\n"
          + "sutazai.metrics.sample-interval = 1s\nsutazai.metrics.alerts.for = 1s\n"
          + "sutazai.management.auth.tokens = [{ name = ops, token = \"" + OPERATOR + "\", role = operator }]\n"));
      FleetSpec fleet = FleetLoader.load(fleetFile, conf);
      try (Daemon daemon = Daemon.start(conf, fleet, docker.runtime(), List.of(ollama.url()))) {
        String api = "http://127.0.0.1:" + daemon.managementPort();
        // Prometheus with copies of the shipped files
        Path promDir = dir.resolve("prometheus");
        Files.createDirectories(promDir.resolve("data"));
        String yml = Files.readString(Path.of("conf/prometheus/prometheus.yml"));
        assertTrue(yml.contains("127.0.0.1:8080") && yml.contains("15s"), yml);
        Files.writeString(promDir.resolve("prometheus.yml"), yml.replace("127.0.0.1:8080", "127.0.0.1:" + daemon.managementPort())
            .replace("scrape_interval: 15s", "scrape_interval: 2s").replace("evaluation_interval: 15s", "evaluation_interval: 1s"));
        String rules = Files.readString(Path.of("conf/prometheus/alerts.yml"));
        assertTrue(rules.contains("for: 1m"), rules);
        Files.writeString(promDir.resolve("alerts.yml"), rules.replace("for: 1m", "for: 2s"));
        int promPort = DockerTestSupport.freePort();
        String prom = "http://127.0.0.1:" + promPort;
        prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + promDir.resolve("prometheus.yml"),
            "--storage.tsdb.path=" + promDir.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort)
            .redirectErrorStream(true).redirectOutput(promDir.resolve("prometheus.log").toFile()).start();

        // the target is up
        await().atMost(LONG).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
          for (JsonNode t : prom(prom, "/api/v1/targets").get("activeTargets")) {
            if (t.path("health").asText().equals("up")) {
              return true;
            }
          }
          return false;
        });
        JsonNode up = query(prom, "up{job=\"sutazai\"}");
        assertEquals("1", up.get(0).get("value").get(1).asText(), up.toString());

        // the crasher parks in a crash loop: health rate 2/3, the alert fires
        await("SutazaiContainerHealthRateWarning firing").atMost(LONG).ignoreExceptions()
            .until(() -> alertState(prom, "SutazaiContainerHealthRateWarning") == 2);

        // traffic through the agent front and the router for the latency histograms
        await().atMost(LONG).ignoreExceptions().until(() -> send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + daemon.gatewayPort() + "/agents/web1/health"))).statusCode() == 200);
        for (int i = 0; i < 5; i++) {
          for (String a : List.of("web1", "web2")) {
            assertEquals(200, send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + daemon.gatewayPort() + "/agents/" + a + "/health"))).statusCode());
          }
          HttpResponse<String> gen = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.inferencePort() + "/api/generate"))
              .header("X-Sutazai-Agent", "web1").header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m1\",\"prompt\":\"hi\",\"stream\":false}")));
          assertEquals(200, gen.statusCode(), gen.body());
        }

        // the values: a histogram's _count is the requests sent, its _sum grows with traffic
        String metrics = "http://127.0.0.1:" + daemon.managementPort() + "/metrics";
        await().atMost(LONG).until(() -> sample(scrape(metrics), "sutazai_agent_response_time_seconds_count", "agent=\"web2\"") == 5);
        String first = scrape(metrics);
        assertEquals(5, sample(first, "sutazai_gateway_request_duration_seconds_count", "agent=\"web2\""), first);
        assertEquals(5, sample(first, "sutazai_inference_request_duration_seconds_count", "model=\"m1:latest\""), first);
        double sumBefore = sample(first, "sutazai_agent_response_time_seconds_sum", "agent=\"web2\"");
        for (int i = 0; i < 3; i++) {
          assertEquals(200, send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + daemon.gatewayPort() + "/agents/web2/health"))).statusCode());
        }
        await().atMost(LONG).until(() -> sample(scrape(metrics), "sutazai_agent_response_time_seconds_count", "agent=\"web2\"") == 8);
        String second = scrape(metrics);
        assertEquals(8, sample(second, "sutazai_gateway_request_duration_seconds_count", "agent=\"web2\""), second);
        assertTrue(sample(second, "sutazai_agent_response_time_seconds_sum", "agent=\"web2\"") > sumBefore, second);
        assertTrue(sample(second, "sutazai_gateway_request_duration_seconds_sum", "agent=\"web2\"")
            > sample(first, "sutazai_gateway_request_duration_seconds_sum", "agent=\"web2\""), second);

        // what is exposed is exactly MetricNames' list, with its types: every family once traffic went everywhere
        // (those that only appear after their first event are exempted by name below, never silently)
        Map<String, String> exposed = families(second);
        Map<String, String> listed = ai.sutazai.metrics.stats.MetricNames.types();
        Set<String> afterFirstEvent = Set.of("sutazai_journal_failures_total", "sutazai_inference_rejected_requests_total",
            ai.sutazai.metrics.stats.MetricNames.ROUTER_ACTIVATION_REJECTIONS_TOTAL, "sutazai_gateway_cold_start_seconds",
            "sutazai_agent_queue_position", "sutazai_gateway_held_requests", "sutazai_worker_failures_total");
        Map<String, String> expected = new java.util.TreeMap<>(listed);
        Map<String, String> got = new java.util.TreeMap<>(exposed);
        for (String n : afterFirstEvent) {
          assertTrue(listed.containsKey(n), n + " is not in MetricNames");
          if (!got.containsKey(n)) {
            expected.remove(n);
          }
        }
        assertEquals(expected, got, "a live scrape's sutazai_* families and types against MetricNames.ALL");

        // every panel's expression returns data
        Map<String, String> exprs = panelExpressions(Path.of("conf/grafana/sutazai-performance.json"));
        assertTrue(exprs.size() > 20, exprs.toString());
        Map<String, String> empty = new LinkedHashMap<>();
        try {
          await().atMost(LONG).pollInterval(Duration.ofSeconds(2)).until(() -> {
            empty.clear();
            for (Map.Entry<String, String> e : exprs.entrySet()) {
              if (query(prom, e.getValue()).isEmpty()) {
                empty.put(e.getKey(), e.getValue());
              }
            }
            return empty.isEmpty();
          });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          fail("panels without data: " + empty);
        }

        // the agent runs again: the alert resolves
        crasherMayRun.set(true);
        HttpResponse<String> reset = send(HttpRequest.newBuilder(URI.create(api + "/api/v1/agents/crasher/reset"))
            .header("Authorization", "Bearer " + OPERATOR).POST(HttpRequest.BodyPublishers.noBody()));
        assertTrue(reset.statusCode() / 100 == 2, reset.statusCode() + " " + reset.body());
        try {
          await().atMost(LONG).ignoreExceptions().until(() ->
              query(prom, "sutazai_container_health_rate_ratio").get(0).get("value").get(1).asDouble() == 1.0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          // say what Prometheus saw: the value, or why its scrapes failed (a series goes stale on a failed scrape)
          fail("the health rate did not return to 1: " + query(prom, "sutazai_container_health_rate_ratio")
              + "; targets: " + prom(prom, "/api/v1/targets").path("data").path("activeTargets"), e);
        }
        await("SutazaiContainerHealthRateWarning resolved").atMost(LONG).ignoreExceptions()
            .until(() -> alertState(prom, "SutazaiContainerHealthRateWarning") == 0);
      }
    } finally {
      if (prometheus != null) {
        prometheus.destroy();
        if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
          prometheus.destroyForcibly();
        }
      }
      gate.stop(0);
      side.terminate();
    }
  }
}
