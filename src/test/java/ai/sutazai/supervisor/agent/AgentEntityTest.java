package ai.sutazai.supervisor.agent;

import ai.sutazai.supervisor.protocol.Notice;

import ai.sutazai.supervisor.SupervisorDockerTest;
import ai.sutazai.supervisor.container.HostPressure;
import ai.sutazai.supervisor.container.Prober;
import ai.sutazai.supervisor.protocol.AgentEvent;
import ai.sutazai.supervisor.protocol.AgentEventPublished;
import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.settings.SupervisorSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.common.Settings;
import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.HealthSpec;
import ai.sutazai.runtime.SimulatedRuntime;
import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.eventstream.EventStream;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The entity's restart decisions on the in-memory journal (with serialization checks) and the
 * simulated runtime; the real-engine behaviour is covered by SupervisorDockerTest.
 */
class AgentEntityTest {
  static ActorTestKit testKit;
  static SimulatedRuntime runtime;

  @BeforeAll
  static void start() {
    Config conf = EventSourcedBehaviorTestKit.config().withFallback(Settings.load(null, ConfigFactory.parseMap(Map.of(
        "sutazai.supervisor.restart.min-backoff", "100ms",
        "sutazai.supervisor.restart.max-backoff", "1s",
        "sutazai.supervisor.restart.jitter", "0",
        "sutazai.supervisor.crash-loop.max-restarts", "3",
        "sutazai.supervisor.crash-loop.window", "1m"))));
    testKit = ActorTestKit.create("entity-test", conf);
    runtime = SimulatedRuntime.create();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static AgentSpec spec(String name) {
    return new AgentSpec(name, "sim/image", List.of(), Map.of(), 64L << 20, 64L << 20, 0.1, 0, List.of(), null,
        HealthSpec.NONE, List.of(), AgentSpec.Activation.ALWAYS, "default", null, null);
  }

  private static SupervisorSettings settings() {
    return SupervisorSettings.fromConfig(testKit.system().settings().config());
  }

  @Test
  void crashesAreRestartedWithDoublingBackoffThenParkedAsCrashLoop() {
    TestProbe<AgentEventPublished> events = testKit.createTestProbe();
    testKit.system().eventStream().tell(new EventStream.Subscribe<>(AgentEventPublished.class, events.getRef()));
    TestProbe<Notice> pool = testKit.createTestProbe();
    String fleet = "f" + System.nanoTime();
    ActorRef<AgentEntity.Command> entity = testKit.spawn(AgentEntity.create("crasher",
        new AgentEntity.Deps(fleet, runtime, new Prober(runtime, HostPressure.fixed(false, 1)), settings(), pool.getRef())));
    TestProbe<StatusReply<Done>> reply = testKit.createTestProbe();
    entity.tell(new AgentEntity.Register(spec("crasher"), reply.getRef()));
    assertTrue(reply.receiveMessage().isSuccess());
    entity.tell(new AgentEntity.Activate("test", reply.getRef()));
    assertTrue(reply.receiveMessage().isSuccess());

    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      awaitEvent(events, AgentEvent.BecameHealthy.class);
      String id = currentContainer(entity);
      runtime.crash(id, 3);
      entity.tell(new AgentEntity.FromEngine(new ai.sutazai.runtime.ContainerEvent(id, "crasher", fleet, "die", 3, Instant.now())));
      if (i < 3) {
        AgentEvent.RestartScheduled r = awaitEvent(events, AgentEvent.RestartScheduled.class);
        assertTrue(r.reason().contains("exited with code 3"), r.reason());
        delays.add(r.delayMillis());
        pool.fishForMessage(Duration.ofSeconds(5), n -> n instanceof Notice.RestartWanted
            ? akka.actor.testkit.typed.javadsl.FishingOutcomes.complete() : akka.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
        entity.tell(new AgentEntity.RestartPermitted(i));
      }
    }
    assertEquals(List.of(100L, 200L, 400L), delays);
    AgentEvent.CrashLoopDetected loop = awaitEvent(events, AgentEvent.CrashLoopDetected.class);
    assertEquals(3, loop.restarts());

    TestProbe<AgentStatus> status = testKit.createTestProbe();
    entity.tell(new AgentEntity.GetStatus(status.getRef()));
    assertEquals(AgentPhase.CRASH_LOOP, status.receiveMessage().phase());

    // Parked: activation is refused until an operator resets it; the reset starts it again.
    entity.tell(new AgentEntity.Activate("again", reply.getRef()));
    assertTrue(reply.receiveMessage().isError());
    entity.tell(new AgentEntity.Reset(reply.getRef()));
    assertTrue(reply.receiveMessage().isSuccess());
    awaitEvent(events, AgentEvent.BecameHealthy.class);
  }

  @Test
  void eventsCommandsAndStateSurviveJacksonSerialization() {
    EventSourcedBehaviorTestKit<AgentEntity.Command, AgentEvent, AgentState> kit = EventSourcedBehaviorTestKit.create(
        testKit.system(), AgentEntity.create("ser", new AgentEntity.Deps("ser" + System.nanoTime(), runtime,
            new Prober(runtime, HostPressure.fixed(false, 1)), settings(), testKit.<Notice>createTestProbe().getRef())));
    var result = kit.<StatusReply<Done>>runCommand(r -> new AgentEntity.Register(spec("ser"), r));
    assertInstanceOf(AgentEvent.Registered.class, result.event());
    var activated = kit.<StatusReply<Done>>runCommand(r -> new AgentEntity.Activate("serialization check", r));
    assertInstanceOf(AgentEvent.ActivationRequested.class, activated.event());
    assertTrue(activated.state().desiredActive());
    kit.runCommand(new AgentEntity.DependencyDown("db"));
    assertEquals(AgentPhase.DEGRADED, kit.getState().phase());
    kit.runCommand(new AgentEntity.DependencyUp("db"));
    assertTrue(kit.getState().degradedBy().isEmpty());
    kit.restart();
    assertEquals("ser", kit.getState().spec().name());
  }

  private static String currentContainer(ActorRef<AgentEntity.Command> entity) {
    TestProbe<AgentStatus> p = testKit.createTestProbe();
    entity.tell(new AgentEntity.GetStatus(p.getRef()));
    return p.receiveMessage().containerId();
  }

  private static <T extends AgentEvent> T awaitEvent(TestProbe<AgentEventPublished> probe, Class<T> type) {
    AgentEventPublished[] found = new AgentEventPublished[1];
    probe.fishForMessage(Duration.ofSeconds(10), p -> {
      if (type.isInstance(p.event())) {
        found[0] = p;
        return akka.actor.testkit.typed.javadsl.FishingOutcomes.complete();
      }
      return akka.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore();
    });
    return type.cast(found[0].event());
  }
}
