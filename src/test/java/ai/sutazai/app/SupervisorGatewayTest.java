package ai.sutazai.app;

import ai.sutazai.supervisor.protocol.SupervisorProtocol;

import ai.sutazai.inference.AgentAdmission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.fleet.HealthSpec;
import ai.sutazai.fleet.PoolSpec;
import ai.sutazai.supervisor.protocol.ActivationSource;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * What the supervisor hears of a routed request that names a fleet agent: it is busy from admission until
 * the request ends, and asked to activate; agents outside the fleet are served without a word to it.
 */
class SupervisorGatewayTest {
  private static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void aFleetAgentIsBusyFromAdmissionUntilItsRequestEnds() throws Exception {
    AgentSpec coder = new AgentSpec("coder", "img", List.of(), Map.of(), 64L << 20, 64L << 20, 0.5, 7, List.of(), null,
        HealthSpec.NONE, List.of(), AgentSpec.Activation.ON_DEMAND, "default", null, null);
    FleetSpec fleet = new FleetSpec("f", null, Map.of("coder", coder),
        Map.of("default", new PoolSpec("default", 10, 1L << 30, 4, 0)));
    TestProbe<SupervisorProtocol.Command> supervisor = kit.createTestProbe();
    SupervisorGateway gateway = new SupervisorGateway(fleet, supervisor.getRef(), kit.system());

    AgentAdmission a = gateway.admit("coder").toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals(AgentAdmission.admit(7), a);
    assertEquals(new SupervisorProtocol.Busy("coder", true), supervisor.receiveMessage());
    SupervisorProtocol.Activate activate = supervisor.expectMessageClass(SupervisorProtocol.Activate.class);
    assertEquals("coder", activate.agent());
    assertEquals(ActivationSource.INFERENCE, activate.source());
    gateway.finished("coder");
    assertEquals(new SupervisorProtocol.Busy("coder", false), supervisor.receiveMessage());

    assertEquals(AgentAdmission.admit(0), gateway.admit("stranger").toCompletableFuture().get(5, TimeUnit.SECONDS));
    gateway.finished("stranger");
    supervisor.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aRejectedActivationIsCountedNotDropped() throws Exception {
    AgentSpec coder = new AgentSpec("coder", "img", List.of(), Map.of(), 64L << 20, 64L << 20, 0.5, 7, List.of(), null,
        HealthSpec.NONE, List.of(), AgentSpec.Activation.ON_DEMAND, "default", null, null);
    FleetSpec fleet = new FleetSpec("f", null, Map.of("coder", coder),
        Map.of("default", new PoolSpec("default", 10, 1L << 30, 4, 0)));
    TestProbe<SupervisorProtocol.Command> supervisor = kit.createTestProbe();
    SupervisorGateway gateway = new SupervisorGateway(fleet, supervisor.getRef(), kit.system());

    gateway.admit("coder").toCompletableFuture().get(5, TimeUnit.SECONDS);
    supervisor.expectMessageClass(SupervisorProtocol.Busy.class);
    SupervisorProtocol.Activate activate = supervisor.expectMessageClass(SupervisorProtocol.Activate.class);
    activate.replyTo().tell(akka.pattern.StatusReply.success(new ai.sutazai.supervisor.protocol.ActivationResult(
        ai.sutazai.supervisor.protocol.ActivationResult.Outcome.REJECTED, "coder", 0, 0, "crash loop: exited with code 3")));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> gateway.rejectedActivations() == 1);

    // The front's activation gets the answer itself.
    var answer = gateway.activate("coder", ActivationSource.GATEWAY, "front");
    SupervisorProtocol.Activate second = supervisor.expectMessageClass(SupervisorProtocol.Activate.class);
    assertEquals(ActivationSource.GATEWAY, second.source());
    second.replyTo().tell(akka.pattern.StatusReply.success(new ai.sutazai.supervisor.protocol.ActivationResult(
        ai.sutazai.supervisor.protocol.ActivationResult.Outcome.QUEUED, "coder", 2, 3, "max-active 1 of 1")));
    assertEquals(2, answer.toCompletableFuture().get(5, TimeUnit.SECONDS).position());
    assertEquals(1, gateway.rejectedActivations());
  }
}
