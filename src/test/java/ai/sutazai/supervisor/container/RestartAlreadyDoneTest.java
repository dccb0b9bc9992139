package ai.sutazai.supervisor.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A restart whose record was lost (the node restarted the container, then a journal failure or a kill -9
 * lost the "started" event, and the recovered agent asks for the restart again) adopts the container that
 * runs since the restart was decided instead of stopping it again; a container running since before is
 * restarted. Found by bench chaos: healthy agents that no fault hit were restarted twice after a database
 * restart.
 */
class RestartAlreadyDoneTest {
  static ActorTestKit kit;
  static SimulatedRuntime runtime;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("restart-done", Settings.load(null, Settings.of(Map.of())));
    runtime = SimulatedRuntime.create();
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static ContainerActor.Running running(TestProbe<ContainerActor.Report> entity) {
    AtomicReference<ContainerActor.Running> got = new AtomicReference<>();
    entity.fishForMessage(Duration.ofSeconds(10), r -> {
      if (r instanceof ContainerActor.Running m) {
        got.set(m);
        return FishingOutcomes.complete();
      }
      return FishingOutcomes.continueAndIgnore();
    });
    return got.get();
  }

  @Test
  void aRestartDoneBeforeItsRecordWasLostIsAdoptedAndOneStillDueIsDone() throws Exception {
    AgentSpec spec = new AgentSpec("a", "sim/image", List.of(), Map.of(), 64L << 20, 64L << 20, 0.1, 0, List.of(), null,
        HealthSpec.NONE, List.of(), AgentSpec.Activation.ALWAYS, "default", null, null);
    TestProbe<ContainerActor.Report> entity = kit.createTestProbe();
    ActorRef<ContainerActor.Command> c = kit.spawn(ContainerActor.create("restart-done", entity.getRef(), runtime,
        new Prober(runtime, HostPressure.fixed(false, 1)), SupervisorSettings.fromConfig(kit.system().settings().config())));
    c.tell(new ContainerActor.Ensure(spec, null));
    String id = running(entity).containerId();

    // The restart is decided, and done (stop, start) before its record is lost.
    Instant decided = Instant.now().minusSeconds(1);
    runtime.stop(id, Duration.ofSeconds(1));
    runtime.start(id);
    Instant restartedAt = runtime.inspect(id).orElseThrow().startedAt();
    assertTrue(restartedAt.isAfter(decided));

    c.tell(new ContainerActor.Restart(spec, id, decided));
    ContainerActor.Running adopted = running(entity);
    assertTrue(adopted.adopted(), "the restart already done is adopted, not done again");
    assertEquals(restartedAt, runtime.inspect(id).orElseThrow().startedAt(), "the container was started again");

    // A restart decided after the container started is done.
    c.tell(new ContainerActor.Restart(spec, id, Instant.now()));
    ContainerActor.Running restarted = running(entity);
    assertFalse(restarted.adopted());
    assertTrue(runtime.inspect(id).orElseThrow().startedAt().isAfter(restartedAt), "not restarted");
  }
}
