package ai.sutazai.it;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar as users run it ({@code java -jar target/sutazai.jar}): it prints the pom's version and a
 * router-only {@code run} starts with the product's defaults (journal, downing provider, ports), serves the
 * Ollama API through the router and its management API, and stops on SIGTERM. Unit tests run from classes;
 * only this catches a jar whose merged configuration or manifest is wrong.
 */
class ShadedJarIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static Path jar() {
    Path jar = Path.of(System.getProperty("sutazai.jar", "target/sutazai.jar"));
    assertTrue(Files.isRegularFile(jar), "no shaded jar at " + jar + " (run through `mvn verify`)");
    return jar;
  }

  static List<String> java(String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-jar", jar().toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  @Test
  void versionIsThePomVersion() throws Exception {
    Process p = new ProcessBuilder(java("--version")).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    String pomVersion = System.getProperty("sutazai.version");
    assertTrue(pomVersion != null && out.contains(pomVersion), "expected the pom's version " + pomVersion + " in: " + out);
  }

  @Test
  void aRouterOnlyRunStartsFromTheJar() throws Exception {
    Path dir = Files.createTempDirectory("shaded-jar-run");
    try (OllamaSimulator.Running sim = OllamaSimulator.start(SimConfig.defaults().withModels("llama3.2:1b"));
        RouterOnlyProcess run = RouterOnlyProcess.start(java(), dir, "jar-smoke", sim.url(), Duration.ofSeconds(120))) {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        HttpResponse<String> tags = get("http://127.0.0.1:" + run.inferencePort + "/api/tags");
        assertEquals(200, tags.statusCode(), tags.body());
        assertTrue(tags.body().contains("llama3.2:1b"), tags.body());
      });
      HttpResponse<String> health = get("http://127.0.0.1:" + run.managementPort + "/health");
      assertEquals(200, health.statusCode(), health.body());
      run.process.destroy(); // SIGTERM
      assertTrue(run.process.waitFor(60, TimeUnit.SECONDS), "run did not stop on SIGTERM");
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
