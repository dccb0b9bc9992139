package ai.sutazai.supervisor;

import ai.sutazai.supervisor.protocol.SupervisorProtocol;

import ai.sutazai.supervisor.container.HostPressure;
import ai.sutazai.supervisor.protocol.ActivationResult;
import ai.sutazai.supervisor.protocol.ActivationSource;
import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.FleetStatus;
import ai.sutazai.supervisor.protocol.PoolStatus;
import ai.sutazai.supervisor.settings.SupervisorSettings;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.app.SutazaiGuardian;
import ai.sutazai.common.Settings;
import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.fleet.HealthSpec;
import ai.sutazai.fleet.PoolSpec;
import ai.sutazai.runtime.SimulatedRuntime;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Traffic (a Busy pair per inference request, as the router sends them, and a Touch per API call) arriving in bursts
 * while the pool is writing decisions to its journal. The pool goes on deciding and answering: traffic
 * never waits in the journal's stash (thousands of stashed commands that persist nothing overflowed the
 * thread's stack when Akka 2.6 unstashed them, and the pool, or with the default settings the JVM, died).
 * SimulatedRuntime, H2 journal in a temp dir, a cluster of one.
 */
class PoolTrafficTest {
  private static final int AGENTS = 8;
  private static final int REQUESTS_PER_BURST = 5_000;

  @Test
  void burstsOfTrafficDuringJournalWritesNeitherStallNorKillThePool() throws Exception {
    Config conf = Settings.load(null, ConfigFactory.parseMap(Map.of(
        "sutazai.data-dir", SupervisorHarness.tempDir("traffic").toString(),
        "sutazai.quota.right-sizing.enabled", "off",
        "akka.remote.artery.canonical.port", "0",
        // A stack overflow kills only the actor system here, so the test can report it.
        "akka.jvm-exit-on-fatal-error", "off")));
    Map<String, AgentSpec> agents = new LinkedHashMap<>();
    for (int i = 0; i < AGENTS; i++) {
      String name = "agent-" + i;
      agents.put(name, new AgentSpec(name, "sim/agent:1", List.of(), Map.of(), 16L << 20, 16L << 20, 0.05, 0, List.of(), null,
          HealthSpec.NONE, List.of(), AgentSpec.Activation.ON_DEMAND, "default", null, null));
    }
    FleetSpec fleet = new FleetSpec("traffic-" + System.nanoTime(), null, agents,
        Map.of("default", new PoolSpec("default", AGENTS, 1L << 30, AGENTS, 0)));
    ActorTestKit kit = ActorTestKit.create("traffic", conf);
    ai.sutazai.cluster.ClusterNode.join(kit.system(), conf);
    SimulatedRuntime runtime = SimulatedRuntime.create();
    try {
      CompletableFuture<SutazaiGuardian.Started> started = new CompletableFuture<>();
      kit.spawn(SutazaiGuardian.create(new SutazaiGuardian.Inputs(fleet, runtime, SupervisorSettings.fromConfig(conf),
          HostPressure.fixed(false, 1), started)), "guardian");
      ActorRef<SupervisorProtocol.Command> sup = started.get(60, TimeUnit.SECONDS).fleet();

      TestProbe<List<PoolStatus>> pools = kit.createTestProbe();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        sup.tell(new SupervisorProtocol.GetPools(pools.getRef()));
        return pools.receiveMessage(Duration.ofSeconds(10)).size() == 1;
      });
      TestProbe<StatusReply<ActivationResult>> replies = kit.createTestProbe();
      for (String agent : agents.keySet()) {
        // Each activation is a journal write; the burst right behind it arrives while the write is under way.
        sup.tell(new SupervisorProtocol.Activate(agent, ActivationSource.API, "traffic test", null, replies.getRef()));
        for (int r = 0; r < REQUESTS_PER_BURST; r++) {
          sup.tell(new SupervisorProtocol.Busy(agent, true));
          sup.tell(new SupervisorProtocol.Touch(agent));
          sup.tell(new SupervisorProtocol.Busy(agent, false));
        }
      }
      for (int i = 0; i < AGENTS; i++) {
        StatusReply<ActivationResult> r = replies.receiveMessage(Duration.ofSeconds(30));
        assertTrue(r.isSuccess() && r.getValue().outcome() != ActivationResult.Outcome.REJECTED, r.toString());
      }
      TestProbe<FleetStatus> status = kit.createTestProbe();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        sup.tell(new SupervisorProtocol.GetStatus(status.getRef()));
        return status.receiveMessage().agents().stream().filter(a -> a.phase() == AgentPhase.HEALTHY).count() == AGENTS;
      });
      sup.tell(new SupervisorProtocol.GetPools(pools.getRef()));
      assertEquals(AGENTS, pools.receiveMessage(Duration.ofSeconds(10)).get(0).activeCount());
    } finally {
      kit.shutdownTestKit();
      runtime.close();
    }
  }
}
