package ai.sutazai.cluster;

import static org.junit.jupiter.api.Assertions.fail;

import ai.sutazai.common.Settings;
import ai.sutazai.runtime.DockerRuntime;
import ai.sutazai.testsupport.DockerTestSupport;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Config and HTTP helpers for cluster tests: loopback, free ports, a temp data dir per node. */
public final class ClusterTestSupport {
  private ClusterTestSupport() {}

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * The project's configuration for one test node: remoting on {@code remotePort} (0 = any free port),
   * Akka Management on {@code managementPort}, H2 journal under {@code dataDir}, the test Docker engine;
   * {@code overrides} go on top.
   */
  public static Config nodeConfig(Path dataDir, int remotePort, int managementPort, Map<String, Object> overrides) {
    Map<String, Object> values = new HashMap<>();
    values.put("akka.remote.artery.canonical.hostname", "127.0.0.1");
    values.put("akka.remote.artery.canonical.port", remotePort);
    values.put("akka.management.http.hostname", "127.0.0.1");
    values.put("akka.management.http.port", managementPort);
    values.put("sutazai.data-dir", dataDir.toString());
    values.put("sutazai.persistence.db", "h2");
    values.put("sutazai.docker.host", DockerTestSupport.dockerHost());
    values.put("sutazai.cluster.seed-nodes", java.util.List.of());
    values.put("sutazai.cluster.bootstrap", "off");
    // A node leaving a cluster that has just lost a member can take longer than the test kit's 10 s to stop on a
    // loaded machine; the tests assert on behaviour, not on how fast the JVM-local system shuts down.
    values.put("akka.actor.testkit.typed.system-shutdown-default", "60s");
    values.putAll(overrides);
    return Settings.load(null, ConfigFactory.parseMap(values));
  }

  /** Fails (never skips) when the test Docker engine does not answer. */
  static void requireDocker() {
    String host = DockerTestSupport.dockerHost();
    try (DockerRuntime runtime = DockerRuntime.create(host, Duration.ofSeconds(10))) {
      runtime.ping();
    } catch (RuntimeException e) {
      fail("Docker engine not reachable at " + host + " (" + e.getMessage() + "); run "
          + "eval \"$(cluster/dev/docker-engine.sh)\" and export DOCKER_HOST");
    }
  }

  /** PostgreSQL of the tests: SUTAZAI_DB_URL, user/password sutazai (cluster/dev/postgres.sh). */
  static String postgresUrl() {
    String url = System.getenv("SUTAZAI_DB_URL");
    return url == null || url.isBlank() ? "jdbc:postgresql://127.0.0.1:5432/sutazai" : url;
  }

  /** GET http://127.0.0.1:port/path. */
  static HttpResponse<String> get(int port, String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).GET().build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
