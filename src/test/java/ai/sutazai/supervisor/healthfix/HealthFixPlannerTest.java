package ai.sutazai.supervisor.healthfix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.supervisor.healthfix.Fix.Kind;
import ai.sutazai.supervisor.healthfix.Observation.HealthCheck;
import ai.sutazai.supervisor.healthfix.Observation.Probe;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthFixPlannerTest {
  private static final FixPolicy POLICY = new FixPolicy(5, Duration.ofMinutes(5), 1.5, 1.5);
  private static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");
  private static final long MIB = 1024L * 1024;
  private static final HealthCheck CHECK = new HealthCheck(List.of("CMD", "true"), Duration.ofSeconds(10),
      Duration.ofSeconds(5), Duration.ofSeconds(30), 3);

  private static Observation container(String state, String health, int exitCode, boolean oom, int deaths,
      Optional<HealthCheck> check, List<Probe> probes) {
    return new Observation("id-" + state, "sutazai-f-a", "f", "a", state, health, exitCode, oom, 0, deaths, T0,
        256 * MIB, check, probes);
  }

  private static Probe probe(int fromSeconds, double durationSeconds, int exitCode) {
    Instant start = T0.plusSeconds(fromSeconds);
    return new Probe(start, start.plusMillis((long) (durationSeconds * 1000)), exitCode, exitCode == 0 ? "ok" : "fail");
  }

  private static Fix only(Observation o) {
    List<Fix> plan = HealthFixPlanner.plan(List.of(o), List.of(), POLICY, false);
    assertEquals(1, plan.size(), plan.toString());
    return plan.get(0);
  }

  @Test
  void runningHealthyOrWithoutCheckNeedsNothing() {
    assertTrue(HealthFixPlanner.plan(List.of(
        container("running", "healthy", 0, false, 0, Optional.of(CHECK), List.of()),
        container("running", "none", 0, false, 0, Optional.empty(), List.of()),
        container("created", "none", 0, false, 0, Optional.empty(), List.of())), List.of(), POLICY, false).isEmpty());
  }

  @Test
  void exitedIsRestartedWithBackoffReset() {
    Fix fix = only(container("exited", "none", 2, false, 1, Optional.empty(), List.of()));
    assertEquals(Kind.RESTART, fix.kind());
    assertTrue(fix.reason().contains("exited with code 2"), fix.reason());
  }

  @Test
  void crashLoopFromDeathsOrEngineRestarts() {
    Fix byDeaths = only(container("running", "none", 1, false, 5, Optional.empty(), List.of()));
    assertEquals(Kind.RESTART, byDeaths.kind());
    assertTrue(byDeaths.reason().startsWith("crash loop: 5 deaths within 300s"), byDeaths.reason());
    assertTrue(HealthFixPlanner.fixFor(container("running", "none", 1, false, 4, Optional.empty(), List.of()), POLICY).isEmpty(),
        "4 deaths is below the threshold of 5");
    assertEquals(Kind.RESTART, only(container("restarting", "none", 1, false, 0, Optional.empty(), List.of())).kind());
  }

  @Test
  void oomKilledRaisesMemoryByHalfRoundedToMib() {
    Fix fix = only(container("exited", "none", 137, true, 1, Optional.empty(), List.of()));
    assertEquals(Kind.RAISE_MEMORY, fix.kind());
    assertEquals(384 * MIB, fix.newMemoryLimitBytes());
    Observation odd = new Observation("x", "n", "f", "a", "exited", "none", 137, true, 0, 0, T0, 100 * MIB + 1,
        Optional.empty(), List.of());
    assertEquals(151 * MIB, HealthFixPlanner.fixFor(odd, POLICY).orElseThrow().newMemoryLimitBytes());
  }

  @Test
  void oomKilledTakesItsLimitFromTheBaselineNeverBelowThePeak() {
    Observation oom = container("exited", "none", 137, true, 1, Optional.empty(), List.of()); // 256 MiB limit, agent "a"
    // p95 200 MiB + 50 % = 300 MiB, above the 280 MiB peak
    MemoryBaseline b = new MemoryBaseline("7", java.util.Map.of("a", new MemoryBaseline.Usage(200 * MIB, 280 * MIB)));
    Fix fix = HealthFixPlanner.plan(List.of(oom), List.of(), POLICY, false, b).get(0);
    assertEquals(Kind.RAISE_MEMORY, fix.kind());
    assertEquals(300 * MIB, fix.newMemoryLimitBytes());
    assertTrue(fix.reason().contains("baseline 7: p95 200 MiB + 50 % headroom, peak 280 MiB"), fix.reason());
    // p95 190 MiB + 50 % = 285 MiB, below the 400.5 MiB peak: the peak, rounded up to MiB
    MemoryBaseline spiky = new MemoryBaseline("8", java.util.Map.of("a", new MemoryBaseline.Usage(190 * MIB, 400 * MIB + MIB / 2)));
    assertEquals(401 * MIB, HealthFixPlanner.fixFor(oom, POLICY, spiky).orElseThrow().newMemoryLimitBytes());
    // the headroom comes from the policy: p95 240 MiB + 25 % = 300 MiB
    FixPolicy quarter = new FixPolicy(5, Duration.ofMinutes(5), 1.5, 1.5, 0.25);
    MemoryBaseline steady = new MemoryBaseline("9", java.util.Map.of("a", new MemoryBaseline.Usage(240 * MIB, 250 * MIB)));
    assertEquals(300 * MIB, HealthFixPlanner.fixFor(oom, quarter, steady).orElseThrow().newMemoryLimitBytes());
  }

  @Test
  void withoutABaselineOfTheContainerTheFixedFactorIsUsedAndSaid() {
    Observation oom = container("exited", "none", 137, true, 1, Optional.empty(), List.of());
    Fix none = HealthFixPlanner.fixFor(oom, POLICY, MemoryBaseline.NONE).orElseThrow();
    assertEquals(384 * MIB, none.newMemoryLimitBytes());
    assertTrue(none.reason().contains("fixed factor x1.5: no baseline recorded"), none.reason());
    Fix other = HealthFixPlanner.fixFor(oom, POLICY,
        new MemoryBaseline("3", java.util.Map.of("b", new MemoryBaseline.Usage(MIB, MIB)))).orElseThrow();
    assertEquals(384 * MIB, other.newMemoryLimitBytes());
    assertTrue(other.reason().contains("baseline 3 has no memory figures for a"), other.reason());
    // a baseline whose figures fit under the limit cannot explain the OOM kill: the factor, saying why
    Fix fits = HealthFixPlanner.fixFor(oom, POLICY,
        new MemoryBaseline("4", java.util.Map.of("a", new MemoryBaseline.Usage(100 * MIB, 120 * MIB)))).orElseThrow();
    assertEquals(384 * MIB, fits.newMemoryLimitBytes());
    assertTrue(fits.reason().contains("fit under the current limit, yet it was OOM-killed"), fits.reason());
  }

  @Test
  void timedOutProbesDoubleTheTimeout() {
    List<Probe> probes = List.of(probe(40, 5, -1), probe(50, 5, -1), probe(60, 5, -1));
    Fix fix = only(container("running", "unhealthy", 0, false, 0, Optional.of(CHECK), probes));
    assertEquals(Kind.RECREATE_WITH_HEALTHCHECK, fix.kind());
    assertEquals(10_000, fix.newTimeoutMillis());
    assertEquals(30_000, fix.newStartPeriodMillis(), "startup not observed and timeout changed: start period kept");
  }

  @Test
  void slowButNotTimedOutProbesGetHeadroom() {
    List<Probe> probes = List.of(probe(40, 4.0, 1), probe(50, 4.2, 1), probe(60, 1, 1));
    Fix fix = only(container("running", "unhealthy", 0, false, 0, Optional.of(CHECK), probes));
    assertEquals(7_000, fix.newTimeoutMillis(), "4.2 s × 1.5 = 6.3 s, rounded up to whole seconds");
  }

  @Test
  void observedStartupSetsTheStartPeriod() {
    // failures while starting, healthy at 52 s after start, then failing again
    List<Probe> probes = List.of(probe(30, 0.1, 1), probe(40, 0.1, 1), probe(52, 0.2, 0), probe(62, 0.1, 1),
        probe(72, 0.1, 1));
    Fix fix = only(container("running", "unhealthy", 0, false, 0, Optional.of(CHECK), probes));
    assertEquals(Kind.RECREATE_WITH_HEALTHCHECK, fix.kind());
    assertEquals(79_000, fix.newStartPeriodMillis(), "52.2 s × 1.5 = 78.3 s → 79 s");
    assertEquals(5_000, fix.newTimeoutMillis(), "fast probes: timeout unchanged");
    assertTrue(fix.reason().contains("became healthy 52.2s after start"), fix.reason());
  }

  @Test
  void healthyLongAfterStartWithNoFailureBeforeItSaysNothingAboutStartup() {
    List<Probe> probes = List.of(probe(600, 0.1, 0), probe(610, 0.1, 1));
    assertEquals(Optional.empty(), HealthFixPlanner.observedStartup(T0, probes, CHECK));
    assertEquals(Optional.of(Duration.ofMillis(5100)),
        HealthFixPlanner.observedStartup(T0, List.of(probe(5, 0.1, 0)), CHECK), "first probe of the run");
  }

  @Test
  void nothingUsableObservedFallsBackToDoubling() {
    List<Probe> probes = List.of(probe(40, 0.1, 1), probe(50, 0.1, 1), probe(60, 0.1, 1));
    Fix fix = only(container("running", "unhealthy", 0, false, 0, Optional.of(CHECK), probes));
    assertEquals(60_000, fix.newStartPeriodMillis());
    assertEquals(10_000, fix.newTimeoutMillis());
    assertTrue(fix.reason().contains("doubling"), fix.reason());
  }

  @Test
  void crashLoopWithFailedProbesRecreatesWithTunedCheck() {
    List<Probe> probes = List.of(probe(40, 5, -1));
    Fix fix = only(container("running", "starting", 1, false, 6, Optional.of(CHECK), probes));
    assertEquals(Kind.RECREATE_WITH_HEALTHCHECK, fix.kind());
  }

  @Test
  void pruneRemovesStoppedContainersWhoseFixIsARestartAndUnusedResources() {
    Observation exited = container("exited", "none", 2, false, 0, Optional.empty(), List.of());
    Observation oom = new Observation("oom", "sutazai-f-b", "f", "b", "exited", "none", 137, true, 0, 0, T0, 64 * MIB,
        Optional.empty(), List.of());
    Observation created = new Observation("c", "sutazai-f-c", "f", "c", "created", "none", 0, false, 0, 0, Instant.EPOCH,
        0, Optional.empty(), List.of());
    List<UnusedResource> unused = List.of(new UnusedResource(Kind.REMOVE_VOLUME, "vol", "vol", "f"),
        new UnusedResource(Kind.REMOVE_NETWORK, "net-id", "net", "f"));

    List<Fix> plan = HealthFixPlanner.plan(List.of(exited, oom, created), unused, POLICY, true);
    assertEquals(List.of(Kind.REMOVE_CONTAINER, Kind.RAISE_MEMORY, Kind.REMOVE_CONTAINER, Kind.REMOVE_VOLUME,
        Kind.REMOVE_NETWORK), plan.stream().map(Fix::kind).toList());
    assertEquals(List.of(Kind.RESTART, Kind.RAISE_MEMORY),
        HealthFixPlanner.plan(List.of(exited, oom, created), unused, POLICY, false).stream().map(Fix::kind).toList(),
        "without --prune nothing is removed");
  }
}
