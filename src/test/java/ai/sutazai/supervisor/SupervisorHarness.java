package ai.sutazai.supervisor;

import ai.sutazai.supervisor.protocol.SupervisorProtocol;

import ai.sutazai.supervisor.container.HostPressure;
import ai.sutazai.supervisor.protocol.AgentEvent;
import ai.sutazai.supervisor.protocol.AgentEventPublished;
import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.protocol.FleetStatus;
import ai.sutazai.supervisor.settings.SupervisorSettings;

import ai.sutazai.app.SutazaiGuardian;
import ai.sutazai.common.Settings;
import ai.sutazai.fleet.FleetLoader;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.testsupport.DockerTestSupport;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.FishingOutcomes;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.eventstream.EventStream;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real supervisor (guardian, H2 journal in a temp dir, real Docker engine; a cluster of one
 * node joining itself on a free loopback port) for one test, and
 * collects the journalled agent events it publishes.
 */
public final class SupervisorHarness implements AutoCloseable {
  final ActorTestKit kit;
  final FleetSpec fleet;
  final TestProbe<AgentEventPublished> events;
  final ActorRef<SupervisorProtocol.Command> supervisor;
  final List<AgentEventPublished> seen = new ArrayList<>();

  SupervisorHarness(DockerTestSupport docker, Path dir, String fleetBody, HostPressure pressure, Map<String, String> overrides)
      throws Exception {
    this(docker, docker.runtime(), dir, fleetBody, pressure, overrides);
  }

  /** As above, with the supervisor talking to the engine through {@code runtime} (e.g. a cuttable proxy). */
  SupervisorHarness(DockerTestSupport docker, ai.sutazai.runtime.ContainerRuntime runtime, Path dir, String fleetBody,
      HostPressure pressure, Map<String, String> overrides) throws Exception {
    this(docker.fleet(), docker.host(), runtime, dir, fleetBody, pressure, overrides);
  }

  /**
   * As above, without the real engine: fleet {@code fleetName} on {@code runtime} (e.g. a SimulatedRuntime);
   * {@code dockerHost} may be null when nothing talks to an engine.
   */
  SupervisorHarness(String fleetName, String dockerHost, ai.sutazai.runtime.ContainerRuntime runtime, Path dir,
      String fleetBody, HostPressure pressure, Map<String, String> overrides) throws Exception {
    Path fleetFile = dir.resolve("fleet.conf");
    Files.writeString(fleetFile, "sutazai.fleet {\n  name = \"" + fleetName + "\"\n" + fleetBody + "\n}\n");
    Map<String, Object> values = new java.util.HashMap<>(Map.of(
        "sutazai.data-dir", dir.resolve("data").toString(),
        "sutazai.supervisor.restart.jitter", "0",
        "sutazai.docker.reconnect-min-backoff", "200ms",
        "akka.remote.artery.canonical.port", "0",
        // The product's own stop may take its shard region's graceful hand-off timeout (10 s: a message for an
        // agent that arrives during the hand-off, such as a restart granted just before, waits for a shard
        // home the stopping coordinator no longer gives) plus the phases after it; the test kit's default
        // 10 s is shorter than that.
        "akka.actor.testkit.typed.system-shutdown-default", "30s"));
    if (dockerHost != null) {
      values.put("sutazai.docker.host", dockerHost);
    }
    values.putAll(overrides);
    Config conf = Settings.load(null, ConfigFactory.parseMap(values));
    fleet = FleetLoader.load(fleetFile, conf);
    kit = ActorTestKit.create("sup-" + fleetName, conf);
    // A cluster of one: the pools are singletons and the agents sharded entities, as on every node.
    ai.sutazai.cluster.ClusterNode.join(kit.system(), conf);
    events = kit.createTestProbe();
    kit.system().eventStream().tell(new EventStream.Subscribe<>(AgentEventPublished.class, events.getRef()));
    CompletableFuture<SutazaiGuardian.Started> started = new CompletableFuture<>();
    SupervisorSettings settings = SupervisorSettings.fromConfig(conf);
    kit.spawn(SutazaiGuardian.create(new SutazaiGuardian.Inputs(fleet, runtime, settings, pressure, started)), "guardian");
    supervisor = started.get(60, TimeUnit.SECONDS).fleet();
  }

  /**
   * The first not yet awaited event of {@code agent} of the given type, in journal order: from those
   * already received (kept in {@link #seen}), else the next to arrive.
   */
  <T extends AgentEvent> T await(String agent, Class<T> type, Duration max) {
    return awaitFrom(0, agent, type, max);
  }

  /**
   * As {@link #await}, but only among the events of {@code agent} journalled after {@code earlier} (an event
   * an earlier await returned): an event of the type that came before it does not answer. This is what
   * proves that something happened again, e.g. a container start after a scheduled restart, where plain
   * {@link #await} would return the first start if no one had claimed it.
   */
  <T extends AgentEvent> T awaitAfter(String agent, Class<T> type, AgentEvent earlier, Duration max) {
    for (int i = 0; i < seen.size(); i++) {
      if (seen.get(i).event() == earlier) {
        return awaitFrom(i + 1, agent, type, max);
      }
    }
    throw new IllegalArgumentException(earlier + " was not returned by an await of this harness");
  }

  private <T extends AgentEvent> T awaitFrom(int from, String agent, Class<T> type, Duration max) {
    for (int i = from; i < seen.size(); i++) {
      AgentEventPublished p = seen.get(i);
      if (!claimed.contains(i) && p.agent().equals(agent) && type.isInstance(p.event())) {
        claimed.add(i);
        return type.cast(p.event());
      }
    }
    Object[] found = new Object[1];
    events.fishForMessage(max, p -> {
      seen.add(p);
      if (p.agent().equals(agent) && type.isInstance(p.event())) {
        claimed.add(seen.size() - 1);
        found[0] = p.event();
        return FishingOutcomes.complete();
      }
      return FishingOutcomes.continueAndIgnore();
    });
    return type.cast(found[0]);
  }

  private final java.util.Set<Integer> claimed = new java.util.HashSet<>();

  boolean engineUp() {
    TestProbe<FleetStatus> p = kit.createTestProbe();
    supervisor.tell(new SupervisorProtocol.GetStatus(p.getRef()));
    return p.receiveMessage().engineUp();
  }

  AgentStatus status(String agent) {
    TestProbe<FleetStatus> p = kit.createTestProbe();
    supervisor.tell(new SupervisorProtocol.GetStatus(p.getRef()));
    return p.receiveMessage().agents().stream().filter(a -> a.name().equals(agent)).findFirst().orElse(null);
  }

  /**
   * The agent's status once the supervisor's view shows it healthy in a container. The view follows the
   * journalled events by a few messages (the pool publishes statuses per batch of notices), so a test that
   * has just seen BecameHealthy waits for it here rather than reading a view that may still be behind.
   */
  AgentStatus healthyStatus(String agent, Duration max) {
    return org.awaitility.Awaitility.await().atMost(max).until(() -> status(agent),
        s -> s != null && s.phase() == AgentPhase.HEALTHY && s.containerId() != null);
  }

  public static String httpAgent(String name, int port, String extra) {
    return "    " + name + " {\n      image = \"" + DockerTestSupport.IMAGE + "\"\n"
        + "      command = [\"httpd\", \"-f\", \"-p\", \"127.0.0.1:" + port + "\", \"-h\", \"/www\"]\n"
        + "      memory = 32MiB\n      cpus = 0.1\n"
        + "      health { kind = http, port = " + port + ", path = \"/health\", interval = 300ms, timeout = 1s, retries = 2, start-period = 5s }\n"
        + extra + "\n    }\n";
  }

  /**
   * An agent whose httpd comes up (and answers {@code /health}) {@code delaySeconds} after its container started,
   * probed over http with {@code probe}: the probe's keys after kind, port and path.
   */
  static String lateHttpAgent(String name, int port, int delaySeconds, String probe) {
    return "    " + name + " {\n      image = \"" + DockerTestSupport.IMAGE + "\"\n"
        + "      command = [\"sh\", \"-c\", \"sleep " + delaySeconds + "; exec httpd -f -p 127.0.0.1:" + port + " -h /www\"]\n"
        + "      memory = 32MiB\n      cpus = 0.1\n"
        + "      health { kind = http, port = " + port + ", path = \"/health\", " + probe + " }\n    }\n";
  }

  static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    kit.shutdownTestKit();
  }
}
