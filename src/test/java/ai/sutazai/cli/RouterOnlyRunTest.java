package ai.sutazai.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.inference.sim.OllamaSimulator;
import ai.sutazai.inference.sim.SimConfig;
import ai.sutazai.testsupport.DockerTestSupport;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    Path fleet = dir.resolve("fleet.conf");
    Files.writeString(fleet, "sutazai.fleet {\n  name = \"router-only\"\n  agents {}\n}\n");
    Path conf = dir.resolve("test.conf");
    // An engine address where nothing listens: the run must not need it.
    Files.writeString(conf, "sutazai.data-dir = \"" + dir.resolve("data") + "\"\n"
        + "sutazai.docker.host = \"tcp://127.0.0.1:" + DockerTestSupport.freePort() + "\"\n");
    int inferencePort = DockerTestSupport.freePort();
    try (OllamaSimulator.Running sim = OllamaSimulator.start(SimConfig.defaults().withModels("llama3.2:1b"))) {
      List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
          "-cp", System.getProperty("java.class.path"), "ai.sutazai.Main",
          "run", "--config", conf.toString(), "--fleet", fleet.toString(), "--worker", sim.url());
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(new File(System.getProperty("user.dir")))
          .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile());
      Map<String, String> env = pb.environment();
      env.remove("DOCKER_HOST");
      env.put("SUTAZAI_INFERENCE_PORT", String.valueOf(inferencePort));
      Process p = pb.start();
      try {
        Pattern started = Pattern.compile("router-only deployment 'router-only'.*API on http://[^:]+:(\\d+)/");
        String[] managementPort = new String[1];
        await().atMost(Duration.ofSeconds(90)).until(() -> {
          assertTrue(p.isAlive(), "run exited: " + Files.readString(dir.resolve("out.log")));
          Matcher m = started.matcher(Files.readString(dir.resolve("out.log")));
          if (m.find()) {
            managementPort[0] = m.group(1);
          }
          return managementPort[0] != null;
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          HttpResponse<String> tags = get("http://127.0.0.1:" + inferencePort + "/api/tags");
          assertEquals(200, tags.statusCode(), tags.body());
          assertTrue(tags.body().contains("llama3.2:1b"), tags.body());
        });
        HttpResponse<String> health = get("http://127.0.0.1:" + managementPort[0] + "/health");
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("no container engine"), health.body());
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "run did not stop on SIGTERM");
      } finally {
        p.destroyForcibly();
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
