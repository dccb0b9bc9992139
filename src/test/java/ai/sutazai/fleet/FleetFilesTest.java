package ai.sutazai.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The fleet files shipped in conf/fleets load, and the 69-agent fleet has the seed's totals. */
class FleetFilesTest {
  static final Path SEED_FLEET = Path.of("conf/fleets/sutazai-69.conf");
  static final Path DEMO_FLEET = Path.of("conf/fleets/demo.conf");

  @Test
  void seedFleetHasTheSeedsTotals() {
    FleetSpec spec = FleetLoader.load(SEED_FLEET, null);
    assertEquals(69, spec.agents().size());
    double targetBytes = 47.3 * Sizes.GIB;
    assertTrue(Math.abs(spec.memoryRequestBytes() - targetBytes) <= Sizes.MIB,
        "memory requests " + spec.memoryRequestBytes() + " B must be within 1 MiB of 47.3 GiB (" + targetBytes + " B)");
    assertEquals(40.5, spec.cpuRequest(), 0.0, "exactly 40.5 CPUs");
    assertEquals(20, spec.pools().get("default").maxActive());
  }

  @Test
  void seedFleetDependenciesExistAndHaveNoCycle() {
    FleetSpec spec = FleetLoader.load(SEED_FLEET, null);
    DependencyGraph g = DependencyGraph.of(spec);
    for (AgentSpec a : spec.agents().values()) {
      for (String d : a.dependsOn()) {
        assertTrue(spec.agents().containsKey(d), a.name() + " depends on missing " + d);
      }
    }
    assertTrue(g.findCycle().isEmpty());
    assertStartOrderRespectsDependencies(spec, g.startOrder());
    Set<String> always = spec.agents().values().stream()
        .filter(a -> a.activation() == AgentSpec.Activation.ALWAYS).map(AgentSpec::name).collect(Collectors.toSet());
    assertTrue(always.contains("postgres") && always.size() < 69, "a mix of always and on-demand agents");
    for (String a : always) {
      for (String d : g.transitiveDependenciesOf(a)) {
        assertTrue(always.contains(d), "always-on " + a + " must not need on-demand " + d);
      }
    }
    assertTrue(g.transitiveDependentsOf("model-gateway").size() > 40, "the gateway is the shared hub");
  }

  @Test
  void demoFleetLoads() {
    FleetSpec spec = FleetLoader.load(DEMO_FLEET, null);
    assertEquals("demo", spec.name());
    assertTrue(spec.agents().size() >= 4 && spec.agents().size() <= 6);
    assertEquals(List.of("cache", "vector-store"), spec.agents().get("worker-1").dependsOn());
    for (AgentSpec a : spec.agents().values()) {
      assertEquals("sutazai/busybox:local", a.image());
      assertTrue(a.cpus() >= 0.1 && a.cpus() <= 0.25);
      if (a.health().port() != 0) {
        assertTrue(a.health().port() >= 18100 && a.health().port() <= 18199, a.name());
      }
    }
    assertEquals(HealthSpec.Kind.HTTP, spec.agents().get("cache").health().kind());
    assertEquals("/health", spec.agents().get("cache").health().path());
    assertTrue(String.join(" ", spec.agents().get("flaky").command()).contains("exit 1"));
    assertStartOrderRespectsDependencies(spec, DependencyGraph.of(spec).startOrder());
  }

  static void assertStartOrderRespectsDependencies(FleetSpec spec, List<String> order) {
    assertEquals(spec.agents().keySet(), Set.copyOf(order));
    for (AgentSpec a : spec.agents().values()) {
      for (String d : a.dependsOn()) {
        assertTrue(order.indexOf(d) < order.indexOf(a.name()), d + " must start before " + a.name());
      }
    }
  }
}
