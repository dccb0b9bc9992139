package ai.sutazai.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.runtime.SimulatedRuntime;
import ai.sutazai.supervisor.container.HostPressure;
import ai.sutazai.supervisor.protocol.AgentEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Many agents die together, as when a dependency they all share fails: the real supervisor (guardian, pools,
 * entities, H2 journal in a temp dir) on a SimulatedRuntime, whose containers are crashed at once. The pool's
 * restart budget spreads the restarts over time instead of restarting all at once, and jitter spreads the
 * restart delays.
 */
class RestartStormTest {
  private static final int AGENTS = 10;
  private static final Duration LONG = Duration.ofSeconds(60);

  private static String fleet(String pool) {
    StringBuilder b = new StringBuilder("  agents {\n");
    for (int i = 0; i < AGENTS; i++) {
      b.append("    a").append(i).append(" { image = \"sim\", memory = 16MiB, cpus = 0.1, pool = shared }\n");
    }
    return b.append("  }\n  pools { shared { max-active = ").append(AGENTS).append(", memory-budget = 1GiB, cpu-budget = 4")
        .append(pool).append(" } }").toString();
  }

  /** Crashes every agent's container at once; returns each agent's restart: the start that followed. */
  private static List<Restart> crashAllAndAwaitRestarts(SupervisorHarness h, SimulatedRuntime runtime) {
    List<AgentEvent.ContainerStarted> first = new ArrayList<>();
    for (int i = 0; i < AGENTS; i++) {
      first.add(h.await("a" + i, AgentEvent.ContainerStarted.class, LONG));
      h.await("a" + i, AgentEvent.BecameHealthy.class, LONG);
    }
    for (int i = 0; i < AGENTS; i++) {
      runtime.crash(h.healthyStatus("a" + i, LONG).containerId(), 1);
    }
    List<Restart> restarts = new ArrayList<>();
    for (int i = 0; i < AGENTS; i++) {
      AgentEvent.RestartScheduled scheduled = h.awaitAfter("a" + i, AgentEvent.RestartScheduled.class, first.get(i), LONG);
      AgentEvent.ContainerStarted again = h.awaitAfter("a" + i, AgentEvent.ContainerStarted.class, scheduled, LONG);
      restarts.add(new Restart("a" + i, scheduled, again.at()));
    }
    return restarts;
  }

  private record Restart(String agent, AgentEvent.RestartScheduled scheduled, Instant startedAt) {}

  @Test
  void thePoolsRestartBudgetHoldsBackAStormAndLetsEveryRestartThroughLater() throws Exception {
    // 3 restarts per 4 s in pool `shared` (the global budget, 20 per minute, would let all 10 through at once);
    // jitter 0 (the harness) and a 100 ms backoff: all 10 restarts are wanted at the same moment.
    int budget = 3;
    Duration window = Duration.ofSeconds(4);
    SimulatedRuntime runtime = SimulatedRuntime.create();
    try (SupervisorHarness h = new SupervisorHarness("storm" + System.nanoTime() % 100000, null, runtime,
        SupervisorHarness.tempDir("storm"), fleet(", restart-budget { max-restarts = " + budget + ", window = 4s }"),
        HostPressure.none(), Map.of("sutazai.supervisor.restart.min-backoff", "100ms",
            "sutazai.supervisor.pool-restart-budget.max-restarts", "20",
            "sutazai.supervisor.pool-restart-budget.window", "1m"))) {
      List<Restart> restarts = crashAllAndAwaitRestarts(h, runtime);

      // Every agent restarted, once: held back, never dropped.
      assertEquals(AGENTS, restarts.size());
      for (int i = 0; i < AGENTS; i++) {
        String agent = "a" + i;
        assertEquals(1, h.seen.stream().filter(p -> p.agent().equals(agent) && p.event() instanceof AgentEvent.RestartScheduled)
            .count(), agent + " restarted more than once");
      }
      List<Instant> starts = restarts.stream().map(Restart::startedAt).sorted().toList();
      // At most `budget` restarts per window: the restart `budget` places later started a window after (less the
      // time a permitted restart may take to reach the engine: 1.5 s on a loaded machine, far above the
      // milliseconds of the simulated engine). Without the budget all 10 start within a few hundred ms.
      Duration slack = Duration.ofMillis(1500);
      for (int i = 0; i + budget < starts.size(); i++) {
        Duration gap = Duration.between(starts.get(i), starts.get(i + budget));
        assertTrue(gap.compareTo(window.minus(slack)) >= 0,
            "restarts " + i + " and " + (i + budget) + " only " + gap.toMillis() + " ms apart; starts " + starts);
      }
      // So the last restart waited for ceil(10 / 3) - 1 = 3 windows of the budget.
      Duration spread = Duration.between(starts.get(0), starts.get(starts.size() - 1));
      assertTrue(spread.compareTo(window.multipliedBy(3).minus(slack)) >= 0, "restarts spread over only " + spread.toMillis() + " ms");
    }
  }

  @Test
  void jitterSpreadsTheRestartDelaysOfAgentsThatDiedTogether() throws Exception {
    // A 1 s backoff with 50 % jitter: each delay is 1000 ms plus a random 0 - 500 ms. The budget is out of the way.
    SimulatedRuntime runtime = SimulatedRuntime.create();
    try (SupervisorHarness h = new SupervisorHarness("jitter" + System.nanoTime() % 100000, null, runtime,
        SupervisorHarness.tempDir("jitter"), fleet(", restart-budget { max-restarts = 100 }"), HostPressure.none(),
        Map.of("sutazai.supervisor.restart.min-backoff", "1s", "sutazai.supervisor.restart.jitter", "0.5"))) {
      List<Long> delays = crashAllAndAwaitRestarts(h, runtime).stream().map(r -> r.scheduled().delayMillis()).sorted().toList();
      assertTrue(delays.get(0) >= 1000 && delays.get(delays.size() - 1) <= 1500, "delays out of [1000, 1500] ms: " + delays);
      // 10 uniform draws over 500 ms: their range is below 150 ms with a probability of about 1e-4.
      long range = delays.get(delays.size() - 1) - delays.get(0);
      assertTrue(range >= 150, "delays bunched within " + range + " ms: " + delays);
      assertTrue(delays.stream().distinct().count() >= AGENTS - 3, "delays repeat: " + delays);
    }
  }
}
