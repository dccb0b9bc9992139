package ai.sutazai.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.FleetLoader;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.fleet.Sizes;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CapacityAnalysisTest {
  static final CapacityAnalysis.Host SEED_HOST = new CapacityAnalysis.Host(29 * Sizes.GIB, 12, "given");

  static AgentSpec agent(String name, int priority, long memoryBytes, double cpus, AgentSpec.Activation activation) {
    return new AgentSpec(name, "img", null, null, memoryBytes, memoryBytes, cpus, priority, null, null, null, null,
        activation, null, null, null);
  }

  static FleetSpec fleet(AgentSpec... agents) {
    Map<String, AgentSpec> m = new LinkedHashMap<>();
    for (AgentSpec a : agents) {
      m.put(a.name(), a);
    }
    return new FleetSpec("small", null, m, Map.of());
  }

  /** a(10, 1 GiB, 1), b(5, 2 GiB, 0.5), c(5, 1 GiB, 2), d(1, 512 MiB, 0.25): 4.5 GiB, 3.75 cores. */
  static FleetSpec small() {
    return fleet(
        agent("a", 10, Sizes.GIB, 1, AgentSpec.Activation.ALWAYS),
        agent("b", 5, 2 * Sizes.GIB, 0.5, AgentSpec.Activation.ALWAYS),
        agent("c", 5, Sizes.GIB, 2, AgentSpec.Activation.ON_DEMAND),
        agent("d", 1, 512 * Sizes.MIB, 0.25, AgentSpec.Activation.ON_DEMAND));
  }

  static final CapacityAnalysis.Host SMALL_HOST = new CapacityAnalysis.Host(4 * Sizes.GIB, 2, "given");
  static final CapacityAnalysis.Targets SMALL_TARGETS = new CapacityAnalysis.Targets(0.75, 1.0);

  @Test
  void seedFleetOnSeedHostGivesTheSeedsFigures() {
    FleetSpec spec = FleetLoader.load(Path.of("conf/fleets/sutazai-69.conf"), null);
    CapacityAnalysis.Result r = CapacityAnalysis.analyze(spec, SEED_HOST, CapacityAnalysis.Targets.DEFAULT);
    assertEquals(18.3, Math.round(r.shortfall().memoryBytes() * 10.0 / Sizes.GIB) / 10.0, 1e-9, "18.3 GiB");
    assertEquals(63, Math.round(r.shortfall().memoryPercent()));
    assertEquals(28.5, r.shortfall().cpuCores(), 1e-9);
    assertEquals(237.5, r.shortfall().cpuPercent(), 1e-9);
    assertEquals(238, Math.round(r.shortfall().cpuPercent()));
    assertTrue(r.admission().cpuUsed() <= 12.0 && r.admission().memoryUsedBytes() <= r.memoryBudgetBytes());
    assertEquals(r.admission().admitted().size(), r.maxConcurrentAgents());
  }

  @Test
  void smallFleetByHand() {
    CapacityAnalysis.Result r = CapacityAnalysis.analyze(small(), SMALL_HOST, SMALL_TARGETS);
    assertEquals(3 * Sizes.GIB, r.memoryBudgetBytes(), "4 GiB x 0.75");
    assertEquals(2.0, r.cpuBudget());
    // 4.5 GiB on 4 GiB: 0.5 GiB short, 12.5 %; 3.75 cores on 2: 1.75 short, 87.5 %.
    assertEquals(new CapacityAnalysis.Shortfall(Sizes.GIB / 2, 12.5, 1.75, 87.5), r.shortfall());
    // order a (10), then priority 5 with the smaller memory first: c (1 GiB) before b (2 GiB), then d.
    // a fits (1 GiB, 1 core); c would need 3 cores: skipped; b fits (3 GiB, 1.5); d would need 3.5 GiB.
    assertEquals(List.of("a", "b"), r.admission().admitted().stream().map(AgentSpec::name).toList());
    assertEquals(List.of("c", "d"), r.admission().rejected().stream().map(AgentSpec::name).toList());
    assertEquals(2, r.maxConcurrentAgents());
  }

  @Test
  void admissionOrderIsPriorityThenSmallerMemory() {
    List<String> order = small().agents().values().stream().sorted(CapacityAnalysis.admissionOrder())
        .map(AgentSpec::name).toList();
    assertEquals(List.of("a", "c", "b", "d"), order);
  }

  @Test
  void noShortfallIsAllZeros() {
    CapacityAnalysis.Result r = CapacityAnalysis.analyze(small(), new CapacityAnalysis.Host(64 * Sizes.GIB, 32, "given"),
        CapacityAnalysis.Targets.DEFAULT);
    assertEquals(new CapacityAnalysis.Shortfall(0, 0, 0, 0), r.shortfall());
    assertEquals(4, r.maxConcurrentAgents());
    assertEquals(0.0, CapacityAnalysis.percentOver(3, 4));
    assertEquals(50.0, CapacityAnalysis.percentOver(6, 4));
  }

  @Test
  void budgetEdgesAdmitExactFits() {
    // ten agents of 0.1 core: the float sum 0.99999... must still fit a budget of exactly 1 core.
    AgentSpec[] tenths = new AgentSpec[10];
    for (int i = 0; i < 10; i++) {
      tenths[i] = agent("t" + i, 0, 100 * Sizes.MIB, 0.1, AgentSpec.Activation.ON_DEMAND);
    }
    CapacityAnalysis.Admission a = CapacityAnalysis.admit(List.of(tenths), 1000 * Sizes.MIB, 1.0);
    assertEquals(10, a.admitted().size());
    assertEquals(9, CapacityAnalysis.admit(List.of(tenths), 999 * Sizes.MIB, 1.0).admitted().size());
  }

  @Test
  void targetsComeFromConfigAndAreChecked() {
    assertEquals(new CapacityAnalysis.Targets(0.8, 1.0), CapacityAnalysis.Targets.fromConfig(ConfigFactory.empty()));
    assertEquals(new CapacityAnalysis.Targets(0.5, 2.0), CapacityAnalysis.Targets.fromConfig(ConfigFactory.parseString(
        "sutazai.quota { memory-utilisation-target = 0.5, cpu-utilisation-target = 2.0 }")));
    assertEquals(new CapacityAnalysis.Targets(0.8, 1.0), CapacityAnalysis.Targets.fromConfig(
        ConfigFactory.defaultReference()), "reference.conf states the defaults");
    assertThrows(IllegalArgumentException.class, () -> new CapacityAnalysis.Targets(1.5, 1.0));
    assertThrows(IllegalArgumentException.class, () -> new CapacityAnalysis.Targets(0.8, 0));
  }

  @Test
  void hardwareScenariosByHand() {
    CapacityAnalysis.Result r = CapacityAnalysis.analyze(small(), SMALL_HOST, SMALL_TARGETS);
    Recommendations.Prices prices = new Recommendations.Prices(10, 100, "USD", Sizes.GIB, 1, 0.6);
    Recommendations rec = Recommendations.of(r, prices);
    assertEquals(new Recommendations.Quota(2, 3 * Sizes.GIB, 2.0), rec.quota());
    assertEquals(List.of(), rec.alwaysOnNotFitting(), "a and b, the always-on agents, both fit");
    // 100 %: 4.5 GiB / 0.75 = 6 GiB (+2 GiB = $20); 3.75 cores -> 4 (+2 = $200).
    Recommendations.HardwareScenario all = rec.hardware().get(0);
    assertEquals(4, all.agents());
    assertEquals(6 * Sizes.GIB, all.memoryBytes());
    assertEquals(4.0, all.cpus());
    assertEquals(20.0, all.memoryCost(), 1e-9);
    assertEquals(200.0, all.cpuCost(), 1e-9);
    // 60 %: ceil(2.4) = 3 agents a, c, b: 4 GiB / 0.75 = 5.33 GiB -> 6 GiB; 3.5 cores -> 4.
    Recommendations.HardwareScenario part = rec.hardware().get(1);
    assertEquals(3, part.agents());
    assertEquals(6 * Sizes.GIB, part.memoryBytes());
    assertEquals(4.0, part.cpus());
  }

  @Test
  void alwaysOnAgentsThatDoNotFitAreNamed() {
    FleetSpec f = fleet(agent("big", 1, 8 * Sizes.GIB, 1, AgentSpec.Activation.ALWAYS),
        agent("small", 9, Sizes.GIB, 1, AgentSpec.Activation.ALWAYS));
    Recommendations rec = Recommendations.of(CapacityAnalysis.analyze(f, SMALL_HOST, SMALL_TARGETS), Recommendations.Prices.DEFAULT);
    assertEquals(List.of("big"), rec.alwaysOnNotFitting());
  }

  @Test
  void seedHardwareUpgradeCostsTheSeedsPriceForMemory() {
    FleetSpec spec = FleetLoader.load(Path.of("conf/fleets/sutazai-69.conf"), null);
    CapacityAnalysis.Result r = CapacityAnalysis.analyze(spec, SEED_HOST, CapacityAnalysis.Targets.DEFAULT);
    Recommendations.Prices prices = Recommendations.Prices.fromConfig(ConfigFactory.defaultReference());
    Recommendations.HardwareScenario all = Recommendations.of(r, prices).hardware().get(0);
    // 47.3 GiB / 0.8 = 59.1 GiB, bought as 64 GiB: 35 GiB more, the seed's ~$1,500.
    assertEquals(64 * Sizes.GIB, all.memoryBytes());
    assertEquals(1500, all.memoryCost(), 1.0);
    assertEquals(42, Recommendations.of(r, prices).hardware().get(1).agents(), "ceil(0.6 x 69 = 41.4)");
  }
}
