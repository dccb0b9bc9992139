package ai.sutazai.supervisor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.runtime.ContainerInfo;
import ai.sutazai.runtime.SimulatedRuntime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Quota behaviour that needs no real containers: the real supervisor (guardian, pools, H2 journal in a temp
 * dir, a cluster of one) on a SIMULATED engine ({@link SimulatedRuntime}), through {@link QuotaHarness}.
 */
class QuotaSimulatedTest {
  private static final Duration LONG = Duration.ofSeconds(30);

  private final SimulatedRuntime runtime = SimulatedRuntime.create();
  private final String fleet = "sim-" + UUID.randomUUID().toString().substring(0, 8);

  @AfterEach
  void closeRuntime() {
    runtime.close();
  }

  @Test
  void theAgentCountedByMinActiveIsNeverStoppedForIdlenessWhileAnotherIdleAgentIs() throws Exception {
    // PoolWants.exemptAgents: min-active exempts the pool's first N agents in admission order (priority first,
    // then smaller memory, then name), not the first listed nor the first by name: "zeta" (priority 9, listed
    // last) is the one, "alpha" (priority 1) is not. Both are on demand with a 1 s idle-timeout.
    String pools = "  pools { default { max-active = 5, memory-budget = 1GiB, cpu-budget = 2, min-active = 1 } }";
    String agents = QuotaHarness.sleeper("alpha", 1, "      idle-timeout = 1s")
        + QuotaHarness.sleeper("zeta", 9, "      idle-timeout = 1s");
    try (QuotaHarness q = QuotaHarness.simulated(runtime, fleet, pools, agents,
        Map.of("sutazai.quota.busy-window", "200ms"))) {
      // min-active starts zeta at boot, without any request.
      await().atMost(LONG).until(() -> healthy(q, "zeta"));
      assertEquals(ActivationResult.Outcome.STARTING, q.activate("alpha", null).outcome());
      // alpha idles out: at least 1 s after its activation, which came after zeta's boot admission, so zeta's
      // idle-timeout has passed too by then.
      ScalingDecision stop = q.await(ScalingDecision.Kind.IDLE_STOPPED, "alpha", LONG);
      assertTrue(stop.reason().startsWith("stopped alpha: idle "), stop.reason());
      await().atMost(LONG).until(() -> !running().contains("alpha") && q.h.status("alpha").phase() == AgentPhase.INACTIVE);
      // zeta stays up through about ten more idle checks (every 200 ms), each well past its idle-timeout.
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() ->
          healthy(q, "zeta") && running().contains("zeta") && q.publishedFor(ScalingDecision.Kind.IDLE_STOPPED, "zeta").isEmpty());
      assertEquals(1, q.pool().activeCount());
    }
  }

  private static boolean healthy(QuotaHarness q, String agent) {
    AgentStatus s = q.h.status(agent);
    return s != null && s.phase() == AgentPhase.HEALTHY && s.desiredActive();
  }

  private List<String> running() {
    return runtime.listManaged(fleet).stream().filter(ContainerInfo::running).map(ContainerInfo::agent).sorted().toList();
  }
}
