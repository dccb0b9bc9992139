package ai.sutazai.supervisor;

import ai.sutazai.supervisor.protocol.ActivationResult;
import ai.sutazai.supervisor.protocol.AgentEvent;
import ai.sutazai.supervisor.protocol.ScalingDecision;

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
  /** Right-sizing after 3 samples 300 ms apart, limits not below 24 MiB. */
  private static final Map<String, String> FAST_RIGHT_SIZING = Map.of(
      "sutazai.quota.right-sizing.enabled", "on",
      "sutazai.quota.right-sizing.sample-interval", "300ms",
      "sutazai.quota.right-sizing.min-samples", "3",
      "sutazai.quota.right-sizing.min-memory", "24MiB");

  @Test
  void anOversizedLimitIsLoweredToP95PlusHeadroomButNotBelowTheFloor() throws Exception {
    String agent = QuotaHarness.sleeper("fat", 1, "      memory = 64MiB\n      memory-limit = 96MiB");
    try (QuotaHarness q = new QuotaHarness(docker, QuotaHarness.pool(5, "1GiB", 2), agent, FAST_RIGHT_SIZING)) {
      q.activate("fat", null);
      q.h.await("fat", AgentEvent.BecameHealthy.class, LONG);
      String id = q.h.healthyStatus("fat", LONG).containerId();
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

  @Test
  void aRightSizedAgentCountsAtItsNewLimitsSoAWaitingAgentIsAdmitted() throws Exception {
    // Budget 100 MiB: "fat" (request 64 MiB) and "waiting" (48 MiB) do not fit together by their requests.
    String agents = QuotaHarness.sleeper("fat", 1, "      memory = 64MiB\n      memory-limit = 96MiB")
        + QuotaHarness.sleeper("waiting", 1, "      memory = 48MiB");
    try (QuotaHarness q = new QuotaHarness(docker, QuotaHarness.pool(5, "100MiB", 2), agents, FAST_RIGHT_SIZING)) {
      q.activate("fat", null);
      q.h.await("fat", AgentEvent.BecameHealthy.class, LONG);
      ActivationResult queued = q.activate("waiting", null);
      assertEquals(ActivationResult.Outcome.QUEUED, queued.outcome(), queued.toString());
      assertTrue(queued.reason().contains("memory budget"), queued.reason());
      // Right-sizing lowers fat's limit to 24 MiB (a sleeping busybox uses far less): it now counts for 24 MiB,
      // and 24 + 48 fits the 100 MiB budget.
      q.await(ScalingDecision.Kind.RESIZED, "fat", LONG);
      ScalingDecision admitted = q.await(ScalingDecision.Kind.ADMITTED, "waiting", LONG);
      assertTrue(admitted.reason().contains("memory 72 MiB of 100 MiB"), admitted.reason());
      q.h.await("waiting", AgentEvent.BecameHealthy.class, LONG);
      assertEquals((24L + 48) << 20, q.pool().usedMemoryBytes(), "fat counted at its new limit, waiting at its request");
    }
  }

  private static long memoryLimit(String id) {
    return docker.client().inspectContainerCmd(id).exec().getHostConfig().getMemory();
  }

  @Test
  void theLatestStoredBaselineSetsTheLimitBeforeTheLiveWindowIsFull() throws Exception {
    java.nio.file.Path dir = SupervisorHarness.tempDir("rs-baseline");
    String url = "jdbc:h2:file:" + dir.resolve("baselines");
    long mib = 1L << 20;
    // What `sutazai baseline` would have stored: over 360 samples the agent's p95 was 40 MiB (peak 48 MiB)
    // and 10 % of a core (peak 20 %).
    ai.sutazai.metrics.stats.Summary mem = new ai.sutazai.metrics.stats.Summary(360, 8 * mib, 48 * mib, 30 * mib, 4 * mib,
        30 * mib, 38 * mib, 40 * mib, 44 * mib, 30 * mib);
    ai.sutazai.metrics.stats.Summary cpu = new ai.sutazai.metrics.stats.Summary(360, 1, 20, 6, 2, 6, 9, 10, 15, 6);
    long id = ai.sutazai.metrics.baseline.BaselineStore.open(url, "sa", "", "").save(new ai.sutazai.metrics.baseline.Baseline(0,
        java.time.Instant.now(), Duration.ofMinutes(30), Duration.ofSeconds(5), "test", 360, java.util.List.of(
            new ai.sutazai.metrics.baseline.MetricBaseline("sutazai_container_cpu_percent{agent=\"steady\"}", cpu, 0, 0, false),
            new ai.sutazai.metrics.baseline.MetricBaseline("sutazai_container_memory_usage_bytes{agent=\"steady\"}", mem, 0, 0,
                false)))).id();
    String agent = QuotaHarness.sleeper("steady", 1, "      memory = 64MiB\n      memory-limit = 96MiB");
    try (QuotaHarness q = new QuotaHarness(docker, dir, QuotaHarness.pool(5, "1GiB", 2), agent, Map.of(
        "sutazai.quota.right-sizing.enabled", "on",
        "sutazai.quota.right-sizing.sample-interval", "300ms",
        "sutazai.quota.right-sizing.min-samples", "100", // live samples alone would take 30 s
        "sutazai.quota.right-sizing.min-memory", "24MiB",
        "sutazai.metrics.baseline.db-url", url))) {
      q.activate("steady", null);
      q.h.await("steady", AgentEvent.BecameHealthy.class, LONG);
      String containerId = q.h.healthyStatus("steady", LONG).containerId();
      AgentEvent.LimitsAdjusted adjusted = q.h.await("steady", AgentEvent.LimitsAdjusted.class, LONG);
      assertEquals(60 * mib, adjusted.memoryLimitBytes(), "baseline p95 40 MiB + 50 % headroom");
      assertEquals(0.2, adjusted.cpus(), 1e-9, "the baseline's CPU peak 0.2 core is above p95 0.1 x 1.5");
      assertTrue(adjusted.reason().contains("baseline #" + id), adjusted.reason());
      await().atMost(LONG).until(() -> memoryLimit(containerId) == 60 * mib);
    }
  }
}
