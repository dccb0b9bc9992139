package ai.sutazai.cli.bench.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.runtime.DockerClients;
import ai.sutazai.testsupport.DockerTestSupport;
import com.github.dockerjava.api.DockerClient;
import java.time.Duration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code sutazai bench seed} in small (a dozen agents, under a minute of work per run, runs A and B) on the
 * real engine, as a process: what must hold whatever the machine's speed. The host model is over-committed
 * as the seed's host is, so plain Docker (A) ends in OOM kills and restarts; the supervisor (B) admits only
 * what fits (no OOM kill, no restart) and answers at least as many tasks through the agent front. Afterwards nothing of the
 * bench is left: no container, no cgroup.
 */
class SeedBenchTest {
  @Test
  void plainDockerOverCommitsIntoOomKillsTheSupervisorDoesNot() throws Exception {
    String host = DockerTestSupport.dockerHost();
    DockerClient docker = DockerClients.create(host, Duration.ofSeconds(30));
    docker.pingCmd().exec(); // fails, never skips, without an engine
    Path dir = Files.createTempDirectory("seed-bench-test");
    String prefix = "sutazai-seedtest-" + UUID.randomUUID().toString().substring(0, 4);
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
        "-cp", System.getProperty("java.class.path"), "ai.sutazai.Main", "bench", "seed",
        "--agents", "12", "--duration", "40s", "--rate", "2", "--runs", "A,B", "--format", "json",
        "--name-prefix", prefix, "--fleet", Path.of("conf/fleets/sutazai-69.conf").toAbsolutePath().toString(),
        "--out", dir.resolve("report.html").toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(new File(System.getProperty("user.dir")))
        .redirectOutput(dir.resolve("out.json").toFile()).redirectError(dir.resolve("err.log").toFile());
    pb.environment().put("DOCKER_HOST", host);
    Process p = pb.start();
    try {
      assertTrue(p.waitFor(5, TimeUnit.MINUTES), "bench seed did not finish in 5 minutes");
    } finally {
      p.destroy();
      p.waitFor(60, TimeUnit.SECONDS);
      p.destroyForcibly();
    }
    String err = Files.readString(dir.resolve("err.log"));
    String html = Files.readString(dir.resolve("report.html"));
    assertEquals(0, p.exitValue(), err);
    JsonNode report = new ObjectMapper().readTree(dir.resolve("out.json").toFile());
    try (var files = Files.walk(dir)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
    JsonNode a = report.path("runs").get(0);
    JsonNode b = report.path("runs").get(1);
    assertEquals("A", a.path("name").asText(), report.toString());
    assertEquals("B", b.path("name").asText(), report.toString());
    assertTrue(a.path("oomKills").asInt() > 0, "A: the engine reports no OOM kill: " + a);
    assertTrue(a.path("restarts").asInt() > 0, "A: no restart: " + a);
    assertEquals(0, b.path("oomKills").asInt(), "B: " + b);
    assertEquals(0, b.path("restarts").asInt(), "B: " + b);
    // Same tasks, same host model: the supervisor answers at least as many as plain Docker, whose agents it
    // OOM-kills and restarts (A refuses tasks while they are down; B holds a task while its agent starts).
    int answeredA = a.path("tasks").path("ok").asInt();
    int answeredB = b.path("tasks").path("ok").asInt();
    assertTrue(answeredB > 0 && answeredB >= answeredA, "B answered " + answeredB + " tasks, A " + answeredA + ": A "
        + a.path("tasks") + ", B " + b.path("tasks"));
    assertTrue(html.contains("<svg"), "no charts in the HTML report");

    // nothing left behind
    String left = docker.listContainersCmd().withShowAll(true).exec().stream()
        .flatMap(c -> List.of(c.getNames()).stream()).filter(n -> n.contains(prefix)).toList().toString();
    assertEquals("[]", left, "containers left behind");
    for (String controller : List.of("memory", "cpu", "cpuacct", "blkio", "pids")) {
      try (var groups = Files.list(Path.of("/sys/fs/cgroup", controller))) {
        assertEquals(List.of(), groups.map(g -> g.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList(),
            "cgroups left behind under " + controller);
      }
    }
  }
}
