package ai.sutazai.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.fleet.HealthSpec;
import ai.sutazai.fleet.PoolSpec;
import ai.sutazai.supervisor.protocol.ActivationSource;
import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.protocol.FleetStatus;
import ai.sutazai.supervisor.protocol.PoolStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * `run --mode once` waits for the pools' boot to show in the supervisor's view: right after the start every
 * agent is registered, inactive and unwanted, which alone would pass for a settled fleet.
 */
class RunOnceBootTest {
  private static AgentSpec agent(String name, AgentSpec.Activation activation) {
    return new AgentSpec(name, "img", List.of(), Map.of(), 16L << 20, 16L << 20, 0.1, 0, List.of(), null, HealthSpec.NONE,
        List.of(), activation, "default", null, null);
  }

  private static AgentStatus status(String name, boolean wanted) {
    return new AgentStatus(name, "default", wanted ? AgentPhase.HEALTHY : AgentPhase.INACTIVE, wanted, null, 0, "",
        Instant.EPOCH, -1, Set.of(), 0, 16L << 20, 0.1, null);
  }

  private static PoolStatus pool(String... queued) {
    List<PoolStatus.Queued> q = new java.util.ArrayList<>();
    for (int i = 0; i < queued.length; i++) {
      q.add(new PoolStatus.Queued(queued[i], 0, i + 1, 10, null, ActivationSource.BOOT));
    }
    return new PoolStatus("default", 10, 1L << 30, 2, 0, 0, 0, q);
  }

  @Test
  void bootedOnceEveryAlwaysOnAgentIsWantedOrQueued() {
    Map<String, AgentSpec> specs = new LinkedHashMap<>();
    specs.put("db", agent("db", AgentSpec.Activation.ALWAYS));
    specs.put("web", agent("web", AgentSpec.Activation.ALWAYS));
    specs.put("tool", agent("tool", AgentSpec.Activation.ON_DEMAND));
    FleetSpec fleet = new FleetSpec("f", null, specs, Map.of("default", new PoolSpec("default", 10, 0, 0, 0)));
    FleetStatus fresh = new FleetStatus("f", List.of(status("db", false), status("web", false), status("tool", false)),
        3, true, "sim");
    assertTrue(fresh.settled(), "looks settled on its own");
    assertFalse(RunCommand.booted(fleet, fresh, List.of(pool())), "but the pools have not admitted db and web yet");
    assertFalse(RunCommand.booted(fleet, fresh, List.of()), "no pool answered yet");

    FleetStatus admitted = new FleetStatus("f", List.of(status("db", true), status("web", false), status("tool", false)),
        3, true, "sim");
    assertFalse(RunCommand.booted(fleet, admitted, List.of(pool())));
    assertTrue(RunCommand.booted(fleet, admitted, List.of(pool("web"))), "web waits in the queue: booted");
    FleetStatus both = new FleetStatus("f", List.of(status("db", true), status("web", true), status("tool", false)),
        3, true, "sim");
    assertTrue(RunCommand.booted(fleet, both, List.of(pool())), "tool is on demand: nobody asked for it");
  }
}
