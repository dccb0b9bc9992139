package ai.sutazai.supervisor;

import ai.sutazai.supervisor.protocol.SupervisorProtocol;

import ai.sutazai.supervisor.pool.ledger.PoolWants;
import ai.sutazai.supervisor.protocol.ActivationResult;
import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.protocol.PoolStatus;
import ai.sutazai.supervisor.protocol.ScalingDecision;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.runtime.ContainerInfo;
import ai.sutazai.runtime.SimulatedRuntime;
import akka.actor.testkit.typed.javadsl.TestProbe;
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

  @Test
  void aPoolWithoutBudgetsGetsEightyPercentOfTheDetectedMemoryAndAllTheDetectedCores() throws Exception {
    // What OSHI reports for this machine, as the supervisor detects it when sutazai.quota.host-memory and
    // host-cpus are not set (reference.conf: 0 = detect).
    oshi.hardware.HardwareAbstractionLayer hw = new oshi.SystemInfo().getHardware();
    long hostMemory = hw.getMemory().getTotal();
    int hostCpus = hw.getProcessor().getLogicalProcessorCount();
    assertTrue(hostMemory > 0 && hostCpus > 0, "OSHI sees no host: " + hostMemory + " bytes, " + hostCpus + " cores");
    // "auto" sets neither budget; "fixed" sets only its memory budget, so only its CPU budget is automatic.
    String pools = "  pools {\n    auto { max-active = 5 }\n    fixed { max-active = 5, memory-budget = 512MiB }\n  }";
    String agents = QuotaHarness.sleeper("a", 1, "      pool = \"auto\"") + QuotaHarness.sleeper("f", 1, "      pool = \"fixed\"");
    try (QuotaHarness q = QuotaHarness.simulated(runtime, fleet, pools, agents, Map.of())) {
      PoolStatus auto = pool(q, "auto");
      assertEquals((long) Math.floor(hostMemory * 0.8), auto.memoryBudgetBytes(), "memory-utilisation-target 0.8 of " + hostMemory);
      assertEquals(hostCpus * 1.0, auto.cpuBudget(), 1e-9, "cpu-utilisation-target 1.0 of " + hostCpus + " cores");
      PoolStatus fixed = pool(q, "fixed");
      assertEquals(512L << 20, fixed.memoryBudgetBytes());
      assertEquals(hostCpus * 1.0, fixed.cpuBudget(), 1e-9);
    }
  }

  @Test
  void aConfiguredHostReplacesTheDetectedOneInTheAutomaticBudgets() throws Exception {
    // A 10 GiB host with 5 cores more than this one (a machine of exactly 10 GiB would prove nothing: it says so).
    oshi.hardware.HardwareAbstractionLayer hw = new oshi.SystemInfo().getHardware();
    int hostCpus = hw.getProcessor().getLogicalProcessorCount();
    int configuredCpus = hostCpus + 5;
    assertTrue(hw.getMemory().getTotal() != 10L << 30, "this machine has the configured host's memory");
    String pools = "  pools { default { max-active = 5 } }";
    try (QuotaHarness q = QuotaHarness.simulated(runtime, fleet, pools, QuotaHarness.sleeper("a", 1, ""),
        Map.of("sutazai.quota.host-memory", "10GiB", "sutazai.quota.host-cpus", String.valueOf(configuredCpus)))) {
      PoolStatus p = pool(q, "default");
      assertEquals(8L << 30, p.memoryBudgetBytes(), "0.8 x 10 GiB");
      assertEquals(configuredCpus, p.cpuBudget(), 1e-9);
    }
    // Only the memory configured: the cores are still detected.
    try (QuotaHarness q = QuotaHarness.simulated(runtime, fleet + "-m", pools, QuotaHarness.sleeper("a", 1, ""),
        Map.of("sutazai.quota.host-memory", "10GiB"))) {
      PoolStatus p = pool(q, "default");
      assertEquals(8L << 30, p.memoryBudgetBytes(), "0.8 x 10 GiB");
      assertEquals(hostCpus * 1.0, p.cpuBudget(), 1e-9);
    }
  }

  /** The named pool's status, once the pool answers (pools boot after the supervisor has started). */
  private static PoolStatus pool(QuotaHarness q, String name) {
    return await().atMost(LONG).until(() -> {
      TestProbe<List<PoolStatus>> p = q.h.kit.createTestProbe();
      q.h.supervisor.tell(new SupervisorProtocol.GetPools(p.getRef()));
      return p.receiveMessage(Duration.ofSeconds(10)).stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }, s -> s != null);
  }

  private static boolean healthy(QuotaHarness q, String agent) {
    AgentStatus s = q.h.status(agent);
    return s != null && s.phase() == AgentPhase.HEALTHY && s.desiredActive();
  }

  private List<String> running() {
    return runtime.listManaged(fleet).stream().filter(ContainerInfo::running).map(ContainerInfo::agent).sorted().toList();
  }
}
