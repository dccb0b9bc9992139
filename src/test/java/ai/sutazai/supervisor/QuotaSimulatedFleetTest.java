package ai.sutazai.supervisor;

import ai.sutazai.supervisor.protocol.SupervisorProtocol;

import ai.sutazai.supervisor.container.HostPressure;
import ai.sutazai.supervisor.protocol.ActivationResult;
import ai.sutazai.supervisor.protocol.ActivationSource;
import ai.sutazai.supervisor.protocol.AgentEventPublished;
import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.protocol.FleetStatus;
import ai.sutazai.supervisor.protocol.PoolStatus;
import ai.sutazai.supervisor.settings.SupervisorSettings;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.app.SutazaiGuardian;
import ai.sutazai.capacity.CapacityAnalysis;
import ai.sutazai.common.Settings;
import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.FleetLoader;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.fleet.HealthSpec;
import ai.sutazai.fleet.PoolSpec;
import ai.sutazai.runtime.SimulatedRuntime;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.typed.javadsl.Behaviors;
import akka.pattern.StatusReply;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The seed's 69-agent fleet (47.3 GiB, 40.5 CPUs requested) on a SIMULATED 29 GiB / 12-core host
 * (SimulatedRuntime; H2 journal in a temp dir): with every agent asked for, admitted requests never exceed
 * the budgets at any moment, and as many agents run as the capacity analysis says fit.
 */
class QuotaSimulatedFleetTest {

  @Test
  void theSeedFleetOnTheSeedHostRunsWhatFitsAndNeverMore() throws Exception {
    Config base = Settings.load(null, ConfigFactory.parseMap(Map.of(
        "sutazai.data-dir", SupervisorHarness.tempDir("sim69").toString(),
        "sutazai.quota.host-memory", String.valueOf(29L << 30),
        "sutazai.quota.host-cpus", "12",
        "sutazai.quota.right-sizing.enabled", "off",
        "akka.remote.artery.canonical.port", "0")));
    FleetSpec seed = FleetLoader.load(Path.of("conf/fleets/sutazai-69.conf"), base);
    CapacityAnalysis.Targets targets = CapacityAnalysis.Targets.fromConfig(base);
    long memoryBudget = CapacityAnalysis.memoryBudgetBytes(29L << 30, targets);
    double cpuBudget = 12 * targets.cpuUtilisation();
    // Every agent on demand, probes off (nothing listens in a simulation), budgets explicit, max-active out of the way.
    Map<String, AgentSpec> agents = new LinkedHashMap<>();
    for (AgentSpec a : seed.agents().values()) {
      agents.put(a.name(), new AgentSpec(a.name(), a.image(), a.command(), a.env(), a.memoryBytes(), a.memoryLimitBytes(),
          a.cpus(), a.priority(), a.dependsOn(), a.idleTimeout(), HealthSpec.NONE, a.models(), AgentSpec.Activation.ON_DEMAND,
          "default", a.restart(), a.crashLoop()));
    }
    FleetSpec fleet = new FleetSpec("sim69-" + System.nanoTime(), null, agents,
        Map.of("default", new PoolSpec("default", 1000, memoryBudget, cpuBudget, 0)));
    CapacityAnalysis.Admission expected = CapacityAnalysis.admit(fleet.agents().values(), memoryBudget, cpuBudget);

    ActorTestKit kit = ActorTestKit.create("sim69", base);
    ai.sutazai.cluster.ClusterNode.join(kit.system(), base); // a cluster of one
    SimulatedRuntime runtime = SimulatedRuntime.create();
    try {
      // Replays every journalled agent event as it is published: requests of occupying agents within budget.
      AtomicReference<String> violation = new AtomicReference<>();
      Map<String, AgentStatus> view = new HashMap<>();
      ActorRef<AgentEventPublished> checker = kit.spawn(Behaviors.receive((c, p) -> {
        view.put(p.agent(), p.status());
        long memory = 0;
        double cpus = 0;
        for (AgentStatus s : view.values()) {
          if (s.desiredActive() || s.phase().occupiesResources()) {
            memory += s.memoryBytes();
            cpus += s.cpus();
          }
        }
        if ((memory > memoryBudget || cpus > cpuBudget + 1e-9) && violation.get() == null) {
          violation.set("after " + p.agent() + " " + p.event().describe() + ": " + memory + " bytes, " + cpus + " cores");
        }
        return Behaviors.same();
      }));
      kit.system().eventStream().tell(new EventStream.Subscribe<>(AgentEventPublished.class, checker));
      CompletableFuture<SutazaiGuardian.Started> started = new CompletableFuture<>();
      kit.spawn(SutazaiGuardian.create(new SutazaiGuardian.Inputs(fleet, runtime, SupervisorSettings.fromConfig(base),
          HostPressure.fixed(false, 1), started)), "guardian");
      ActorRef<SupervisorProtocol.Command> sup = started.get(60, TimeUnit.SECONDS).fleet();

      // Ask for every agent, in the analysis' admission order, all at once.
      TestProbe<StatusReply<ActivationResult>> replies = kit.createTestProbe();
      List<AgentSpec> order = new ArrayList<>(fleet.agents().values());
      order.sort(CapacityAnalysis.admissionOrder());
      for (AgentSpec a : order) {
        sup.tell(new SupervisorProtocol.Activate(a.name(), ActivationSource.API, "all of them", null, replies.getRef()));
      }
      for (int i = 0; i < order.size(); i++) {
        assertTrue(replies.receiveMessage(Duration.ofSeconds(30)).isSuccess());
      }
      TestProbe<FleetStatus> status = kit.createTestProbe();
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        sup.tell(new SupervisorProtocol.GetStatus(status.getRef()));
        return status.receiveMessage().agents().stream().filter(a -> a.phase() == AgentPhase.HEALTHY).count()
            == expected.admitted().size();
      });
      TestProbe<List<PoolStatus>> pools = kit.createTestProbe();
      sup.tell(new SupervisorProtocol.GetPools(pools.getRef()));
      PoolStatus pool = pools.receiveMessage().get(0);
      assertEquals(expected.admitted().size(), pool.activeCount(), "active agents vs what fits (capacity analysis)");
      assertEquals(fleet.agents().size() - expected.admitted().size(), pool.queue().size(), "the rest wait in the queue");
      assertTrue(pool.usedMemoryBytes() <= memoryBudget && pool.usedCpus() <= cpuBudget + 1e-9, pool.toString());
      assertEquals(null, violation.get());
    } finally {
      kit.shutdownTestKit();
      runtime.close();
    }
  }
}
