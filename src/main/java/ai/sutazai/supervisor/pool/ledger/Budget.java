package ai.sutazai.supervisor.pool.ledger;

import ai.sutazai.supervisor.settings.QuotaSettings;

import ai.sutazai.capacity.CapacityAnalysis;
import ai.sutazai.fleet.PoolSpec;
import java.util.Locale;

/**
 * A pool's effective quota: budgets with 0 ("automatic") resolved to host capacity x utilisation target,
 * with the same arithmetic as the capacity analysis.
 *
 * @param maxActive most agents occupying resources at once
 * @param memoryBytes memory budget, bytes
 * @param cpus CPU budget, cores
 */
public record Budget(int maxActive, long memoryBytes, double cpus) {
  /** CPU sums are binary fractions: 11.999999999 must not fail a 12-core budget. */
  static final double CPU_EPSILON = 1e-9;

  public static Budget resolve(PoolSpec quota, CapacityAnalysis.Host host, CapacityAnalysis.Targets targets) {
    long memory = quota.memoryBudgetBytes() > 0 ? quota.memoryBudgetBytes()
        : CapacityAnalysis.memoryBudgetBytes(host.memoryBytes(), targets);
    double cpus = quota.cpuBudget() > 0 ? quota.cpuBudget() : host.cpus() * targets.cpuUtilisation();
    return new Budget(quota.maxActive(), memory, cpus);
  }

  /**
   * Why {@code addMemoryBytes} and {@code addCpus} more (for {@code count} more agents) do not fit beside
   * what is in use, or null when they fit.
   */
  public String whyNot(int usedCount, long usedMemoryBytes, double usedCpus, int count, long addMemoryBytes, double addCpus) {
    if (usedCount + count > maxActive) {
      return "max-active " + usedCount + " of " + maxActive + " agents active";
    }
    if (usedMemoryBytes + addMemoryBytes > memoryBytes) {
      return "memory budget " + size(usedMemoryBytes) + " of " + size(memoryBytes) + " in use, needs "
          + size(addMemoryBytes);
    }
    if (usedCpus + addCpus > cpus + CPU_EPSILON) {
      return "CPU budget " + cores(usedCpus) + " of " + cores(cpus) + " cores in use, needs " + cores(addCpus);
    }
    return null;
  }

  /** Why a request of this size can never fit the budget, even with nothing else active; null when it can. */
  public String neverFits(int count, long addMemoryBytes, double addCpus) {
    if (count > maxActive) {
      return "needs " + count + " active agents (with its dependencies), max-active is " + maxActive;
    }
    if (addMemoryBytes > memoryBytes) {
      return "needs " + size(addMemoryBytes) + " (with its dependencies), the memory budget is " + size(memoryBytes);
    }
    if (addCpus > cpus + CPU_EPSILON) {
      return "needs " + cores(addCpus) + " cores (with its dependencies), the CPU budget is " + cores(cpus);
    }
    return null;
  }

  /** Logs the host the automatic budgets come from. */
  public static void logHost(org.slf4j.Logger log, CapacityAnalysis.Host host, QuotaSettings quota) {
    log.info("quota: host {} memory, {} cores ({}); automatic budgets {} memory, {} cores", size(host.memoryBytes()),
      cores(host.cpus()), host.source(), size(CapacityAnalysis.memoryBudgetBytes(host.memoryBytes(), quota.targets())),
        cores(host.cpus() * quota.targets().cpuUtilisation()));
  }

  /** "22.1 GiB" from 1 GiB up, "48 MiB" from 1 MiB up, else "380 KiB". */
  public static String size(long bytes) {
    if (bytes >= 1L << 30) {
      return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
    if (bytes > 0 && bytes < 1L << 20) {
      return String.format(Locale.ROOT, "%d KiB", Math.round(bytes / 1024.0));
    }
    return String.format(Locale.ROOT, "%d MiB", Math.round(bytes / (double) (1L << 20)));
  }

  public static String cores(double cpus) {
    return String.format(Locale.ROOT, "%.2f", cpus).replaceAll("\\.?0+$", "");
  }
}
