package ai.sutazai.supervisor.agent;

import ai.sutazai.supervisor.protocol.AgentEvent;
import ai.sutazai.supervisor.protocol.AgentPhase;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.HealthSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An agent whose dependency is down stays Degraded, whatever its own container does meanwhile. */
class AgentStateTest {
  @Test
  void aContainerThatComesUpWhileADependencyIsDownStaysDegradedUntilItRecovers() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    AgentSpec spec = new AgentSpec("app", "sim/agent:1", List.of(), Map.of(), 16L << 20, 16L << 20, 0.1, 0, List.of("db"), null,
        HealthSpec.NONE, List.of(), AgentSpec.Activation.ON_DEMAND, "default", null, null);
    AgentState s = AgentState.empty()
        .apply(new AgentEvent.Registered(spec, t))
        .apply(new AgentEvent.ActivationRequested("test", t))
        .apply(new AgentEvent.Degraded("db", t))
        .apply(new AgentEvent.ContainerCreated("c1", t))
        .apply(new AgentEvent.ContainerStarted("c1", t));
    assertEquals(AgentPhase.DEGRADED, s.phase(), "started while db is down");
    s = s.apply(new AgentEvent.BecameHealthy(5, t));
    assertEquals(AgentPhase.DEGRADED, s.phase(), "its own probe passing does not hide that db is down");
    s = s.apply(new AgentEvent.DependencyRecovered("db", t));
    assertEquals(AgentPhase.STARTING, s.phase(), "probed again once db is back");
    assertEquals(AgentPhase.HEALTHY, s.apply(new AgentEvent.BecameHealthy(5, t)).phase());
  }

  @Test
  void notReadyKeepsTheContainerAndReadyAgainComesBackHealthyOrDegraded() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    AgentSpec spec = new AgentSpec("db", "sim/db:1", List.of(), Map.of(), 16L << 20, 16L << 20, 0.1, 0, List.of("disk"), null,
        HealthSpec.NONE, List.of(), AgentSpec.Activation.ALWAYS, "default", null, null);
    AgentState s = AgentState.empty()
        .apply(new AgentEvent.Registered(spec, t))
        .apply(new AgentEvent.ActivationRequested("test", t))
        .apply(new AgentEvent.ContainerStarted("c1", t))
        .apply(new AgentEvent.BecameHealthy(5, t))
        .apply(new AgentEvent.BecameNotReady("exit status 1 (2 consecutive failures)", t));
    assertEquals(AgentPhase.NOT_READY, s.phase());
    assertEquals("c1", s.containerId());
    assertEquals(0, s.totalRestarts());
    assertEquals("exit status 1 (2 consecutive failures)", s.lastReason());
    assertEquals(AgentPhase.HEALTHY, s.apply(new AgentEvent.BecameReady(t)).phase());
    AgentState degraded = s.apply(new AgentEvent.Degraded("disk", t));
    assertEquals(AgentPhase.DEGRADED, degraded.phase());
    assertEquals(AgentPhase.DEGRADED, degraded.apply(new AgentEvent.BecameReady(t)).phase(), "its dependency is still down");
  }
}
