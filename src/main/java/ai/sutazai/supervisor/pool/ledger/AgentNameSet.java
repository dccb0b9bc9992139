package ai.sutazai.supervisor.pool.ledger;

import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;

/**
 * An immutable, persistent set of agent names in name order: adding or removing a name returns a new set
 * in O(log n) that shares the rest with this one, where a copy of a HashSet cost O(n) for each admission.
 * A plain {@link java.util.Set} to everyone else (serialized by Jackson as the array of strings it always was).
 */
final class AgentNameSet extends AbstractSet<String> {
  private static final AgentNameSet EMPTY = new AgentNameSet(RankedTree.empty(String::compareTo));

  private final RankedTree<String, String> names;

  private AgentNameSet(RankedTree<String, String> names) {
    this.names = names;
  }

  public static AgentNameSet empty() {
    return EMPTY;
  }

  /** The set of {@code names} (null = none). */
  public static AgentNameSet of(Collection<String> names) {
    if (names instanceof AgentNameSet s) {
      return s;
    }
    AgentNameSet s = EMPTY;
    if (names != null) {
      for (String n : names) {
        s = s.with(n);
      }
    }
    return s;
  }

  public AgentNameSet with(String name) {
    RankedTree<String, String> n = names.put(name, name);
    return n == names ? this : new AgentNameSet(n);
  }

  public AgentNameSet without(String name) {
    RankedTree<String, String> n = names.remove(name);
    return n == names ? this : new AgentNameSet(n);
  }

  @Override
  public boolean contains(Object o) {
    return o instanceof String s && names.containsKey(s);
  }

  @Override
  public int size() {
    return names.size();
  }

  @Override
  public boolean isEmpty() {
    return names.isEmpty();
  }

  @Override
  public Iterator<String> iterator() {
    return names.keys();
  }
}
