package ai.sutazai.supervisor.healthfix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.HealthSpec;
import ai.sutazai.supervisor.healthfix.Fix.Kind;
import ai.sutazai.supervisor.healthfix.Fix.SpecChange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The plan with a running daemon: its containers are left to it, resets go through it, probes become spec proposals. */
class DaemonPlannerTest {
  private static final FixPolicy POLICY = new FixPolicy(3, Duration.ofMinutes(1), 1.5, 1.5);
  private static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");
  private static final long MIB = 1024L * 1024;

  private static Observation container(String id, String fleet, String agent, String state, int deaths, boolean oom) {
    return new Observation(id, "sutazai-" + fleet + "-" + agent, fleet, agent, state, "none", oom ? 137 : 3, oom, 0, deaths, T0,
        64 * MIB, Optional.empty(), List.of());
  }

  private static DaemonView.Event ev(String type, String reason, int atSeconds) {
    return new DaemonView.Event(type, reason, T0.plusSeconds(atSeconds));
  }

  private static AgentSpec spec(String name, Duration timeout, Duration startPeriod) {
    HealthSpec h = new HealthSpec(HealthSpec.Kind.CMD, 0, "/", List.of("sleep", "2"), Duration.ofMillis(300), timeout, 1,
        startPeriod);
    return new AgentSpec(name, "busybox", List.of("sleep", "300"), Map.of(), 16 * MIB, 0, 0.1, 0, List.of(), Duration.ZERO, h,
        List.of(), AgentSpec.Activation.ALWAYS, "default", null, null);
  }

  private static List<Fix> plan(List<Observation> observed, DaemonView daemon, String fleet) {
    List<Fix> engine = HealthFixPlanner.plan(observed, List.of(), POLICY, false);
    return DaemonPlanner.plan(engine, observed, daemon, fleet, POLICY);
  }

  @Test
  void aCrashLoopedAgentOfTheDaemonIsResetThroughItAndNotRestartedOnTheEngine() {
    Observation ours = container("c1", "f", "crasher", "exited", 3, false);
    Observation other = container("c2", "g", "elsewhere", "exited", 0, false);
    DaemonView daemon = new DaemonView("http://127.0.0.1:1", Set.of("c1"), List.of(
        new DaemonView.Agent("crasher", "CRASH_LOOP", "c1", "crash loop: 3 restarts", List.of())), Map.of());
    List<Fix> fixes = plan(List.of(ours, other), daemon, null);
    assertEquals(List.of(Kind.RESTART, Kind.RESET_VIA_DAEMON), fixes.stream().map(Fix::kind).toList(), fixes.toString());
    assertEquals("c2", fixes.get(0).target(), "a container of another fleet keeps the engine plan");
    assertEquals("crasher", fixes.get(1).agent());
    assertTrue(fixes.get(1).reason().contains("http://127.0.0.1:1"), fixes.get(1).reason());
  }

  @Test
  void probesThatHitTheirTimeoutGiveFleetSpecKeysNotAHealthcheck() {
    Observation slow = container("c1", "f", "slow", "running", 0, false);
    List<DaemonView.Event> events = List.of(
        ev("Registered", "registered", 0), ev("ContainerStarted", "started", 1), ev("BecameHealthy", "healthy", 4),
        ev("BecameUnhealthy", "unhealthy: command [sleep, 2] timed out after 1000 ms (1 consecutive failures)", 10),
        ev("ContainerStarted", "started", 11),
        ev("BecameUnhealthy", "unhealthy: command [sleep, 2] timed out after 1200 ms (1 consecutive failures)", 20));
    DaemonView daemon = new DaemonView("http://d", Set.of("c1"), List.of(new DaemonView.Agent("slow", "UNHEALTHY", "c1", null,
        events)), Map.of("slow", spec("slow", Duration.ofSeconds(1), Duration.ZERO)));
    List<Fix> fixes = plan(List.of(slow), daemon, "f");
    assertEquals(1, fixes.size(), fixes.toString());
    Fix f = fixes.get(0);
    assertEquals(Kind.PROPOSE_SPEC_CHANGE, f.kind());
    // timeout: max(1s x 2, 1.2s x 1.5) = 2s; start-period: became healthy 3s after start, x 1.5 = 4.5 -> 5s
    assertEquals(List.of(new SpecChange("agents.slow.health.timeout", "1s", "2s"),
        new SpecChange("agents.slow.health.start-period", "0s", "5s")), f.specChanges());
    assertTrue(f.reason().contains("2 probe(s) hit the 1s timeout"), f.reason());
  }

  @Test
  void aStartupStillFailingWhenDeclaredUnhealthyWidensTheStartPeriodAndOlderSpecsDoNotCount() {
    List<DaemonView.Event> events = List.of(
        ev("ContainerStarted", "started", 0),
        ev("BecameUnhealthy", "unhealthy: command [sleep, 2] timed out after 1000 ms (1 consecutive failures)", 5),
        ev("Registered", "registered", 100), ev("ContainerStarted", "started", 101),
        ev("BecameUnhealthy", "unhealthy: http http://127.0.0.1:1/health: ConnectException null (3 consecutive failures)", 121));
    DaemonView daemon = new DaemonView("http://d", Set.of("c1"), List.of(new DaemonView.Agent("late", "RESTARTING", "c1", null,
        events)), Map.of("late", spec("late", Duration.ofSeconds(1), Duration.ofSeconds(10))));
    Fix f = plan(List.of(container("c1", "f", "late", "running", 0, false)), daemon, null).get(0);
    // only after the last Registered: no timeouts; still failing 20 s after start x 1.5 = 30s
    assertEquals(List.of(new SpecChange("agents.late.health.start-period", "10s", "30s")), f.specChanges(), f.reason());
    assertTrue(f.reason().contains("was still failing its probe 20s after start"), f.reason());
  }

  @Test
  void aHealthyHistoryProposesNothingAndAnOomKillBecomesAMemoryLimitProposal() {
    Observation oom = container("c1", "f", "big", "exited", 0, true);
    DaemonView daemon = new DaemonView("http://d", Set.of("c1"), List.of(new DaemonView.Agent("big", "RESTARTING", "c1", null,
        List.of(ev("ContainerStarted", "s", 0), ev("BecameHealthy", "h", 1)))), Map.of());
    List<Fix> fixes = plan(List.of(oom), daemon, null);
    assertEquals(1, fixes.size(), fixes.toString());
    assertEquals(Kind.PROPOSE_SPEC_CHANGE, fixes.get(0).kind());
    assertEquals(List.of(new SpecChange("agents.big.memory-limit", "?", "96MiB")), fixes.get(0).specChanges());
  }

  @Test
  void anotherFleetAskedForLeavesTheDaemonsAgentsAlone() {
    DaemonView daemon = new DaemonView("http://d", Set.of("c1"), List.of(
        new DaemonView.Agent("crasher", "CRASH_LOOP", "c1", null, List.of())), Map.of());
    assertTrue(plan(List.of(container("c1", "f", "crasher", "exited", 3, false)), daemon, "other").isEmpty());
  }
}
