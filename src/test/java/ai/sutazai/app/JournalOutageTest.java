package ai.sutazai.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.sutazai.common.Settings;
import ai.sutazai.fleet.FleetLoader;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.runtime.ContainerInfo;
import ai.sutazai.testsupport.DockerTestSupport;
import ai.sutazai.testsupport.TcpProxy;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A PostgreSQL outage under a running daemon (real Docker engine, real PostgreSQL of SUTAZAI_DB_URL; fails
 * when either is missing). The journal goes through a TCP proxy that the test cuts while activations are
 * being made, then restores: containers keep running (same ids), every acknowledged activation is in the
 * journal and carried out, requests during the cut get "journal unavailable" within their timeout, and
 * readiness (/ready, /health) is down during the cut and up after.
 */
class JournalOutageTest {
  @RegisterExtension static final DockerTestSupport docker = new DockerTestSupport();

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void aPostgresOutageLosesNothingAcknowledgedAndContainersKeepRunning() throws Exception {
    String url = System.getenv("SUTAZAI_DB_URL");
    assertNotNull(url, "SUTAZAI_DB_URL is not set: start PostgreSQL with cluster/dev/postgres.sh (this test needs it)");
    try (Connection c = DriverManager.getConnection(url, ai.sutazai.testsupport.TestDatabase.USER, ai.sutazai.testsupport.TestDatabase.password())) {
      assertTrue(c.isValid(5));
    } catch (SQLException e) {
      fail("PostgreSQL of SUTAZAI_DB_URL (" + url + ") is not reachable: " + e.getMessage());
    }
    URI db = URI.create(url.substring("jdbc:".length()));
    Path dir = Files.createTempDirectory("outage");
    List<String> agents = List.of("a1", "a2", "a3", "a4");
    StringBuilder body = new StringBuilder();
    for (String a : agents) {
      body.append(httpAgent(a, DockerTestSupport.freePort()));
    }
    Path fleetFile = dir.resolve("fleet.conf");
    Files.writeString(fleetFile, "sutazai.fleet {\n  name = \"" + docker.fleet() + "\"\n  agents {\n" + body + "  }\n}\n");

    try (TcpProxy proxy = new TcpProxy(db.getHost(), db.getPort())) {
      proxy.restore();
      int managementPort = DockerTestSupport.freePort();
      Config conf = Settings.load(null, ConfigFactory.parseString(
          "sutazai.data-dir = \"" + dir.resolve("data") + "\"\n"
              + "sutazai.docker.host = \"" + docker.host() + "\"\n"
              + "sutazai.persistence.db = postgres\n"
              + "sutazai.persistence.postgres.url = \"jdbc:postgresql://127.0.0.1:" + proxy.port() + db.getPath() + "\"\n"
              + "sutazai.persistence.failure-backoff { min = 200ms, max = 1s }\n"
              + "sutazai.inference.enabled = false\n"
              + "sutazai.management.port = 0\nakka.management.http.port = " + managementPort + "\n"
              + "akka.management.http.hostname = \"127.0.0.1\"\nakka.remote.artery.canonical.port = 0\n"
              + "sutazai.management.auth.tokens = [{ name = ops, token = \"op-token\", role = operator }]\n"));
      FleetSpec fleet = FleetLoader.load(fleetFile, conf);
      try (Daemon daemon = Daemon.start(conf, fleet, docker.runtime(), List.of())) {
        String api = "http://127.0.0.1:" + daemon.managementPort();
        String ready = "http://127.0.0.1:" + managementPort + "/ready";
        await().atMost(Duration.ofSeconds(60)).until(() -> get(ready).statusCode() == 200);
        Set<String> acknowledged = new LinkedHashSet<>();

        // Before the cut: two agents healthy, a third acknowledged and starting when the cut comes.
        for (String a : List.of("a1", "a2")) {
          assertAccepted(activate(api, a));
          acknowledged.add(a);
        }
        for (String a : List.of("a1", "a2")) {
          await().atMost(Duration.ofSeconds(60)).until(() -> phase(api, a).equals("HEALTHY"));
        }
        Map<String, String> before = running();
        assertEquals(Set.of("a1", "a2"), before.keySet());
        assertAccepted(activate(api, "a4"));
        acknowledged.add("a4");

        // The cut lasts 5 s, longer if needed until the pool and a4 (whose container start falls into the
        // cut) have both failed to write (10 s at most for that), and requests, /ready and /health have
        // shown the outage. Activations go on meanwhile, each answered within the ask timeout.
        proxy.cut();
        long cutAt = System.nanoTime();
        List<String> errors = new ArrayList<>();
        boolean[] readyWentDown = new boolean[1];
        boolean[] healthWentDown = new boolean[1];
        int[] actorsDown = new int[1];
        long[] slowestMillis = new long[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          long sent = System.nanoTime();
          HttpResponse<String> r = activate(api, "a3"); // answered within REQUEST_TIMEOUT, or the call throws
          slowestMillis[0] = Math.max(slowestMillis[0], Duration.ofNanos(System.nanoTime() - sent).toMillis());
          if (r.statusCode() / 100 == 2) {
            acknowledged.add("a3");
          } else {
            assertEquals(503, r.statusCode(), r.body());
            assertTrue(r.body().contains("journal unavailable"), r.body());
            errors.add(r.body());
          }
          HttpResponse<String> readiness = get(ready);
          if (readiness.statusCode() != 200) {
            assertTrue(readiness.body().contains("journal unavailable"), readiness.body());
            readyWentDown[0] = true;
          }
          HttpResponse<String> health = call("GET", api + "/health");
          if (health.statusCode() == 503 && health.body().contains("journal unavailable")) {
            healthWentDown[0] = true;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) event-sourced actor").matcher(health.body());
            actorsDown[0] = Math.max(actorsDown[0], m.find() ? Integer.parseInt(m.group(1)) : 0);
          }
          long cutSeconds = Duration.ofNanos(System.nanoTime() - cutAt).toSeconds();
          boolean longEnough = cutSeconds >= 5 && (actorsDown[0] >= 2 || cutSeconds >= 10);
          return errors.size() >= 3 && readyWentDown[0] && healthWentDown[0] && longEnough;
        });
        System.out.printf("journal cut for %d ms: %d activation(s) refused, slowest answer %d ms, at most %d event-sourced "
            + "actor(s) down; first error: %s%n", Duration.ofNanos(System.nanoTime() - cutAt).toMillis(), errors.size(),
            slowestMillis[0], actorsDown[0], errors.get(0));
        long askTimeoutMillis = conf.getDuration("sutazai.supervisor.ask-timeout").toMillis();
        assertTrue(slowestMillis[0] < askTimeoutMillis, "an activation during the cut took " + slowestMillis[0] + " ms");
        assertEquals(before, runningOf(before.keySet()), "containers must keep running through the outage");

        proxy.restore();
        await().atMost(Duration.ofSeconds(60)).until(() -> get(ready).statusCode() == 200);
        HttpResponse<String> health = call("GET", api + "/health");
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("journal available"), health.body());

        // The sender of the refused activation tries again: now it is acknowledged.
        await().atMost(Duration.ofSeconds(30)).until(() -> activate(api, "a3").statusCode() / 100 == 2);
        acknowledged.add("a3");
        for (String a : acknowledged) {
          await().atMost(Duration.ofSeconds(90)).until(() -> phase(api, a).equals("HEALTHY"));
        }
        Map<String, String> after = running();
        assertEquals(acknowledged, after.keySet(), "every acknowledged activation carried out, nothing else");
        assertEquals(acknowledged.size(), docker.runtime().listManaged(docker.fleet()).size(), "no duplicate containers");
        for (String a : before.keySet()) {
          assertEquals(before.get(a), after.get(a), a + " must keep its container");
          assertTrue(call("GET", api + "/api/v1/agents/" + a).body().contains("\"restarts\":0"), a + " restarted");
        }
        for (String a : acknowledged) {
          String events = call("GET", api + "/api/v1/agents/" + a + "/events?limit=50").body();
          assertTrue(events.contains("ActivationRequested") && events.contains("BecameHealthy"), a + ": " + events);
          assertTrue(journalRows(url, "Agent|" + docker.fleet() + ":" + a) >= 3, a + " is not in PostgreSQL's journal");
        }
        assertTrue(proxy.accepted() > 1, "the journal did not reconnect through the proxy");
      }
    }
  }

  private static String httpAgent(String name, int port) {
    return "    " + name + " {\n      image = \"" + DockerTestSupport.IMAGE + "\"\n"
        + "      command = [\"httpd\", \"-f\", \"-p\", \"127.0.0.1:" + port + "\", \"-h\", \"/www\"]\n"
        + "      memory = 16MiB, cpus = 0.1, activation = on-demand\n"
        + "      health { kind = http, port = " + port + ", path = \"/health\", interval = 300ms, timeout = 1s, retries = 2, start-period = 5s }\n"
        + "    }\n";
  }

  private HttpResponse<String> activate(String api, String agent) throws Exception {
    return call("POST", api + "/api/v1/agents/" + agent + "/activate");
  }

  private static void assertAccepted(HttpResponse<String> r) {
    assertTrue(r.statusCode() == 200 || r.statusCode() == 202, r.statusCode() + " " + r.body());
  }

  private String phase(String api, String agent) throws Exception {
    String body = call("GET", api + "/api/v1/agents/" + agent).body();
    int i = body.indexOf("\"state\":\"");
    return i < 0 ? "" : body.substring(i + 9, body.indexOf('"', i + 9));
  }

  private HttpResponse<String> call(String method, String url) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Bearer op-token").header("Content-Type", "application/json");
    b.method(method, HttpRequest.BodyPublishers.noBody());
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Running containers of this fleet by agent. */
  private static Map<String, String> running() {
    return docker.runtime().listManaged(docker.fleet()).stream().filter(ContainerInfo::running)
        .collect(Collectors.toMap(ContainerInfo::agent, ContainerInfo::id, (x, y) -> x + "," + y, LinkedHashMap::new));
  }

  private static Map<String, String> runningOf(Set<String> agents) {
    Map<String, String> all = running();
    all.keySet().retainAll(agents);
    return all;
  }

  /** Events of {@code persistenceId} in PostgreSQL's journal, read directly (not through the proxy). */
  private static long journalRows(String url, String persistenceId) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, ai.sutazai.testsupport.TestDatabase.USER, ai.sutazai.testsupport.TestDatabase.password());
        PreparedStatement s = c.prepareStatement("select count(*) from event_journal where persistence_id = ?")) {
      s.setString(1, persistenceId);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }
}
