package ai.sutazai.supervisor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.testsupport.DockerTestSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An agent taken out of the fleet spec, on the real Docker engine: the next supervisor journals it as
 * removed and removes its container, never starting it again, while the agents that stayed are adopted.
 */
class DepartedAgentDockerTest {
  @RegisterExtension static final DockerTestSupport docker = new DockerTestSupport();

  private static final Duration LONG = Duration.ofSeconds(60);

  @Test
  void anAgentThatLeftTheFleetIsJournalledAsRemovedAndItsContainerRemoved() throws Exception {
    Path dir = SupervisorHarness.tempDir("departed");
    int keepPort = DockerTestSupport.freePort();
    int gonePort = DockerTestSupport.freePort();
    String keep = SupervisorHarness.httpAgent("keep", keepPort, "");
    String keepContainer;
    String goneContainer;
    try (SupervisorHarness h = new SupervisorHarness(docker, dir, "  agents {\n" + keep
        + SupervisorHarness.httpAgent("gone", gonePort, "") + "  }", HostPressure.fixed(false, 1), Map.of())) {
      keepContainer = h.healthyStatus("keep", LONG).containerId();
      goneContainer = h.healthyStatus("gone", LONG).containerId();
    }
    assertTrue(docker.isRunning(goneContainer), "a graceful stop leaves the containers running");

    try (SupervisorHarness h = new SupervisorHarness(docker, dir, "  agents {\n" + keep + "  }",
        HostPressure.fixed(false, 1), Map.of())) {
      AgentEvent.Removed removed = h.await("gone", AgentEvent.Removed.class, LONG);
      assertEquals(DepartedAgents.REASON, removed.reason());
      await().atMost(LONG).until(() -> !docker.exists(goneContainer));
      assertEquals(keepContainer, h.healthyStatus("keep", LONG).containerId(), "keep was adopted, not replaced");
      assertTrue(h.seen.stream().noneMatch(p -> p.agent().equals("gone") && (p.event() instanceof AgentEvent.ContainerStarted
          || p.event() instanceof AgentEvent.ContainerCreated)), "gone was never started again");
    }

    // A third start finds it already removed: nothing more is journalled for it.
    try (SupervisorHarness h = new SupervisorHarness(docker, dir, "  agents {\n" + keep + "  }",
        HostPressure.fixed(false, 1), Map.of())) {
      assertEquals(keepContainer, h.healthyStatus("keep", LONG).containerId());
      assertTrue(h.seen.stream().noneMatch(p -> p.agent().equals("gone")), "gone is left as it is");
    }
  }
}
