package ai.sutazai.supervisor.pool.ledger;

import ai.sutazai.fleet.AgentSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Admission decisions of one handler run, on top of the pool's occupancy: each admitted request adds the
 * agent and its not yet occupied dependencies, so that several admissions decided together (a queue
 * drain, the boot of always-on agents) never exceed the budget between them.
 *
 * <p>Confined to the pool actor; used for one decision round then dropped.
 */
public final class AdmissionPlan {
  private final Budget budget;
  private final Occupancy occupancy;
  private final Map<String, AgentSpec> specs;
  private final Set<String> planned = new HashSet<>();
  private long memoryBytes;
  private double cpus;

  public AdmissionPlan(Budget budget, Occupancy occupancy, Map<String, AgentSpec> specs) {
    this.budget = budget;
    this.occupancy = occupancy;
    this.specs = specs;
  }

  /** The agents of {@code closure} (an agent and its dependencies) not yet occupying nor planned. */
  private Cost cost(List<String> closure) {
    int count = 0;
    long memory = 0;
    double cpu = 0;
    for (String a : closure) {
      if (!occupancy.contains(a) && !planned.contains(a)) {
        AgentSpec s = specs.get(a);
        count++;
        memory += s.memoryBytes();
        cpu += s.cpus();
      }
    }
    return new Cost(count, memory, cpu);
  }

  private record Cost(int count, long memoryBytes, double cpus) {}

  /** Plans {@code closure} in if it fits and returns null; otherwise returns why it does not fit. */
  public String tryAdmit(List<String> closure) {
    Cost c = cost(closure);
    String why = budget.whyNot(occupancy.count() + planned.size(), occupancy.memoryBytes() + memoryBytes,
        occupancy.cpus() + cpus, c.count(), c.memoryBytes(), c.cpus());
    if (why == null) {
      for (String a : closure) {
        if (!occupancy.contains(a) && planned.add(a)) {
          AgentSpec s = specs.get(a);
          memoryBytes += s.memoryBytes();
          cpus += s.cpus();
        }
      }
    }
    return why;
  }

  /** True when an earlier decision of this round planned {@code agent} in (itself or as a dependency). */
  public boolean planned(String agent) {
    return planned.contains(agent);
  }

  /** Why {@code closure} could never fit, even into an empty pool; null when it could. */
  public String neverFits(List<String> closure) {
    long memory = 0;
    double cpu = 0;
    for (String a : closure) {
      memory += specs.get(a).memoryBytes();
      cpu += specs.get(a).cpus();
    }
    return budget.neverFits(closure.size(), memory, cpu);
  }

  /** True when not even the smallest request could fit any more: a queue walk can stop. */
  public boolean full() {
    return occupancy.count() + planned.size() >= budget.maxActive()
        || occupancy.memoryBytes() + memoryBytes >= budget.memoryBytes()
        || occupancy.cpus() + cpus >= budget.cpus() - Budget.CPU_EPSILON;
  }

  /** "memory 1.2 GiB of 23.2 GiB, 0.6 of 12 cores, 3 of 20 agents" after the planned admissions. */
  public String usage() {
    return "memory " + Budget.size(occupancy.memoryBytes() + memoryBytes) + " of " + Budget.size(budget.memoryBytes())
        + ", " + Budget.cores(occupancy.cpus() + cpus) + " of " + Budget.cores(budget.cpus()) + " cores, "
        + (occupancy.count() + planned.size()) + " of " + budget.maxActive() + " agents";
  }
}
