package ai.sutazai.supervisor.pool.ledger;

import ai.sutazai.fleet.AgentSpec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Running totals of what a pool's agents occupy: an agent counts from the moment it is admitted until its
 * container has stopped (starting, restarting, unhealthy, degraded and stopping agents all hold their
 * requests). Admission reads these totals instead of summing the pool on every decision.
 *
 * <p>An agent counts at its requests, or, once right-sizing has set its running container's limits (see
 * {@link #resize}), at those limits: its measured use plus headroom, enforced by the kernel. That size
 * holds for that container only; a new container (a restart, another node) counts at the requests again.
 *
 * <p>Confined to the pool actor; not thread-safe.
 */
public final class Occupancy {
  private final Map<String, AgentSpec> specs;
  private final Set<String> occupied = new HashSet<>();
  /** Agents counted at their right-sized container's limits instead of their requests. */
  private final Map<String, Sized> sized = new HashMap<>();
  private long memoryBytes;
  private double cpus;

  /** The limits right-sizing set on one container of an agent. */
  private record Sized(String containerId, long memoryBytes, double cpus) {}

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
      memoryBytes -= memoryOf(agent);
      cpus -= cpusOf(agent);
      sized.remove(agent);
      if (occupied.isEmpty()) {
        cpus = 0; // no drift of binary fractions
      }
      return true;
    }
    return false;
  }

  /**
   * Counts an occupying agent at the limits right-sizing set on its container {@code containerId} from now
   * on; nothing when the agent does not occupy. Returns true when that freed room (either total went down).
   */
  public boolean resize(String agent, String containerId, long limitMemoryBytes, double limitCpus) {
    if (!occupied.contains(agent) || containerId == null) {
      return false;
    }
    long memoryBefore = memoryOf(agent);
    double cpusBefore = cpusOf(agent);
    sized.put(agent, new Sized(containerId, limitMemoryBytes, limitCpus));
    memoryBytes += limitMemoryBytes - memoryBefore;
    cpus += limitCpus - cpusBefore;
    return limitMemoryBytes < memoryBefore || limitCpus < cpusBefore - Budget.CPU_EPSILON;
  }

  /**
   * The agent runs container {@code containerId} now (null: none): a size measured on another container no
   * longer holds, so the agent counts at its requests again. Returns true when that changed the totals.
   */
  public boolean container(String agent, String containerId) {
    Sized s = sized.get(agent);
    if (s == null || Objects.equals(s.containerId(), containerId)) {
      return false;
    }
    sized.remove(agent);
    AgentSpec spec = specs.get(agent);
    memoryBytes += spec.memoryBytes() - s.memoryBytes();
    cpus += spec.cpus() - s.cpus();
    return true;
  }

  /** What {@code agent} counts for in memory, bytes: its right-sized limit, or its request. */
  public long memoryOf(String agent) {
    Sized s = sized.get(agent);
    return s != null ? s.memoryBytes() : specs.get(agent).memoryBytes();
  }

  /** What {@code agent} counts for in CPU, cores: its right-sized limit, or its request. */
  public double cpusOf(String agent) {
    Sized s = sized.get(agent);
    return s != null ? s.cpus() : specs.get(agent).cpus();
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

  /** Memory counted for the occupying agents (requests, or right-sized limits), bytes. */
  public long memoryBytes() {
    return memoryBytes;
  }

  /** CPU counted for the occupying agents (requests, or right-sized limits), cores. */
  public double cpus() {
    return cpus;
  }
}
