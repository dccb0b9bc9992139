package ai.sutazai.fleet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated fleet: agents in the order they appear in the file, and the pools they belong to.
 *
 * @param source the file it was loaded from (null when built in code)
 */
public record FleetSpec(String name, Path source, Map<String, AgentSpec> agents, Map<String, PoolSpec> pools) {

  public FleetSpec {
    agents = Collections.unmodifiableMap(new LinkedHashMap<>(agents));
    pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
  }

  /** Sum of the agents' memory requests, bytes. */
  public long memoryRequestBytes() {
    return agents.values().stream().mapToLong(AgentSpec::memoryBytes).sum();
  }

  /** Sum of the agents' CPU requests, cores. */
  public double cpuRequest() {
    return agents.values().stream().mapToDouble(AgentSpec::cpus).sum();
  }

  /** The agents of one pool, in file order. */
  public List<AgentSpec> agentsOf(String pool) {
    List<AgentSpec> out = new ArrayList<>();
    for (AgentSpec a : agents.values()) {
      if (a.pool().equals(pool)) {
        out.add(a);
      }
    }
    return out;
  }
}
