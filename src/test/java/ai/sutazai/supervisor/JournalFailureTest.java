package ai.sutazai.supervisor;

import ai.sutazai.supervisor.protocol.Notice;

import ai.sutazai.supervisor.agent.AgentEntity;
import ai.sutazai.supervisor.container.HostPressure;
import ai.sutazai.supervisor.container.Prober;
import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.settings.SupervisorSettings;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.common.JournalHealth;
import ai.sutazai.common.Settings;
import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.HealthSpec;
import ai.sutazai.metrics.alerts.AlertEvent;
import ai.sutazai.metrics.alerts.AlertJournal;
import ai.sutazai.metrics.alerts.Severity;
import ai.sutazai.runtime.SimulatedRuntime;
import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A failed journal write (in-memory journal told to fail) restarts the event-sourced actor with backoff
 * instead of stopping it: its container keeps running, the unjournalled request is answered with
 * "journal unavailable" or handled again after recovery, and {@link JournalHealth} reports the outage
 * until the actor has recovered. The PostgreSQL outage end to end: JournalOutageTest.
 */
class JournalFailureTest {
  static ActorTestKit testKit;
  static SimulatedRuntime runtime;
  static PersistenceTestKit journal;

  @BeforeAll
  static void start() {
    Config conf = EventSourcedBehaviorTestKit.config().withFallback(Settings.load(null, ConfigFactory.parseMap(Map.of(
        "sutazai.persistence.failure-backoff.min", "100ms",
        "sutazai.persistence.failure-backoff.max", "300ms"))));
    testKit = ActorTestKit.create("journal-failure-test", conf);
    runtime = SimulatedRuntime.create();
    journal = PersistenceTestKit.create(testKit.system());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static AgentSpec spec(String name) {
    return new AgentSpec(name, "sim/image", List.of(), Map.of(), 64L << 20, 64L << 20, 0.1, 0, List.of(), null,
        HealthSpec.NONE, List.of(), AgentSpec.Activation.ALWAYS, "default", null, null);
  }

  private record Entity(ActorRef<AgentEntity.Command> ref, String persistenceId) {}

  /** A registered, active, healthy entity on the simulated runtime. */
  private static Entity healthyEntity(String agent) {
    String fleet = "f" + System.nanoTime();
    TestProbe<Notice> pool = testKit.createTestProbe();
    ActorRef<AgentEntity.Command> entity = testKit.spawn(AgentEntity.create(agent, new AgentEntity.Deps(fleet, runtime,
        new Prober(runtime, HostPressure.fixed(false, 1)), SupervisorSettings.fromConfig(testKit.system().settings().config()),
        pool.getRef())));
    TestProbe<StatusReply<Done>> reply = testKit.createTestProbe();
    entity.tell(new AgentEntity.Register(spec(agent), reply.getRef()));
    assertTrue(reply.receiveMessage().isSuccess());
    entity.tell(new AgentEntity.Activate("test", reply.getRef()));
    assertTrue(reply.receiveMessage().isSuccess());
    await().atMost(Duration.ofSeconds(10)).until(() -> status(entity).phase() == AgentPhase.HEALTHY);
    return new Entity(entity, AgentEntity.persistenceId(fleet, agent).id());
  }

  private static AgentStatus status(ActorRef<AgentEntity.Command> entity) {
    TestProbe<AgentStatus> p = testKit.createTestProbe();
    entity.tell(new AgentEntity.GetStatus(p.getRef()));
    return p.receiveMessage(Duration.ofSeconds(5));
  }

  @Test
  void anOperatorsUnjournalledResetIsRefusedAndTheContainerKeepsRunning() {
    Entity e = healthyEntity("resetme");
    String container = status(e.ref()).containerId();
    JournalHealth health = JournalHealth.get(testKit.system());

    journal.failNextPersisted(e.persistenceId());
    TestProbe<StatusReply<Done>> reply = testKit.createTestProbe();
    e.ref().tell(new AgentEntity.Reset(reply.getRef()));
    StatusReply<Done> refused = reply.receiveMessage(Duration.ofSeconds(5));
    assertTrue(refused.isError());
    assertTrue(refused.getError().getMessage().startsWith("journal unavailable: "), refused.getError().getMessage());
    assertTrue(refused.getError().getMessage().contains("resetme"), refused.getError().getMessage());

    await().atMost(Duration.ofSeconds(10)).until(() -> health.problemOf(e.persistenceId()).isEmpty());
    AgentStatus after = status(e.ref());
    assertEquals(AgentPhase.HEALTHY, after.phase());
    assertEquals(container, after.containerId(), "the restart of the entity must not touch its container");
    assertTrue(runtime.inspect(container).orElseThrow().running());
    assertEquals(0, after.totalRestarts());
  }

  @Test
  void aPoolsUnjournalledDeactivationIsHandledAgainAfterRecovery() {
    Entity e = healthyEntity("stopme");
    String container = status(e.ref()).containerId();

    journal.failNextPersisted(e.persistenceId());
    TestProbe<StatusReply<Done>> reply = testKit.createTestProbe();
    e.ref().tell(new AgentEntity.Deactivate("idle", reply.getRef()));
    assertTrue(reply.receiveMessage(Duration.ofSeconds(10)).isSuccess(), "answered once journalled after recovery");
    await().atMost(Duration.ofSeconds(10)).until(() -> status(e.ref()).phase() == AgentPhase.INACTIVE);
    // The phase turns INACTIVE once the deactivation is journalled; the container's stop follows on the blocking
    // dispatcher (a loaded machine showed it still running at that instant).
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(
        runtime.inspect(container).map(c -> !c.running()).orElse(true), "the deactivation was carried out"));
    assertTrue(JournalHealth.get(testKit.system()).problemOf(e.persistenceId()).isEmpty());
  }

  @Test
  void anUnjournalledAlertEventIsRefusedAndTheNextOneIsWritten() {
    String pid = "metrics-alerts|failure-" + System.nanoTime();
    ActorRef<AlertJournal.Command> alerts = testKit.spawn(AlertJournal.create(pid, testKit.system()));
    AlertEvent fired = new AlertEvent.AlertFired("k", "memory-utilisation", "m", Severity.WARNING, 0.75, 0.7, 1_000);
    TestProbe<StatusReply<Done>> reply = testKit.createTestProbe();

    journal.failNextPersisted(pid);
    alerts.tell(new AlertJournal.Append(fired, reply.getRef()));
    StatusReply<Done> refused = reply.receiveMessage(Duration.ofSeconds(5));
    assertTrue(refused.isError() && refused.getError().getMessage().startsWith("journal unavailable: "), refused.toString());

    alerts.tell(new AlertJournal.Append(fired, reply.getRef()));
    assertTrue(reply.receiveMessage(Duration.ofSeconds(10)).isSuccess());
    journal.expectNextPersisted(pid, fired);
    TestProbe<AlertJournal.Active> active = testKit.createTestProbe();
    alerts.tell(new AlertJournal.GetActive(active.getRef()));
    assertEquals(1, active.receiveMessage().alerts().size());
  }
}
