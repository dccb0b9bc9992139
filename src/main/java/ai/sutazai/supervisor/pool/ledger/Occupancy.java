package ai.sutazai.supervisor.pool.ledger;

import ai.sutazai.fleet.AgentSpec;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Running totals of what a pool's agents occupy: an agent counts from the moment it is admitted until its
 * container has stopped (starting, restarting, unhealthy, degraded and stopping agents all hold their
 * requests). Admission reads these totals instead of summing the pool on every decision.
 *
 * <p>Confined to the pool actor; not thread-safe.
 */
public final class Occupancy {
  private final Map<String, AgentSpec> specs;
  private final Set<String> occupied = new HashSet<>();
  private long memoryBytes;
  private double cpus;

  Occupancy(Map<String, AgentSpec> specs) {
    this.specs = specs;
  }

  /** Marks {@code agent} as occupying (or not) and adjusts the totals; returns true when that changed anything. */
  public boolean set(String agent, boolean occupies) {
    AgentSpec s = specs.get(agent);
    if (s == null) {
      return false;
    }
    if (occupies && occupied.add(agent)) {
      memoryBytes += s.memoryBytes();
      cpus += s.cpus();
      return true;
    } else if (!occupies && occupied.remove(agent)) {
      memoryBytes -= s.memoryBytes();
      cpus -= s.cpus();
      if (occupied.isEmpty()) {
        cpus = 0; // no drift of binary fractions
      }
      return true;
    }
    return false;
  }

  public boolean contains(String agent) {
    return occupied.contains(agent);
  }

  public Set<String> agents() {
    return occupied;
  }

  public int count() {
    return occupied.size();
  }

  /** Memory requests of the occupying agents, bytes. */
  public long memoryBytes() {
    return memoryBytes;
  }

  /** CPU requests of the occupying agents, cores. */
  public double cpus() {
    return cpus;
  }
}
