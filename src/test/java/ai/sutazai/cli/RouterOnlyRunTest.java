package ai.sutazai.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.inference.sim.OllamaSimulator;
import ai.sutazai.inference.sim.SimConfig;
import ai.sutazai.testsupport.RouterOnlyProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A router-only deployment: {@code run} with a fleet of no agents ({@code agents {}}) and a worker, as a real
 * process with no DOCKER_HOST and an engine address where nothing listens, serves the Ollama API through
 * the router, and its health names no engine as missing.
 */
class RouterOnlyRunTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void aFleetWithoutAgentsRunsTheRouterWithoutAnEngine() throws Exception {
    Path dir = Files.createTempDirectory("run-router-only");
    try (OllamaSimulator.Running sim = OllamaSimulator.start(SimConfig.defaults().withModels("llama3.2:1b"))) {
      List<String> launcher = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
          "-cp", System.getProperty("java.class.path"), "ai.sutazai.Main");
      try (RouterOnlyProcess run = RouterOnlyProcess.start(launcher, dir, "router-only", sim.url(), Duration.ofSeconds(90))) {
        Process p = run.process;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          HttpResponse<String> tags = get("http://127.0.0.1:" + run.inferencePort + "/api/tags");
          assertEquals(200, tags.statusCode(), tags.body());
          assertTrue(tags.body().contains("llama3.2:1b"), tags.body());
        });
        HttpResponse<String> health = get("http://127.0.0.1:" + run.managementPort + "/health");
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("no container engine"), health.body());
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "run did not stop on SIGTERM");
      }
      String log = Files.readString(dir.resolve("out.log"));
      assertTrue(!log.contains("Docker engine not reachable"), log);
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
