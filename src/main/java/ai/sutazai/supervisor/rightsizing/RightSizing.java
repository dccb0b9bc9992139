package ai.sutazai.supervisor.rightsizing;

import ai.sutazai.supervisor.pool.ledger.Budget;
import ai.sutazai.supervisor.settings.QuotaSettings;

import java.util.Locale;
import java.util.Optional;

/**
 * The right-sizing rule, as a pure function: the p95 of observed usage plus headroom becomes the limit,
 * never below the observed peak nor the configured minimum; changes smaller than {@code min-change} of the
 * current limit are not worth a {@code docker update}.
 */
public final class RightSizing {
  private RightSizing() {}

  /**
   * A proposed change of one container's limits.
   *
   * @param memoryLimitBytes new memory limit, bytes
   * @param cpus new CPU limit, cores
   */
  public record Proposal(String agent, long memoryLimitBytes, double cpus, String reason) {}

  static Optional<Proposal> propose(String agent, UsageWindow w, long currentMemoryLimitBytes, double currentCpus,
      QuotaSettings.RightSizing cfg) {
    return propose(agent, w, null, currentMemoryLimitBytes, currentCpus, cfg);
  }

  /**
   * As above, with the agent's usage in the latest stored baseline ({@code null}: none): the p95 and the
   * peak are then the larger of the live window's and the baseline's, and a baseline with at least
   * {@code min-samples} samples lets a proposal be made before the live window has that many.
   */
  static Optional<Proposal> propose(String agent, UsageWindow w, BaselineUsage baseline, long currentMemoryLimitBytes,
      double currentCpus, QuotaSettings.RightSizing cfg) {
    boolean liveEnough = w.size() > 0 && w.size() >= cfg.minSamples();
    boolean baselineEnough = baseline != null && w.size() > 0 && baseline.samples() >= cfg.minSamples();
    if (!liveEnough && !baselineEnough) {
      return Optional.empty();
    }
    long memoryP95 = w.memoryP95();
    long memoryPeak = w.memoryPeak();
    double cpuP95Percent = w.cpuP95();
    double cpuPeakPercent = w.cpuPeak();
    if (baseline != null) {
      memoryP95 = Math.max(memoryP95, baseline.memoryP95Bytes());
      memoryPeak = Math.max(memoryPeak, baseline.memoryPeakBytes());
      cpuP95Percent = Math.max(cpuP95Percent, baseline.cpuP95Percent());
      cpuPeakPercent = Math.max(cpuPeakPercent, baseline.cpuPeakPercent());
    }
    long mib = 1L << 20;
    long memory = Math.max(Math.max((long) Math.ceil(memoryP95 * (1 + cfg.memoryHeadroom())), memoryPeak),
        cfg.minMemoryBytes());
    memory = (memory + mib - 1) / mib * mib;
    double cpuP95 = cpuP95Percent / 100.0;
    double cpuPeak = cpuPeakPercent / 100.0;
    // Rounded up to hundredths of a core; the epsilon keeps 0.15000000000000002 at 0.15.
    double cpus = Math.ceil(Math.max(Math.max(cpuP95 * (1 + cfg.cpuHeadroom()), cpuPeak), cfg.minCpus()) * 100 - 1e-6) / 100.0;
    boolean memoryChanges = currentMemoryLimitBytes <= 0
        || Math.abs(memory - currentMemoryLimitBytes) >= cfg.minChange() * currentMemoryLimitBytes;
    boolean cpuChanges = currentCpus <= 0 || Math.abs(cpus - currentCpus) >= cfg.minChange() * currentCpus;
    if (!memoryChanges && !cpuChanges) {
      return Optional.empty();
    }
    long newMemory = memoryChanges ? memory : currentMemoryLimitBytes;
    double newCpus = cpuChanges ? cpus : currentCpus;
    StringBuilder why = new StringBuilder("resized " + agent + ":");
    if (memoryChanges) {
      why.append(" memory limit ").append(Budget.size(currentMemoryLimitBytes)).append(" -> ").append(Budget.size(memory))
          .append(" (p95 ").append(Budget.size(memoryP95)).append(" + ").append(pct(cfg.memoryHeadroom()))
          .append(", peak ").append(Budget.size(memoryPeak)).append(")");
    }
    if (cpuChanges) {
      why.append(memoryChanges ? ";" : "").append(" cpu limit ").append(Budget.cores(currentCpus)).append(" -> ")
          .append(Budget.cores(cpus)).append(" (p95 ").append(String.format(Locale.ROOT, "%.3f", cpuP95)).append(" + ")
          .append(pct(cfg.cpuHeadroom())).append(", peak ").append(String.format(Locale.ROOT, "%.3f", cpuPeak)).append(")");
    }
    why.append(" over ").append(w.size()).append(w.size() == 1 ? " sample" : " samples");
    if (baseline != null) {
      why.append(" and baseline #").append(baseline.baselineId()).append(" (").append(baseline.samples()).append(" samples)");
    }
    return Optional.of(new Proposal(agent, newMemory, newCpus, why.toString()));
  }

  /** A sample at or above this share of the container's CPU limit counts as throttled: demand unknown. */
  static final double CPU_SATURATED = 0.9;

  /**
   * The CPU use to record for a sample, percent of one core: what was observed, except when the container
   * used (nearly) all of its CPU limit {@code limitCpus}. It was then throttled, so its demand is not known,
   * only that it is at least the limit: the limit plus the CPU headroom is recorded instead. Without this a
   * lowered limit would cap every later sample and could never be raised again; with it, a throttled agent's
   * limit grows by the headroom for each throttled sample until it is no longer throttled.
   */
  static double recordedCpuPercent(double observedPercent, double limitCpus, QuotaSettings.RightSizing cfg) {
    if (limitCpus > 0 && observedPercent >= CPU_SATURATED * limitCpus * 100) {
      return Math.max(observedPercent, limitCpus * (1 + cfg.cpuHeadroom()) * 100);
    }
    return observedPercent;
  }

  private static String pct(double fraction) {
    return Math.round(fraction * 100) + "%";
  }
}
