package ai.sutazai.cluster;

import ai.sutazai.supervisor.protocol.SupervisorProtocol;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.sutazai.runtime.SimulatedRuntime;
import ai.sutazai.supervisor.protocol.ActivationResult;
import ai.sutazai.supervisor.protocol.ActivationSource;
import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.FleetSupervisor;
import ai.sutazai.supervisor.protocol.PoolStatus;
import ai.sutazai.testsupport.DockerTestSupport;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Leave;
import akka.pattern.StatusReply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oldest node, which hosts the pool singleton, leaves gracefully: the singleton hands over to the
 * other node and recovers from the shared PostgreSQL journal (SUTAZAI_DB_URL) with the runtime quota and
 * the queue as they were (same agents, same positions), and a queued request is admitted later. Each node
 * has a SimulatedRuntime: only the pool's ledger matters here, a real engine would add nothing.
 * Requests and answers go through node B while the singleton runs on A, so they cross the network.
 */
class SingletonHandoverTest {
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
  void theQuotaAndTheQueueSurviveTheHandoverAndAQueuedRequestIsAdmittedLater() throws Exception {
    String fleet = "t-" + UUID.randomUUID().toString().substring(0, 8);
    Path fleetFile = dir.resolve("fleet.conf");
    StringBuilder agents = new StringBuilder();
    for (String a : List.of("x", "y", "z")) {
      agents.append("    ").append(a).append(" { image = \"sim/agent:1\", command = [\"sleep\", \"600\"], memory = 16MiB, ")
          .append("cpus = 0.05, activation = on-demand }\n");
    }
    Files.writeString(fleetFile, "sutazai.fleet {\n  name = \"" + fleet + "\"\n"
        + "  pools { default { max-active = 3, memory-budget = 1GiB, cpu-budget = 2 } }\n  agents {\n" + agents + "  }\n}\n");
    int portA = DockerTestSupport.freePort();
    FleetNode a = node("a", fleetFile, portA, "127.0.0.1:" + portA);
    FleetNode b = node("b", fleetFile, DockerTestSupport.freePort(), a.hostPort());
    await().atMost(Duration.ofSeconds(30)).until(() -> b.status().agents().size() == 3);

    TestProbe<StatusReply<PoolStatus>> quota = b.kit.createTestProbe();
    b.supervisor.tell(new SupervisorProtocol.SetQuota("default", 1, null, null, quota.getRef()));
    assertEquals(1, quota.receiveMessage(Duration.ofSeconds(15)).getValue().maxActive());
    assertEquals(ActivationResult.Outcome.STARTING, activate(b, "x").outcome());
    ActivationResult y = activate(b, "y");
    ActivationResult z = activate(b, "z");
    assertEquals(List.of(ActivationResult.Outcome.QUEUED, ActivationResult.Outcome.QUEUED), List.of(y.outcome(), z.outcome()));
    assertEquals(List.of(1, 2), List.of(y.position(), z.position()));
    List<String> before = queue(b.pools().get(0));

    Cluster.get(a.kit.system()).manager().tell(new Leave(a.address));
    await().atMost(Duration.ofSeconds(30)).until(a::terminated);
    await().atMost(Duration.ofSeconds(30)).until(() -> b.pools().size() == 1);
    PoolStatus after = b.pools().get(0);
    assertEquals(1, after.maxActive(), "the quota set at runtime survives the handover");
    assertEquals(before, queue(after), "the queue survives the handover, positions unchanged");
    assertEquals(List.of("y@1", "z@2"), queue(after));

    TestProbe<StatusReply<akka.Done>> done = b.kit.createTestProbe();
    b.supervisor.tell(new SupervisorProtocol.DeactivateAgent("x", "test is done with it", done.getRef()));
    done.receiveMessage(Duration.ofSeconds(15)).getValue();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      AgentStatus s = b.status("y");
      return s != null && s.desiredActive() && s.phase() == AgentPhase.HEALTHY;
    });
    assertEquals(List.of("z@1"), queue(b.pools().get(0)));
  }

  private FleetNode node(String name, Path fleetFile, int port, String seeds) throws Exception {
    return cluster.start(name, fleetFile, port, seeds);
  }

  private static ActivationResult activate(FleetNode n, String agent) {
    TestProbe<StatusReply<ActivationResult>> p = n.kit.createTestProbe();
    n.supervisor.tell(new SupervisorProtocol.Activate(agent, ActivationSource.API, "test", null, p.getRef()));
    return p.receiveMessage(Duration.ofSeconds(20)).getValue();
  }

  private static List<String> queue(PoolStatus p) {
    return p.queue().stream().map(q -> q.agent() + "@" + q.position()).toList();
  }
}
