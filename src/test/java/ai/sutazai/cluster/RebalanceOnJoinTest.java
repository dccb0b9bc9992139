package ai.sutazai.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.sutazai.runtime.ContainerInfo;
import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.protocol.SupervisorProtocol;
import ai.sutazai.testsupport.DockerTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes started one after another, as cluster/local/start.sh starts them: the whole fleet first lands on
 * the only node, and a node that joins later gets its share of the agents (the shard coordinator's
 * rebalance, by the capacity rule), one idle agent at a time, never a busy one, and no agent ever runs
 * in two nodes' engines at once. Two nodes in this JVM, each with a SimulatedRuntime of its own (its
 * "engine"), the shared PostgreSQL journal; a short rebalance interval and busy window keep it quick.
 */
class RebalanceOnJoinTest {
  private static final List<String> AGENTS = List.of("a1", "a2", "a3", "a4", "a5", "hot");
  @TempDir Path dir;
  private SimulatedNodes cluster;

  @BeforeEach
  void setUp() {
    cluster = new SimulatedNodes(dir);
  }

  @AfterEach
  void shutDown() {
    cluster.close();
  }

  @Test
  void aNodeThatJoinsLaterGetsItsShareOfIdleAgentsAndABusyOneStays() throws Exception {
    String fleet = "t-" + UUID.randomUUID().toString().substring(0, 8);
    Path fleetFile = dir.resolve("fleet.conf");
    StringBuilder agents = new StringBuilder();
    for (String a : AGENTS) {
      // "hot" is the largest: the rebalance would move it first, were it not busy.
      agents.append("    ").append(a).append(" { image = \"sim/agent:1\", command = [\"sleep\", \"600\"], memory = ")
          .append(a.equals("hot") ? "128MiB" : "64MiB").append(", cpus = 0.05, activation = always }\n");
    }
    Files.writeString(fleetFile, "sutazai.fleet {\n  name = \"" + fleet + "\"\n  agents {\n" + agents + "  }\n}\n");
    Map<String, Object> quick = Map.of("akka.cluster.sharding.rebalance-interval", "1s", "sutazai.quota.busy-window", "2s");
    int portA = DockerTestSupport.freePort();
    FleetNode a = cluster.start("a", fleetFile, portA, "127.0.0.1:" + portA, quick);
    await().atMost(Duration.ofSeconds(60)).until(() -> onNode(a, a.address.toString()).size() == AGENTS.size());
    // An inference in flight for "hot" (as the router reports it): busy, it must not move.
    a.supervisor.tell(new SupervisorProtocol.Busy("hot", true));

    FleetNode b = cluster.start("b", fleetFile, DockerTestSupport.freePort(), a.hostPort(), quick);
    List<String> twice = new ArrayList<>();
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
      twice.addAll(runningInBoth(a, b, fleet));
      List<String> onB = onNode(a, b.address.toString());
      // 5 x 64 MiB + 128 MiB on A: three 64 MiB agents move (then B has 192 MiB, A 256); moving "hot" first
      // would leave B with "hot" and one other.
      return onB.size() == 3 && onNode(a, a.address.toString()).size() == 3;
    });
    assertEquals(List.of(), twice, "no agent ran in both engines at once while moving");
    assertEquals(a.address.toString(), a.status("hot").node(), "the busy agent stays where it runs");
    Map<String, Long> running = new HashMap<>();
    for (FleetNode n : List.of(a, b)) {
      for (ContainerInfo c : n.runtime.listManaged(fleet)) {
        if (c.running()) {
          running.merge(c.agent(), 1L, Long::sum);
        }
      }
    }
    Map<String, Long> once = new HashMap<>();
    AGENTS.forEach(x -> once.put(x, 1L));
    assertEquals(once, running, "each agent has exactly one running container across both engines");
    AGENTS.forEach(x -> assertEquals(AgentPhase.HEALTHY, a.status(x).phase(), x));
  }

  /** The agents HEALTHY on {@code node}, as {@code seenFrom}'s management view reports them. */
  private static List<String> onNode(FleetNode seenFrom, String node) {
    return seenFrom.status().agents().stream()
        .filter(s -> s.phase() == AgentPhase.HEALTHY && node.equals(s.node())).map(AgentStatus::name).sorted().toList();
  }

  private static List<String> runningInBoth(FleetNode a, FleetNode b, String fleet) {
    List<String> onA = a.runtime.listManaged(fleet).stream().filter(ContainerInfo::running).map(ContainerInfo::agent).toList();
    return b.runtime.listManaged(fleet).stream().filter(ContainerInfo::running).map(ContainerInfo::agent)
        .filter(onA::contains).toList();
  }
}
