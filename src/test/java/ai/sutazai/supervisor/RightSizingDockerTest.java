package ai.sutazai.supervisor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.testsupport.DockerTestSupport;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Right-sizing on the real engine: observed usage becomes the running container's limit through docker update. */
class RightSizingDockerTest {
  @RegisterExtension static final DockerTestSupport docker = new DockerTestSupport();

  private static final Duration LONG = Duration.ofSeconds(60);

  @Test
  void anOversizedLimitIsLoweredToP95PlusHeadroomButNotBelowTheFloor() throws Exception {
    String agent = QuotaHarness.sleeper("fat", 1, "      memory = 64MiB\n      memory-limit = 96MiB");
    try (QuotaHarness q = new QuotaHarness(docker, QuotaHarness.pool(5, "1GiB", 2), agent, Map.of(
        "sutazai.quota.right-sizing.enabled", "on",
        "sutazai.quota.right-sizing.sample-interval", "300ms",
        "sutazai.quota.right-sizing.min-samples", "3",
        "sutazai.quota.right-sizing.min-memory", "24MiB"))) {
      q.activate("fat", null);
      q.h.await("fat", AgentEvent.BecameHealthy.class, LONG);
      String id = q.h.status("fat").containerId();
      assertEquals(96L << 20, memoryLimit(id));
      AgentEvent.LimitsAdjusted adjusted = q.h.await("fat", AgentEvent.LimitsAdjusted.class, LONG);
      // A sleeping busybox uses well under 1 MiB: p95 x 1.5 is below the floor, so the floor wins.
      assertEquals(24L << 20, adjusted.memoryLimitBytes());
      assertEquals(id, adjusted.containerId());
      assertTrue(adjusted.reason().contains("memory limit 96 MiB -> 24 MiB"), adjusted.reason());
      await().atMost(LONG).until(() -> memoryLimit(id) == 24L << 20);
      ScalingDecision d = q.await(ScalingDecision.Kind.RESIZED, "fat", LONG);
      assertEquals(adjusted.reason(), d.reason());
    }
  }

  private static long memoryLimit(String id) {
    return docker.client().inspectContainerCmd(id).exec().getHostConfig().getMemory();
  }
}
