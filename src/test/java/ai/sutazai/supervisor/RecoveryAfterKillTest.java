package ai.sutazai.supervisor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.runtime.ContainerInfo;
import ai.sutazai.testsupport.DockerTestSupport;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * `sutazai run` as a real process, killed with SIGKILL, then started again: the journal rebuilds the
 * state, running containers are adopted (no duplicates), and a container whose agent left the fleet is
 * removed. Runs on the H2 file journal and on PostgreSQL (SUTAZAI_DB_URL; fails if it is unreachable).
 */
class RecoveryAfterKillTest {
  @RegisterExtension static final DockerTestSupport docker = new DockerTestSupport();

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void killDashNineThenRestartAdoptsContainersWithoutDuplicates(String db) throws Exception {
    Path dir = Files.createTempDirectory("recovery");
    int dbPort = DockerTestSupport.freePort();
    int appPort = DockerTestSupport.freePort();
    Path fleet = dir.resolve("fleet.conf");
    Files.writeString(fleet, "sutazai.fleet {\n  name = \"" + docker.fleet() + "\"\n  agents {\n"
        + SupervisorHarness.httpAgent("db", dbPort, "")
        + SupervisorHarness.httpAgent("app", appPort, "      depends-on = [\"db\"]") + "  }\n}\n");
    Path conf = dir.resolve("test.conf");
    String pg = System.getenv().getOrDefault("SUTAZAI_DB_URL", "jdbc:postgresql://127.0.0.1:5432/sutazai");
    Files.writeString(conf, "sutazai.data-dir = \"" + dir.resolve("data") + "\"\n"
        + "sutazai.persistence.db = " + db + "\n"
        + "sutazai.persistence.postgres.url = \"" + pg + "\"\n"
        + "sutazai.supervisor.settle-timeout = 60s\n");

    Process first = start(dir, "run", "--config", conf.toString(), "--fleet", fleet.toString());
    try {
      await().atMost(Duration.ofSeconds(90)).until(() -> running().size() == 2);
    } finally {
      first.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful anything
      first.waitFor(30, TimeUnit.SECONDS);
    }
    Map<String, String> before = running();
    // A labelled container of an agent that is not in the fleet: recovery removes it.
    String ghost = docker.startManaged("ghost", "sleep", "300");

    onceSettlesWithOneContainerEach(dir, conf, fleet);
    assertEquals(before, running(), "running containers must be adopted, not recreated");
    await().atMost(Duration.ofSeconds(30)).until(() -> !docker.exists(ghost));
  }

  /**
   * Killed half-way: as the journal says db's or app's activation was asked for, or app's container was
   * created (the process dies right after the line is logged, before or during the next step). The next
   * run completes what was half done: both agents healthy, one container each.
   */
  @ParameterizedTest
  @ValueSource(strings = {"db: activation requested", "app: activation requested", "app: container created"})
  void killDashNineHalfWayThroughAnActivationThenRestartCompletesIt(String killAt) throws Exception {
    Path dir = Files.createTempDirectory("recovery-half");
    Path fleet = dir.resolve("fleet.conf");
    Files.writeString(fleet, "sutazai.fleet {\n  name = \"" + docker.fleet() + "\"\n  agents {\n"
        + SupervisorHarness.httpAgent("db", DockerTestSupport.freePort(), "")
        + SupervisorHarness.httpAgent("app", DockerTestSupport.freePort(), "      depends-on = [\"db\"]") + "  }\n}\n");
    Path conf = dir.resolve("test.conf");
    Files.writeString(conf, "sutazai.data-dir = \"" + dir.resolve("data") + "\"\nsutazai.supervisor.settle-timeout = 60s\n");

    Process first = start(dir, "run", "--config", conf.toString(), "--fleet", fleet.toString());
    try {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
          .until(() -> Files.readString(dir.resolve("out.log")).contains(killAt));
    } finally {
      first.destroyForcibly();
      first.waitFor(30, TimeUnit.SECONDS);
    }
    onceSettlesWithOneContainerEach(dir, conf, fleet);
  }

  /** `run --mode once` on the same journal: db and app healthy, one running container each, no exception. */
  private static void onceSettlesWithOneContainerEach(Path dir, Path conf, Path fleet) throws Exception {
    Process second = start(dir, "run", "--mode", "once", "--config", conf.toString(), "--fleet", fleet.toString());
    assertTrue(second.waitFor(120, TimeUnit.SECONDS), "run --mode once did not finish");
    String output = Files.readString(dir.resolve("out.log"));
    assertEquals(0, second.exitValue(), output);
    assertTrue(output.contains("2 of 2 wanted agents healthy"), output);
    List<ContainerInfo> after = docker.runtime().listManaged(docker.fleet());
    assertEquals(2, after.size(), "duplicates or leftovers: " + after);
    assertTrue(after.stream().allMatch(ContainerInfo::running), after.toString());
    assertFalse(output.contains("Exception"), output);
  }

  private static Map<String, String> running() {
    return docker.runtime().listManaged(docker.fleet()).stream().filter(ContainerInfo::running)
        .filter(c -> c.agent().equals("db") || c.agent().equals("app"))
        .collect(Collectors.toMap(ContainerInfo::agent, ContainerInfo::id));
  }

  private static Process start(Path dir, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), "ai.sutazai.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(new File(System.getProperty("user.dir")))
        .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile());
    pb.environment().put("DOCKER_HOST", docker.host());
    return pb.start();
  }
}
