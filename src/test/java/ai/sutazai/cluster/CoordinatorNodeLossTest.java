package ai.sutazai.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.runtime.ContainerInfo;
import ai.sutazai.runtime.SimulatedRuntime;
import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.FleetStatus;
import ai.sutazai.testsupport.DockerTestSupport;
import akka.cluster.Member;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Down;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster started together (akka.cluster.min-nr-of-members = its node count, as reference.conf advises)
 * loses a node abruptly, without leaving. When it is the oldest, the shard coordinator and the pool
 * singleton die with it and move to the survivor, which is now alone, below min-nr-of-members: its new
 * coordinator must still place the lost node's shards. When it is the youngest, the pool stays and
 * registers again the agents that last ran there. Either way every agent runs again on the survivor.
 * (A coordinator without a sharding role waits for min-nr-of-members regions whenever it starts, and
 * would have ignored every request for a shard from then on.) SimulatedRuntime per node; PostgreSQL
 * journal (SUTAZAI_DB_URL).
 */
class CoordinatorNodeLossTest {
  private static final int AGENTS = 6;
  @TempDir Path dir;
  private final List<FleetNode> nodes = new ArrayList<>();
  private final List<SimulatedRuntime> runtimes = new ArrayList<>();

  @AfterEach
  void shutDown() {
    nodes.forEach(FleetNode::close);
    runtimes.forEach(SimulatedRuntime::close);
  }

  /**
   * {@code oldest}: the lost node is the oldest (shard coordinator and pool singleton move too), else the
   * youngest (the pool stays and registers again only the agents that last reported from the lost node).
   */
  @ParameterizedTest(name = "lost node is the oldest: {0}")
  @ValueSource(booleans = {true, false})
  void theSurvivorRunsEveryAgentAgain(boolean oldest) throws Exception {
    String fleet = "t-" + UUID.randomUUID().toString().substring(0, 8);
    Path fleetFile = dir.resolve("fleet.conf");
    StringBuilder agents = new StringBuilder();
    for (int i = 0; i < AGENTS; i++) {
      agents.append("    a").append(i).append(" { image = \"sim/agent:1\", memory = 16MiB, cpus = 0.05, activation = always }\n");
    }
    Files.writeString(fleetFile, "sutazai.fleet {\n  name = \"" + fleet + "\"\n  agents {\n" + agents + "  }\n}\n");
    int portA = DockerTestSupport.freePort();
    FleetNode a = node("a", fleetFile, portA, "127.0.0.1:" + portA);
    FleetNode b = node("b", fleetFile, DockerTestSupport.freePort(), a.hostPort());
    await().atMost(Duration.ofSeconds(60)).until(() -> allHealthy(b.status()));

    // The oldest member hosts the coordinator and the singletons (nodes moved Up together are ordered by address).
    Member first = Cluster.get(b.kit.system()).state().getMembers().iterator().next();
    for (Member m : Cluster.get(b.kit.system()).state().getMembers()) {
      if (m.isOlderThan(first)) {
        first = m;
      }
    }
    boolean aIsOldest = first.address().equals(a.address);
    int victim = aIsOldest == oldest ? 0 : 1;
    assertTrue(runtimes.get(victim).listManaged(fleet).stream().anyMatch(ContainerInfo::running),
        "the lost node ran some of the agents");
    FleetNode dead = nodes.get(victim);
    FleetNode survivor = nodes.get(1 - victim);
    SimulatedRuntime survivorEngine = runtimes.get(1 - victim);
    dead.kit.system().terminate(); // no leave, no hand-off: as if the process was killed
    // and its sockets closed, as the kernel closes a killed process's (without a coordinated shutdown, nothing else
    // would close a TLS connection Akka leaves open while the survivor keeps it: see RemotingShutdown)
    RemotingShutdown.abortConnections(dead.kit.system().classicSystem());
    runtimes.get(victim).close();
    await().atMost(Duration.ofSeconds(30)).until(dead::terminated);
    // What the Split Brain Resolver decides for a majority (with two nodes, keep-majority keeps the lowest address).
    Cluster.get(survivor.kit.system()).manager().tell(new Down(dead.address));

    await().atMost(Duration.ofSeconds(60)).until(() -> survivorEngine.listManaged(fleet).stream()
        .filter(ContainerInfo::running).count() == AGENTS && allHealthy(survivor.status()));
    assertEquals(AGENTS, survivorEngine.listManaged(fleet).stream().filter(ContainerInfo::running)
        .map(ContainerInfo::agent).distinct().count(), "one running container per agent on the survivor");
  }

  private FleetNode node(String name, Path fleetFile, int port, String seeds) throws Exception {
    SimulatedRuntime runtime = SimulatedRuntime.create();
    runtimes.add(runtime);
    Map<String, Object> o = new HashMap<>();
    o.put("akka.cluster.min-nr-of-members", 2);
    // Killed, not stopped: no graceful leave and no shard hand-off when its system terminates.
    o.put("akka.coordinated-shutdown.run-by-actor-system-terminate", "off");
    for (String phase : List.of("cluster-sharding-shutdown-region", "cluster-leave", "cluster-exiting")) {
      o.put("akka.coordinated-shutdown.phases." + phase + ".enabled", "off");
    }
    FleetNode n = new FleetNode(dir.resolve(name), fleetFile, port, seeds, runtime, "unix:///nonexistent.sock", o);
    nodes.add(n);
    return n;
  }

  private static boolean allHealthy(FleetStatus s) {
    return s.agents().size() == AGENTS && s.agents().stream().allMatch(x -> x.phase() == AgentPhase.HEALTHY);
  }
}
