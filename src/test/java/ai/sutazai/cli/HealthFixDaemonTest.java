package ai.sutazai.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.Main;
import ai.sutazai.app.Daemon;
import ai.sutazai.common.Settings;
import ai.sutazai.fleet.FleetLoader;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.testsupport.DockerTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code health-fix} beside a running daemon, on the real engine: a crash-looped agent is reset through the daemon's
 * management API (its journal records the operator's reset), a slow probe gives fleet-spec keys instead of a Docker
 * HEALTHCHECK (the container is not recreated), and a missing operator token is a clear error.
 */
class HealthFixDaemonTest {
  @RegisterExtension static final DockerTestSupport docker = new DockerTestSupport();

  private static final Duration LONG = Duration.ofSeconds(90);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();

  private JsonNode get(String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer op-token").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return json.readTree(r.body());
  }

  private List<String> eventTypes(String api, String agent) throws Exception {
    List<String> types = new ArrayList<>();
    get(api + "/api/v1/agents/" + agent + "/events?limit=200").get("events").forEach(e -> types.add(e.get("type").asText()));
    return types;
  }

  private static String[] run(StringWriter out, StringWriter err, String... args) {
    picocli.CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return new String[] {String.valueOf(cli.execute(args))};
  }

  @Test
  void resetsThroughTheDaemonAndProposesFleetSpecKeysForASlowProbe() throws Exception {
    Path dir = Files.createTempDirectory("hf-daemon");
    Path fleetFile = dir.resolve("fleet.conf");
    Files.writeString(fleetFile, "sutazai.fleet {\n  name = \"" + docker.fleet() + "\"\n  agents {\n"
        + "    crasher {\n      image = \"" + DockerTestSupport.IMAGE + "\"\n      command = [\"sh\", \"-c\", \"exit 3\"]\n"
        + "      memory = 16MiB, cpus = 0.1\n"
        + "      restart { min-backoff = 300ms, max-backoff = 1s }\n      crash-loop { max-restarts = 2, window = 1m }\n    }\n"
        + "    slow {\n      image = \"" + DockerTestSupport.IMAGE + "\"\n      command = [\"sleep\", \"300\"]\n"
        + "      memory = 16MiB, cpus = 0.1\n"
        + "      health { kind = cmd, command = [\"sleep\", \"3\"], interval = 300ms, timeout = 1s, retries = 1, start-period = 0s }\n"
        + "      restart { min-backoff = 300ms, max-backoff = 1s }\n      crash-loop { max-restarts = 100, window = 1m }\n    }\n"
        + "  }\n}\n");
    String common = "sutazai.data-dir = \"" + dir.resolve("data") + "\"\n"
        + "sutazai.docker.host = \"" + docker.host() + "\"\nsutazai.supervisor.stop-timeout = 1s\n";
    Config conf = Settings.load(null, ConfigFactory.parseString(common
        + "sutazai.management.port = 0\nsutazai.inference.port = 0\nakka.management.http.port = 0\n"
        + "akka.remote.artery.canonical.port = 0\nsutazai.gateway.port = 0\n"
        + "sutazai.management.auth.tokens = [{ name = ops, token = \"op-token\", role = operator }]\n"));
    Path cliConf = dir.resolve("cli.conf");
    Files.writeString(cliConf, common + "sutazai.management.auth.tokens = [{ name = ops, token = \"op-token\", role = operator }]\n");
    Path noToken = dir.resolve("no-token.conf");
    Files.writeString(noToken, common + "sutazai.management.auth.tokens = []\n");
    FleetSpec fleet = FleetLoader.load(fleetFile, conf);
    try (Daemon daemon = Daemon.start(conf, fleet, docker.runtime(), List.of())) {
      String api = "http://127.0.0.1:" + daemon.managementPort();
      await().atMost(LONG).until(() -> get(api + "/api/v1/agents/crasher").get("state").asText().equals("CRASH_LOOP"));
      await().atMost(LONG).until(() -> get(api + "/api/v1/agents/slow/events?limit=200").toString().contains("timed out after"));
      String slowBefore = get(api + "/api/v1/agents/slow").get("containerId").asText();

      // a missing operator token: one clear line, exit 2, nothing done
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      assertEquals("2", run(out, err, "health-fix", "--daemon", api, "--fleet-name", docker.fleet(), "--config",
          noToken.toString())[0], err.toString());
      assertTrue(err.toString().contains("answered 401") && err.toString().contains("operator token is missing")
          && err.toString().contains("SUTAZAI_OPERATOR_TOKEN"), err.toString());
      assertFalse(err.toString().contains("\tat "), "no stack trace: " + err);

      // the plan: reset through the daemon, fleet-spec keys for the slow probe; no restart, no HEALTHCHECK
      out = new StringWriter();
      err = new StringWriter();
      assertEquals("0", run(out, err, "health-fix", "--daemon", api, "--fleet-name", docker.fleet(), "--config",
          cliConf.toString(), "--fleet", fleetFile.toString(), "--format", "json")[0], out + "\n" + err);
      JsonNode plan = json.readTree(out.toString());
      assertTrue(plan.get("daemon").get("used").asBoolean(), out.toString());
      List<String> kinds = new ArrayList<>();
      plan.get("plan").forEach(f -> kinds.add(f.get("kind").asText() + " " + f.get("agent").asText()));
      assertTrue(kinds.contains("RESET_VIA_DAEMON crasher"), kinds.toString());
      assertTrue(kinds.contains("PROPOSE_SPEC_CHANGE slow"), kinds.toString());
      assertTrue(kinds.stream().noneMatch(k -> k.startsWith("RESTART") || k.startsWith("RECREATE")), kinds.toString());
      JsonNode proposal = null;
      for (JsonNode f : plan.get("plan")) {
        if (f.get("kind").asText().equals("PROPOSE_SPEC_CHANGE")) {
          proposal = f;
        }
      }
      JsonNode timeout = proposal.get("specChanges").get(0);
      assertEquals("agents.slow.health.timeout", timeout.get("key").asText(), proposal.toString());
      assertEquals("1s", timeout.get("from").asText(), proposal.toString());
      assertTrue(Duration.parse("PT" + timeout.get("to").asText().toUpperCase()).toSeconds() >= 2, proposal.toString());

      // --apply: the daemon records the operator's reset; the slow agent's container is not recreated with a HEALTHCHECK
      out = new StringWriter();
      err = new StringWriter();
      assertEquals("0", run(out, err, "health-fix", "--apply", "--daemon", api, "--fleet-name", docker.fleet(), "--config",
          cliConf.toString(), "--fleet", fleetFile.toString())[0], out + "\n" + err);
      assertTrue(out.toString().startsWith("daemon at " + api + " answers: crash-looped agents are reset through it"),
          out.toString());
      assertTrue(out.toString().contains("fleet spec: agents.slow.health.timeout = "), out.toString());
      assertTrue(eventTypes(api, "crasher").contains("ResetByOperator"), eventTypes(api, "crasher").toString());
      assertTrue(docker.runtime().listManaged(docker.fleet()).stream().noneMatch(c -> c.name().contains("-replaced-")),
          "nothing recreated behind the daemon's back");
      String slowNow = get(api + "/api/v1/agents/slow").get("containerId").asText();
      assertEquals(slowBefore, slowNow, "the daemon's container for slow is the one it created");
      assertNull(docker.client().inspectContainerCmd(slowNow).exec().getConfig().getHealthcheck(),
          "no Docker HEALTHCHECK put on the daemon's container");
    }
  }
}
