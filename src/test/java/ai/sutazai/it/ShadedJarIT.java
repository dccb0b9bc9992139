package ai.sutazai.it;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    Path fleet = dir.resolve("fleet.conf");
    Files.writeString(fleet, "sutazai.fleet {\n  name = \"jar-smoke\"\n  agents {}\n}\n");
    Path conf = dir.resolve("test.conf");
    Files.writeString(conf, "sutazai.data-dir = \"" + dir.resolve("data") + "\"\n"
        + "sutazai.docker.host = \"tcp://127.0.0.1:" + DockerTestSupport.freePort() + "\"\n");
    int inferencePort = DockerTestSupport.freePort();
    try (OllamaSimulator.Running sim = OllamaSimulator.start(SimConfig.defaults().withModels("llama3.2:1b"))) {
      ProcessBuilder pb = new ProcessBuilder(java("run", "--config", conf.toString(), "--fleet", fleet.toString(),
          "--worker", sim.url())).directory(new File(System.getProperty("user.dir")))
          .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile());
      pb.environment().remove("DOCKER_HOST");
      pb.environment().put("SUTAZAI_INFERENCE_PORT", String.valueOf(inferencePort));
      Process p = pb.start();
      try {
        Pattern started = Pattern.compile("router-only deployment 'jar-smoke'.*API on http://[^:]+:(\\d+)/");
        String[] managementPort = new String[1];
        await().atMost(Duration.ofSeconds(120)).until(() -> {
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
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "run did not stop on SIGTERM");
      } finally {
        p.destroyForcibly();
      }
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
