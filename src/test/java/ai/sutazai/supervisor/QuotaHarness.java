package ai.sutazai.supervisor;

import ai.sutazai.supervisor.protocol.SupervisorProtocol;

import ai.sutazai.supervisor.container.HostPressure;
import ai.sutazai.supervisor.protocol.ActivationResult;
import ai.sutazai.supervisor.protocol.ActivationSource;
import ai.sutazai.supervisor.protocol.AgentEventPublished;
import ai.sutazai.supervisor.protocol.PoolStatus;
import ai.sutazai.supervisor.protocol.ScalingDecision;

import ai.sutazai.testsupport.DockerTestSupport;
import akka.actor.testkit.typed.javadsl.FishingOutcomes;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.eventstream.EventStream;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real supervisor (SupervisorHarness: guardian, H2 in a temp dir, real Docker engine) plus the pool
 * protocol: activation requests, pool status, and the scaling decisions it publishes.
 */
final class QuotaHarness implements AutoCloseable {
  final SupervisorHarness h;
  final TestProbe<ScalingDecision> decisions;
  final List<ScalingDecision> seen = new ArrayList<>();
  /** Every agent event published, in arrival order (filled by a subscriber actor). */
  final List<AgentEventPublished> agentEvents = java.util.Collections.synchronizedList(new ArrayList<>());

  /** Every scaling decision published from the harness' start on, in arrival order (filled by a subscriber actor). */
  final List<ScalingDecision> published = java.util.Collections.synchronizedList(new ArrayList<>());

  QuotaHarness(DockerTestSupport docker, String poolBlock, String agents, Map<String, String> overrides) throws Exception {
    this(docker, SupervisorHarness.tempDir("quota"), poolBlock, agents, overrides);
  }

  /** On {@code dir}: its {@code data} subdirectory holds the H2 journal. */
  QuotaHarness(DockerTestSupport docker, java.nio.file.Path dir, String poolBlock, String agents, Map<String, String> overrides)
      throws Exception {
    this(o -> new SupervisorHarness(docker, dir, poolBlock + "\n  agents {\n" + agents + "  }", HostPressure.fixed(false, 1), o),
        overrides);
  }

  /**
   * On a simulated engine instead of Docker: fleet {@code fleetName} on {@code runtime}, the H2 journal in a
   * fresh temp dir. Nothing runs in the containers; agents without a health probe are healthy once started.
   */
  static QuotaHarness simulated(ai.sutazai.runtime.ContainerRuntime runtime, String fleetName, String poolBlock,
      String agents, Map<String, String> overrides) throws Exception {
    java.nio.file.Path dir = SupervisorHarness.tempDir("quota-sim");
    return new QuotaHarness(o -> new SupervisorHarness(fleetName, null, runtime, dir,
        poolBlock + "\n  agents {\n" + agents + "  }", HostPressure.fixed(false, 1), o), overrides);
  }

  /** Starts the supervisor with the given configuration overrides. */
  private interface Boot {
    SupervisorHarness start(Map<String, String> overrides) throws Exception;
  }

  private QuotaHarness(Boot boot, Map<String, String> overrides) throws Exception {
    Map<String, String> o = new HashMap<>(Map.of(
        "sutazai.quota.idle-check-interval", "200ms",
        "sutazai.quota.right-sizing.enabled", "off"));
    o.putAll(overrides);
    // The decision probe must listen before the pools boot, so the harness is built around a fresh system.
    h = boot.start(o);
    decisions = h.kit.createTestProbe();
    h.kit.system().eventStream().tell(new EventStream.Subscribe<>(ScalingDecision.class, decisions.getRef()));
    akka.actor.typed.ActorRef<AgentEventPublished> recorder = h.kit.spawn(akka.actor.typed.javadsl.Behaviors.receive(
        (c, m) -> {
          agentEvents.add(m);
          return akka.actor.typed.javadsl.Behaviors.same();
        }));
    h.kit.system().eventStream().tell(new EventStream.Subscribe<>(AgentEventPublished.class, recorder));
    akka.actor.typed.ActorRef<ScalingDecision> decisionRecorder = h.kit.spawn(akka.actor.typed.javadsl.Behaviors.receive(
        (c, m) -> {
          published.add(m);
          return akka.actor.typed.javadsl.Behaviors.same();
        }));
    h.kit.system().eventStream().tell(new EventStream.Subscribe<>(ScalingDecision.class, decisionRecorder));
  }

  /** The decisions of {@code kind} about {@code agent} published so far. */
  List<ScalingDecision> publishedFor(ScalingDecision.Kind kind, String agent) {
    synchronized (published) {
      return published.stream().filter(d -> d.kind() == kind && agent.equals(d.agent())).toList();
    }
  }

  /** An on-demand busybox agent that sleeps: no health probe, so it is healthy as soon as it runs. */
  static String sleeper(String name, int priority, String extra) {
    return "    " + name + " {\n      image = \"" + DockerTestSupport.IMAGE + "\"\n      command = [\"sleep\", \"600\"]\n"
        + "      memory = 16MiB\n      cpus = 0.05\n      priority = " + priority + "\n      activation = on-demand\n"
        + extra + "\n    }\n";
  }

  static String pool(int maxActive, String memory, double cpus) {
    return "  pools { default { max-active = " + maxActive + ", memory-budget = " + memory + ", cpu-budget = " + cpus + " } }";
  }

  ActivationResult activate(String agent, Instant deadline) {
    TestProbe<StatusReply<ActivationResult>> p = h.kit.createTestProbe();
    h.supervisor.tell(new SupervisorProtocol.Activate(agent, ActivationSource.API, "test", deadline, p.getRef()));
    return p.receiveMessage(Duration.ofSeconds(15)).getValue();
  }

  void deactivate(String agent) {
    TestProbe<StatusReply<akka.Done>> p = h.kit.createTestProbe();
    h.supervisor.tell(new SupervisorProtocol.DeactivateAgent(agent, "test is done with it", p.getRef()));
    p.receiveMessage(Duration.ofSeconds(15)).getValue();
  }

  PoolStatus pool() {
    TestProbe<List<PoolStatus>> p = h.kit.createTestProbe();
    h.supervisor.tell(new SupervisorProtocol.GetPools(p.getRef()));
    return p.receiveMessage(Duration.ofSeconds(10)).get(0);
  }

  /** The first not yet awaited decision of this kind for this agent (from those seen, else the next ones). */
  ScalingDecision await(ScalingDecision.Kind kind, String agent, Duration max) {
    for (int i = 0; i < seen.size(); i++) {
      ScalingDecision d = seen.get(i);
      if (!claimed.contains(i) && d.kind() == kind && agent.equals(d.agent())) {
        claimed.add(i);
        return d;
      }
    }
    ScalingDecision[] found = new ScalingDecision[1];
    decisions.fishForMessage(max, d -> {
      seen.add(d);
      if (d.kind() == kind && agent.equals(d.agent())) {
        claimed.add(seen.size() - 1);
        found[0] = d;
        return FishingOutcomes.complete();
      }
      return FishingOutcomes.continueAndIgnore();
    });
    return found[0];
  }

  private final java.util.Set<Integer> claimed = new java.util.HashSet<>();

  @Override
  public void close() {
    h.close();
  }
}
