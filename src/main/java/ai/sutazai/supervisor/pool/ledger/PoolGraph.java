package ai.sutazai.supervisor.pool.ledger;

import ai.sutazai.fleet.DependencyGraph;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dependency graph as one pool needs it, with the start order computed once: an agent's closure (its
 * dependencies in this pool, then itself, in start order) is cached, because admission asks for it on
 * every decision and the fleet's graph recomputes the order on every call.
 *
 * <p>Confined to the pool actor; not thread-safe.
 */
public final class PoolGraph {
  private final DependencyGraph graph;
  private final Set<String> members;
  private final Map<String, Integer> startIndex = new HashMap<>();
  private final Map<String, List<String>> closures = new HashMap<>();
  private final Map<String, List<String>> otherPoolDependencies = new HashMap<>();

  public PoolGraph(DependencyGraph graph, Collection<String> members) {
    this.graph = graph;
    this.members = Set.copyOf(members);
    List<String> order = graph.startOrder();
    for (int i = 0; i < order.size(); i++) {
      startIndex.put(order.get(i), i);
    }
  }

  public DependencyGraph fleet() {
    return graph;
  }

  /** {@code agent}'s dependencies that belong to this pool, then {@code agent}, in start order. */
  public List<String> closure(String agent) {
    return closures.computeIfAbsent(agent, a -> {
      Set<String> seen = reach(a, true);
      List<String> out = new ArrayList<>();
      for (String s : seen) {
        if (members.contains(s)) {
          out.add(s);
        }
      }
      out.sort((x, y) -> Integer.compare(startIndex.get(x), startIndex.get(y)));
      return List.copyOf(out);
    });
  }

  /**
   * The agents of this pool that must run while the {@code requested} ones do: their closures. A requested
   * agent that is no longer this pool's (the ledger may still name it until the boot releases it) needs
   * nothing here.
   */
  public Set<String> wantedBy(Collection<String> requested) {
    Set<String> out = new HashSet<>();
    for (String r : requested) {
      if (members.contains(r)) {
        out.addAll(closure(r));
      }
    }
    return out;
  }

  /** True when some agent of {@code wanted} other than {@code agent} needs it, directly or through others. */
  public boolean neededByOther(String agent, Set<String> wanted) {
    for (String d : reach(agent, false)) {
      if (!d.equals(agent) && wanted.contains(d)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code agent}'s dependencies, direct or through others, that belong to other pools: they are requested
   * from their own pools when {@code agent} is admitted here.
   */
  public List<String> otherPoolDependencies(String agent) {
    return otherPoolDependencies.computeIfAbsent(agent, a -> {
      List<String> out = new ArrayList<>();
      for (String d : reach(a, true)) {
        if (!d.equals(a) && !members.contains(d)) {
          out.add(d);
        }
      }
      return List.copyOf(out);
    });
  }

  /** The direct dependents of {@code agent} that belong to other pools. */
  public List<String> otherPoolDependents(String agent) {
    List<String> out = new ArrayList<>();
    for (String d : graph.dependentsOf(agent)) {
      if (!members.contains(d)) {
        out.add(d);
      }
    }
    return out;
  }

  /** {@code agent} and everything reachable from it along dependencies ({@code down}) or dependents. */
  private Set<String> reach(String agent, boolean down) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    todo.add(agent);
    while (!todo.isEmpty()) {
      String a = todo.poll();
      if (seen.add(a)) {
        todo.addAll(down ? graph.dependenciesOf(a) : graph.dependentsOf(a));
      }
    }
    return seen;
  }
}
