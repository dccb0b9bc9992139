package ai.sutazai.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DependencyGraphTest {

  /** web -> api -> (db, cache); worker -> (cache, db); db and cache free. Written dependents first. */
  private static DependencyGraph sample() {
    Map<String, List<String>> edges = new LinkedHashMap<>();
    edges.put("web", List.of("api"));
    edges.put("api", List.of("db", "cache"));
    edges.put("worker", List.of("cache", "db"));
    edges.put("db", List.of());
    edges.put("cache", List.of());
    return DependencyGraph.of(edges);
  }

  @Test
  void startOrderPutsDependenciesFirstAndKeepsFileOrderOtherwise() {
    assertEquals(List.of("db", "cache", "api", "web", "worker"), sample().startOrder());
    assertEquals(List.of("worker", "web", "api", "cache", "db"), sample().stopOrder());
    assertEquals(List.of(List.of("db", "cache"), List.of("api", "worker"), List.of("web")), sample().startWaves());
  }

  @Test
  void directAndTransitiveRelations() {
    DependencyGraph g = sample();
    assertEquals(Set.of("api"), g.dependenciesOf("web"));
    assertEquals(List.of("db", "cache", "api"), g.transitiveDependenciesOf("web"));
    assertEquals(Set.of("api", "worker"), g.dependentsOf("db"));
    assertEquals(List.of("api", "web", "worker"), g.transitiveDependentsOf("cache"));
    assertEquals(List.of(), g.transitiveDependentsOf("web"));
    assertThrows(IllegalArgumentException.class, () -> g.dependentsOf("nope"));
  }

  @Test
  void cyclesAreFoundWithTheirPath() {
    Map<String, List<String>> edges = new LinkedHashMap<>();
    edges.put("x", List.of("a"));
    edges.put("a", List.of("b"));
    edges.put("b", List.of("c", "ghost"));
    edges.put("c", List.of("a"));
    DependencyGraph g = DependencyGraph.of(edges);
    assertEquals(Optional.of(List.of("a", "b", "c", "a")), g.findCycle());
    assertEquals(1, g.cycles().size(), "one report per cycle, not one per member");
    IllegalStateException e = assertThrows(IllegalStateException.class, g::startOrder);
    assertTrue(e.getMessage().contains("a -> b -> c -> a"));
    assertTrue(sample().findCycle().isEmpty());
  }

  @Test
  void didYouMeanPicksTheNearestKnownWord() {
    assertEquals(Optional.of("depends-on"), DidYouMean.suggest("dependsOn", FleetLoader.AGENT_KEYS));
    assertEquals(Optional.of("depends-on"), DidYouMean.suggest("depends_on", FleetLoader.AGENT_KEYS));
    assertEquals(Optional.of("memory-limit"), DidYouMean.suggest("memory-limt", FleetLoader.AGENT_KEYS));
    assertEquals(Optional.empty(), DidYouMean.suggest("zzzzzz", FleetLoader.AGENT_KEYS));
    assertEquals(3, DidYouMean.distance("kitten", "sitting"));
  }
}
