package ai.sutazai.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.sutazai.runtime.ContainerInfo;
import ai.sutazai.runtime.ContainerSpec;
import ai.sutazai.runtime.DockerRuntime;
import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.protocol.FleetStatus;
import ai.sutazai.testsupport.DockerTestSupport;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Down;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node loss on REAL engines: node A uses the test engine (DOCKER_HOST), node B its own private engine
 * (cluster/dev/docker-engine.sh with SUTAZAI_DOCKER_DIR, started once here and stopped in @AfterAll), one
 * PostgreSQL journal (SUTAZAI_DB_URL). A is the oldest node: it hosts the pool singleton and the shard
 * coordinator, so its loss is the hard case (singleton, coordinator and agents all move).
 *
 * <p>A is downed (as the Split Brain Resolver would do it): it removes its containers as it shuts down;
 * every agent is active again on B within the failover bound, with exactly one running container per
 * agent across both engines, and a journal in which no agent was written by two incarnations at once.
 * Then A comes back (a new node on A's engine, where a stale container of an agent was left): it removes
 * that container, because the agent's shard is allocated to B.
 */
class ClusterFailoverTest {
  private static final int AGENTS = 4;
  /** Failure detection is skipped (A is downed directly): moving the singletons and agents must fit here. */
  private static final Duration FAILOVER = Duration.ofSeconds(30);
  private static Path engineDir;
  private static String engineB;

  @TempDir Path dir;
  private final List<FleetNode> nodes = new ArrayList<>();
  private final String fleet = "t-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void privateEngine() throws Exception {
    ClusterTestSupport.requireDocker();
    engineDir = Path.of(System.getProperty("java.io.tmpdir"), "sutazai-engine-failover");
    Files.createDirectories(engineDir);
    engineB = "unix://" + engineDir.resolve("docker.sock");
    script("cluster/dev/docker-engine.sh");
    script("cluster/dev/busybox-image.sh");
  }

  @AfterAll
  static void stopPrivateEngine() throws Exception {
    if (engineDir != null) {
      script("cluster/dev/docker-engine.sh", "stop");
    }
  }

  private static void script(String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(new File(System.getProperty("user.dir")))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("SUTAZAI_DOCKER_DIR", engineDir.toString());
    pb.environment().put("DOCKER_HOST", engineB);
    Process p = pb.start();
    if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      fail(String.join(" ", cmd) + " failed: the private Docker engine for node B is not usable (" + engineDir + ")");
    }
  }

  @Test
  void aDownedNodesAgentsRunAgainOnTheSurvivorOnceAndAReturningNodeRemovesWhatItNoLongerOwns() throws Exception {
    Path fleetFile = dir.resolve("fleet.conf");
    StringBuilder agents = new StringBuilder();
    for (int i = 0; i < AGENTS; i++) {
      agents.append("    a").append(i).append(" { image = \"").append(DockerTestSupport.IMAGE)
          .append("\", command = [\"sleep\", \"600\"], memory = 16MiB, cpus = 0.05, activation = always }\n");
    }
    Files.writeString(fleetFile, "sutazai.fleet {\n  name = \"" + fleet + "\"\n  agents {\n" + agents + "  }\n}\n");
    DockerRuntime engineA = DockerRuntime.create(DockerTestSupport.dockerHost(), Duration.ofSeconds(30));
    DockerRuntime engineBRuntime = DockerRuntime.create(engineB, Duration.ofSeconds(30));
    try {
      int portA = DockerTestSupport.freePort();
      FleetNode a = node("a", fleetFile, portA, "127.0.0.1:" + portA, engineA, DockerTestSupport.dockerHost());
      FleetNode b = node("b", fleetFile, DockerTestSupport.freePort(), a.hostPort(), engineBRuntime, engineB);
      await().atMost(Duration.ofSeconds(90)).until(() -> allHealthy(b.status()));
      assertOneContainerPerAgent(engineA, engineBRuntime);

      Cluster.get(b.kit.system()).manager().tell(new Down(a.address));
      await().atMost(FAILOVER).until(() -> a.terminated() && running(engineA).isEmpty()
          && running(engineBRuntime).size() == AGENTS && allHealthy(b.status())
          && reportsRunning(b.status(), running(engineBRuntime)));
      Map<String, String> onB = assertOneContainerPerAgent(engineA, engineBRuntime);
      for (AgentStatus s : b.status().agents()) {
        assertEquals(onB.get(s.name()), s.containerId(), "the journal's container of " + s.name() + " is the one running");
      }
      assertJournalHasOneWriterAtATime();

      // A comes back on its engine, where a container of a0 was left (as after a crash of A).
      String stale = engineA.create(new ContainerSpec("sutazai-" + fleet + "-a0-stale", fleet, "a0", DockerTestSupport.IMAGE,
          List.of("sleep", "600"), Map.of(), 64L << 20, 16L << 20, 0.05, true, Map.of()));
      engineA.start(stale);
      node("a2", fleetFile, DockerTestSupport.freePort(), b.hostPort(), engineA, DockerTestSupport.dockerHost());
      await().atMost(Duration.ofSeconds(30)).until(() -> engineA.listManaged(fleet).isEmpty());
      assertEquals(onB, assertOneContainerPerAgent(engineA, engineBRuntime), "the survivor's containers stay");
    } finally {
      nodes.forEach(FleetNode::close);
      for (DockerRuntime r : List.of(engineA, engineBRuntime)) {
        r.listManaged(fleet).forEach(c -> r.remove(c.id()));
        r.close();
      }
    }
  }

  private FleetNode node(String name, Path fleetFile, int port, String seeds, DockerRuntime runtime, String host)
      throws Exception {
    // Started together, as reference.conf advises for a cluster that should spread its agents from the
    // start. After A is lost the coordinator restarts on B, alone: it must still place shards.
    FleetNode n = new FleetNode(dir.resolve(name), fleetFile, port, seeds, runtime, host,
        Map.of("akka.cluster.min-nr-of-members", 2));
    nodes.add(n);
    return n;
  }

  private static boolean allHealthy(FleetStatus s) {
    return s.agents().size() == AGENTS && s.agents().stream().allMatch(a -> a.phase() == AgentPhase.HEALTHY);
  }

  /** Every agent's status names the container that runs it (a lost node's agents report their new one). */
  private static boolean reportsRunning(FleetStatus s, Map<String, String> running) {
    return s.agents().stream().allMatch(a -> a.containerId() != null && a.containerId().equals(running.get(a.name())));
  }

  private Map<String, String> running(DockerRuntime r) {
    return r.listManaged(fleet).stream().filter(ContainerInfo::running)
        .collect(Collectors.toMap(ContainerInfo::agent, ContainerInfo::id, (x, y) -> x + "," + y));
  }

  /** Exactly one running container per agent across both engines; returns agent -> container id. */
  private Map<String, String> assertOneContainerPerAgent(DockerRuntime... engines) {
    Map<String, String> all = new HashMap<>();
    int count = 0;
    for (DockerRuntime r : engines) {
      for (ContainerInfo c : r.listManaged(fleet)) {
        if (c.running()) {
          count++;
          all.merge(c.agent(), c.id(), (x, y) -> fail("agent " + c.agent() + " runs twice: " + x + " and " + y));
        }
      }
    }
    assertEquals(AGENTS, count, "running containers: " + all);
    assertEquals(AGENTS, all.size());
    return all;
  }

  /**
   * Per agent, the journal's events are numbered 1..n without gaps, and once a new incarnation (writer)
   * has written, the one before never writes again: no two incarnations were active at once.
   */
  private void assertJournalHasOneWriterAtATime() throws Exception {
    try (Connection c = DriverManager.getConnection(ClusterTestSupport.postgresUrl(), ai.sutazai.testsupport.TestDatabase.USER, ai.sutazai.testsupport.TestDatabase.password());
        PreparedStatement q = c.prepareStatement(
            "select sequence_number, writer from event_journal where persistence_id = ? order by sequence_number")) {
      for (int i = 0; i < AGENTS; i++) {
        q.setString(1, "Agent|" + fleet + ":a" + i);
        List<String> writers = new ArrayList<>();
        long expected = 1;
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            assertEquals(expected++, rs.getLong(1), "journal of a" + i + " has a gap");
            String w = rs.getString(2);
            if (writers.isEmpty() || !writers.get(writers.size() - 1).equals(w)) {
              assertTrue(!writers.contains(w), "a" + i + ": an older incarnation wrote again after a newer one: " + writers);
              writers.add(w);
            }
          }
        }
        assertTrue(expected > 1, "no journal for a" + i);
      }
    }
  }
}
