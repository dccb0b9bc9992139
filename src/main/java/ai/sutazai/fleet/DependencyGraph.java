package ai.sutazai.fleet;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The agents' {@code depends-on} relation: start order, dependencies and dependents (direct and
 * transitive), cycles. Immutable. Every result lists agents in the fleet's file order where the relation
 * leaves the order free, so plans and logs are stable from run to run.
 */
public final class DependencyGraph {
  private final List<String> nodes;
  private final Map<String, Integer> index;
  private final Map<String, Set<String>> dependencies;
  private final Map<String, Set<String>> dependents;

  private DependencyGraph(Map<String, ? extends Collection<String>> edges) {
    List<String> n = new ArrayList<>(edges.keySet());
    Map<String, Integer> idx = new LinkedHashMap<>();
    for (int i = 0; i < n.size(); i++) {
      idx.put(n.get(i), i);
    }
    Map<String, Set<String>> deps = new LinkedHashMap<>();
    Map<String, Set<String>> rdeps = new LinkedHashMap<>();
    for (String a : n) {
      deps.put(a, new LinkedHashSet<>());
      rdeps.put(a, new LinkedHashSet<>());
    }
    for (String a : n) {
      for (String d : edges.get(a)) {
        if (idx.containsKey(d)) {
          deps.get(a).add(d);
          rdeps.get(d).add(a);
        }
      }
    }
    this.nodes = List.copyOf(n);
    this.index = Collections.unmodifiableMap(idx);
    this.dependencies = freeze(deps);
    this.dependents = freeze(rdeps);
  }

  /** The graph of a validated fleet. */
  public static DependencyGraph of(FleetSpec fleet) {
    Map<String, List<String>> edges = new LinkedHashMap<>();
    fleet.agents().forEach((name, spec) -> edges.put(name, spec.dependsOn()));
    return new DependencyGraph(edges);
  }

  /**
   * A graph from agent name to the names it depends on, in the map's order. Edges to names that are not
   * keys are ignored (the loader reports those as unknown dependencies).
   */
  public static DependencyGraph of(Map<String, ? extends Collection<String>> edges) {
    return new DependencyGraph(edges);
  }

  /** All agents, in file order. */
  public List<String> agents() {
    return nodes;
  }

  /** What {@code agent} names in its depends-on (that exists). */
  public Set<String> dependenciesOf(String agent) {
    return dependencies.get(require(agent));
  }

  /** The agents that name {@code agent} in their depends-on. */
  public Set<String> dependentsOf(String agent) {
    return dependents.get(require(agent));
  }

  /** Everything {@code agent} needs running, directly or through others, in start order. */
  public List<String> transitiveDependenciesOf(String agent) {
    return inStartOrder(reach(require(agent), dependencies));
  }

  /** Everything that needs {@code agent}, directly or through others, in start order. */
  public List<String> transitiveDependentsOf(String agent) {
    return inStartOrder(reach(require(agent), dependents));
  }

  /**
   * Every agent after all of its dependencies; among agents free to go, file order.
   *
   * @throws IllegalStateException when the graph has a cycle (a loaded FleetSpec never has one)
   */
  public List<String> startOrder() {
    Map<String, Integer> waiting = new LinkedHashMap<>();
    PriorityQueue<String> ready = new PriorityQueue<>((a, b) -> Integer.compare(index.get(a), index.get(b)));
    for (String a : nodes) {
      waiting.put(a, dependencies.get(a).size());
      if (dependencies.get(a).isEmpty()) {
        ready.add(a);
      }
    }
    List<String> order = new ArrayList<>(nodes.size());
    while (!ready.isEmpty()) {
      String a = ready.poll();
      order.add(a);
      for (String d : dependents.get(a)) {
        if (waiting.merge(d, -1, Integer::sum) == 0) {
          ready.add(d);
        }
      }
    }
    if (order.size() != nodes.size()) {
      throw new IllegalStateException("dependency cycle: " + String.join(" -> ", findCycle().orElseThrow()));
    }
    return List.copyOf(order);
  }

  /** The reverse of {@link #startOrder()}: dependents stop before what they depend on. */
  public List<String> stopOrder() {
    List<String> order = new ArrayList<>(startOrder());
    Collections.reverse(order);
    return List.copyOf(order);
  }

  /**
   * Start waves: wave 0 has no dependencies, wave n depends only on earlier waves. Agents of one wave
   * may start in parallel.
   */
  public List<List<String>> startWaves() {
    Map<String, Integer> depth = new LinkedHashMap<>();
    for (String a : startOrder()) {
      int d = 0;
      for (String dep : dependencies.get(a)) {
        d = Math.max(d, depth.get(dep) + 1);
      }
      depth.put(a, d);
    }
    List<List<String>> waves = new ArrayList<>();
    for (String a : nodes) {
      int d = depth.get(a);
      while (waves.size() <= d) {
        waves.add(new ArrayList<>());
      }
      waves.get(d).add(a);
    }
    return waves.stream().map(List::copyOf).toList();
  }

  /** A cycle as a path that ends where it starts ({@code a -> b -> a}), if there is one. */
  public Optional<List<String>> findCycle() {
    List<List<String>> all = cycles();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /**
   * One cycle per strongly connected group of agents that depend on each other (including an agent that
   * depends on itself), each as a closed path starting at the group's first agent in file order.
   */
  public List<List<String>> cycles() {
    List<List<String>> out = new ArrayList<>();
    Set<String> covered = new LinkedHashSet<>();
    for (String start : nodes) {
      if (covered.contains(start)) {
        continue;
      }
      List<String> path = pathBack(start);
      if (path != null) {
        covered.addAll(path);
        out.add(List.copyOf(path));
      }
    }
    return out;
  }

  /** Shortest closed path start -> ... -> start along dependencies (BFS), or null. */
  private List<String> pathBack(String start) {
    Map<String, String> parent = new LinkedHashMap<>();
    Deque<String> queue = new ArrayDeque<>();
    queue.add(start);
    Set<String> seen = new LinkedHashSet<>();
    while (!queue.isEmpty()) {
      String a = queue.poll();
      for (String d : dependencies.get(a)) {
        if (d.equals(start)) {
          List<String> path = new ArrayList<>();
          path.add(start);
          for (String x = a; !x.equals(start); x = parent.get(x)) {
            path.add(1, x);
          }
          path.add(start);
          return path;
        }
        if (seen.add(d)) {
          parent.put(d, a);
          queue.add(d);
        }
      }
    }
    return null;
  }

  private Set<String> reach(String from, Map<String, Set<String>> edges) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> stack = new ArrayDeque<>(edges.get(from));
    while (!stack.isEmpty()) {
      String a = stack.pop();
      if (seen.add(a)) {
        stack.addAll(edges.get(a));
      }
    }
    seen.remove(from);
    return seen;
  }

  /** The subset in start order (file order if the graph has a cycle and so no start order). */
  private List<String> inStartOrder(Set<String> subset) {
    List<String> order;
    try {
      order = startOrder();
    } catch (IllegalStateException cycle) {
      order = nodes;
    }
    List<String> out = new ArrayList<>();
    for (String a : order) {
      if (subset.contains(a)) {
        out.add(a);
      }
    }
    return List.copyOf(out);
  }

  private String require(String agent) {
    if (!index.containsKey(agent)) {
      throw new IllegalArgumentException("no agent '" + agent + "' in the fleet");
    }
    return agent;
  }

  private static Map<String, Set<String>> freeze(Map<String, Set<String>> m) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, Collections.unmodifiableSet(v)));
    return Collections.unmodifiableMap(out);
  }
}
