package ai.sutazai.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.common.Settings;
import ai.sutazai.fleet.FleetLoader;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.inference.sim.OllamaSimulator;
import ai.sutazai.inference.sim.SimConfig;
import ai.sutazai.testsupport.DockerTestSupport;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole daemon as `run` starts it, on the real Docker engine: the management API answers from the
 * live system (agents, journal, workers, metrics), operator actions reach the supervisor, and the
 * inference front routes to a simulated Ollama worker.
 */
class DaemonTest {
  @RegisterExtension static final DockerTestSupport docker = new DockerTestSupport();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<String> call(String method, String url, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer op-token").header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theManagementApiAndTheInferenceFrontServeTheLiveSystem() throws Exception {
    Path dir = Files.createTempDirectory("daemon");
    int port = DockerTestSupport.freePort();
    Path fleetFile = dir.resolve("fleet.conf");
    Files.writeString(fleetFile, "sutazai.fleet {\n  name = \"" + docker.fleet() + "\"\n  agents {\n    web {\n"
        + "      image = \"" + DockerTestSupport.IMAGE + "\"\n"
        + "      command = [\"httpd\", \"-f\", \"-p\", \"127.0.0.1:" + port + "\", \"-h\", \"/www\"]\n"
        + "      memory = 16MiB, cpus = 0.1, activation = on-demand\n"
        + "      health { kind = http, port = " + port + ", path = \"/health\", interval = 300ms, timeout = 1s, retries = 2, start-period = 5s }\n"
        + "    }\n  }\n}\n");
    Config conf = Settings.load(null, ConfigFactory.parseString(
        "sutazai.data-dir = \"" + dir.resolve("data") + "\"\n"
            + "sutazai.docker.host = \"" + docker.host() + "\"\n"
            + "sutazai.management.port = 0\nsutazai.inference.port = 0\nakka.management.http.port = 0\n"
            + "akka.remote.artery.canonical.port = 0\n"
            + "sutazai.management.auth.tokens = [{ name = ops, token = \"op-token\", role = operator }]\n"));
    FleetSpec fleet = FleetLoader.load(fleetFile, conf);
    try (OllamaSimulator.Running sim = OllamaSimulator.start(SimConfig.defaults().withModels("llama3.2:1b")
        .withLoadTime(Duration.ofMillis(50)).withTokensPerSecond(1000));
        Daemon daemon = Daemon.start(conf, fleet, docker.runtime(), List.of(sim.url()))) {
      String api = "http://127.0.0.1:" + daemon.managementPort();

      HttpResponse<String> activate = call("POST", api + "/api/v1/agents/web/activate", null);
      assertTrue(activate.statusCode() == 202 || activate.statusCode() == 200, activate.body());
      await().atMost(Duration.ofSeconds(60)).until(() -> call("GET", api + "/api/v1/agents/web", null).body().contains("\"HEALTHY\""));
      // The view names the node that runs the agent: this daemon, a cluster of one.
      String self = akka.cluster.typed.Cluster.get(daemon.system()).selfMember().address().toString();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(
          call("GET", api + "/api/v1/agents/web", null).body().contains("\"node\":\"" + self + "\""), self));
      String events = call("GET", api + "/api/v1/agents/web/events?limit=10", null).body();
      assertTrue(events.contains("BecameHealthy") && events.contains("ActivationRequested"), events);
      assertTrue(call("GET", api + "/api/v1/containers", null).body().contains(docker.containerName("web")));

      await().atMost(Duration.ofSeconds(30)).until(() -> call("GET", api + "/api/v1/workers", null).body().contains("\"simulated\":true"));
      HttpResponse<String> gen = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.inferencePort() + "/api/generate"))
          .header("X-Sutazai-Agent", "web").timeout(Duration.ofSeconds(30))
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"llama3.2:1b\",\"prompt\":\"hi\",\"stream\":false}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, gen.statusCode(), gen.body());
      assertTrue(gen.body().contains("\"done\":true"), gen.body());

      String metrics = call("GET", api + "/metrics", null).body();
      String journalCount = metrics.lines().filter(l -> l.startsWith("sutazai_journal_write_duration_seconds_count"))
          .findFirst().orElse("missing");
      assertTrue(!journalCount.equals("missing") && !journalCount.endsWith(" 0"), journalCount);

      assertEquals(200, call("POST", api + "/api/v1/agents/web/deactivate", null).statusCode() / 100 * 100);
      await().atMost(Duration.ofSeconds(60)).until(() -> call("GET", api + "/api/v1/agents/web", null).body().contains("\"INACTIVE\""));
      assertEquals(409, call("POST", api + "/api/v1/agents/web/deactivate", null).statusCode());
      assertEquals(404, call("GET", api + "/api/v1/agents/nope", null).statusCode());

      // The pool's scaling decisions, newest first, each with its reason: the admission, then the stop.
      JsonNode decisions = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
          call("GET", api + "/api/v1/pools/default/decisions", null).body());
      List<String> kinds = new java.util.ArrayList<>();
      decisions.forEach(d -> kinds.add(d.get("kind").asText() + " " + d.get("agent").asText()));
      assertTrue(kinds.indexOf("ADMITTED web") > kinds.indexOf("STOPPED web") && kinds.indexOf("STOPPED web") >= 0,
          "newest first, admission and stop of web: " + kinds);
      decisions.forEach(d -> assertTrue(d.get("reason").asText().contains(d.get("agent").asText()), d.toString()));
    }
  }
}
