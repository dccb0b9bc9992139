package ai.sutazai.supervisor.container;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.sutazai.common.Settings;
import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.HealthSpec;
import ai.sutazai.runtime.SimulatedRuntime;
import ai.sutazai.supervisor.settings.SupervisorSettings;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.FishingOutcomes;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine operations of one container run in the order its entity decided them: a stop decided while a
 * start is still under way waits for it. Were they to run side by side, the start could finish last and leave
 * a container running after its stop was reported (the agent counted inactive, its quota released). Found as a
 * flaky JournalFailureTest: the deactivation handled after the entity's recovery stopped the container while
 * the recovery's Ensure was still looking at it, and the Ensure started it again.
 */
class EngineOperationOrderTest {
  static ActorTestKit kit;
  static SimulatedRuntime runtime;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("engine-order", Settings.load(null, Settings.of(Map.of())));
    runtime = SimulatedRuntime.create();
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void aStopDecidedDuringASlowStartLeavesTheContainerStopped() throws Exception {
    String fleet = "engine-order";
    AgentSpec spec = new AgentSpec("a", "sim/image", List.of(), Map.of(), 64L << 20, 64L << 20, 0.1, 0, List.of(), null,
        HealthSpec.NONE, List.of(), AgentSpec.Activation.ALWAYS, "default", null, null);
    String id = runtime.create(ContainerSpecs.of(fleet, spec));
    List<String> actions = new CopyOnWriteArrayList<>();
    try (AutoCloseable events = runtime.events(e -> {
      if (id.equals(e.containerId())) {
        actions.add(e.action());
      }
    }, e -> { })) {
      runtime.setStartLatency(Duration.ofSeconds(1)); // a slow engine: the stop is decided while the start runs
      TestProbe<ContainerActor.Report> entity = kit.createTestProbe();
      ActorRef<ContainerActor.Command> c = kit.spawn(ContainerActor.create(fleet, entity.getRef(), runtime,
          new Prober(runtime, HostPressure.fixed(false, 1)), SupervisorSettings.fromConfig(kit.system().settings().config())));
      c.tell(new ContainerActor.Ensure(spec, id));
      c.tell(new ContainerActor.Stop(id));

      entity.fishForMessage(Duration.ofSeconds(10), r -> r instanceof ContainerActor.Stopped
          ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
      // The start was asked for first: once it has happened, the stop must have come after it.
      await().atMost(Duration.ofSeconds(10)).until(() -> actions.contains("start"));
      assertFalse(runtime.inspect(id).orElseThrow().running(),
          "the container runs after its stop was reported; engine actions: " + actions);
    } finally {
      runtime.setStartLatency(Duration.ZERO);
    }
  }
}
