package ai.sutazai.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.api.Result;
import ai.sutazai.api.live.LiveBackend;
import ai.sutazai.api.view.AgentView;
import ai.sutazai.fleet.FleetLoader;
import ai.sutazai.runtime.SimulatedRuntime;
import ai.sutazai.testsupport.DockerTestSupport;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Down;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management API of a survivor keeps answering while the node holding the pool singletons is downed: node A
 * (the oldest, so it hosts the pool singletons) is downed from B, and B's management backend, asked again and again
 * until the pool answers from B, answers every time within a second, with the agents marked stale (since when B
 * last heard from the pool) while the pool cannot be reached, and fresh again once the singleton runs on B.
 * Each node has a SimulatedRuntime (only the pool's reachability matters); one PostgreSQL journal (SUTAZAI_DB_URL).
 */
class ApiDuringFailoverTest {
  private static final Duration ANSWER_BOUND = Duration.ofSeconds(1);

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
  void aSurvivorListsTheAgentsWithinASecondThroughoutTheFailoverStaleWhileThePoolIsUnreachable() throws Exception {
    String fleet = "t-" + UUID.randomUUID().toString().substring(0, 8);
    Path fleetFile = dir.resolve("fleet.conf");
    Files.writeString(fleetFile, "sutazai.fleet {\n  name = \"" + fleet + "\"\n"
        + "  pools { default { max-active = 3, memory-budget = 1GiB, cpu-budget = 2 } }\n  agents {\n"
        + "    x { image = \"sim/agent:1\", command = [\"sleep\", \"600\"], memory = 16MiB, cpus = 0.05, activation = always }\n"
        + "    y { image = \"sim/agent:1\", command = [\"sleep\", \"600\"], memory = 16MiB, cpus = 0.05, activation = on-demand }\n"
        + "  }\n}\n");
    int portA = DockerTestSupport.freePort();
    FleetNode a = node("a", fleetFile, portA, "127.0.0.1:" + portA);
    FleetNode b = node("b", fleetFile, DockerTestSupport.freePort(), a.hostPort());
    LiveBackend api = new LiveBackend(b.kit.system(), b.kit.system().settings().config(),
        FleetLoader.load(fleetFile, b.kit.system().settings().config()), b.runtime, b.supervisor, null, null, null);
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      List<AgentView> all = agents(api);
      return all.size() == 2 && all.stream().noneMatch(AgentView::stale) && all.get(0).node() != null;
    });
    Instant upAt = Instant.now();

    Cluster.get(b.kit.system()).manager().tell(new Down(a.address));
    List<AgentView> stale = new ArrayList<>();
    List<Instant> staleAnsweredAt = new ArrayList<>();
    int[] asked = {0};
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
      long start = System.nanoTime();
      List<AgentView> all = agents(api);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      asked[0]++;
      assertTrue(took.compareTo(ANSWER_BOUND) < 0, "GET /api/v1/agents took " + took.toMillis() + " ms during the failover");
      assertEquals(2, all.size());
      if (all.stream().anyMatch(AgentView::stale)) {
        stale.addAll(all);
        all.forEach(v -> staleAnsweredAt.add(Instant.now()));
      }
      return !stale.isEmpty() && all.stream().noneMatch(AgentView::stale);
    });
    assertFalse(stale.isEmpty(), "the agents were marked stale while the pool could not be reached");
    for (int i = 0; i < stale.size(); i++) {
      AgentView v = stale.get(i);
      assertTrue(v.stale(), v.name() + ": every agent of the unreachable pool is stale");
      assertNotNull(v.staleSince(), v.name() + ": stale since when B last heard from the pool");
      // B heard from the pool while it was up (it may still answer in the moments after the Down is sent), and
      // before the answer that marked it stale.
      assertFalse(v.staleSince().isBefore(upAt.minusSeconds(60)), v.name() + ": staleSince " + v.staleSince() + " is not recent");
      assertFalse(v.staleSince().isAfter(staleAnsweredAt.get(i)), v.name() + ": staleSince " + v.staleSince()
          + " is after the stale answer at " + staleAnsweredAt.get(i));
    }
    System.out.println("ApiDuringFailoverTest: " + asked[0] + " answers during the failover, "
        + stale.size() / 2 + " of them stale");
    await().atMost(Duration.ofSeconds(30)).until(a::terminated);

  }

  private static List<AgentView> agents(LiveBackend api) throws Exception {
    Result<List<AgentView>> r = api.agents().toCompletableFuture().get(5, TimeUnit.SECONDS);
    return ((Result.Ok<List<AgentView>>) r).value();
  }

  private FleetNode node(String name, Path fleetFile, int port, String seeds) throws Exception {
    return cluster.start(name, fleetFile, port, seeds);
  }
}
