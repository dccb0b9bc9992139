package ai.sutazai.supervisor.rightsizing;

import ai.sutazai.supervisor.pool.ledger.Budget;
import ai.sutazai.supervisor.pool.ledger.IdleTracker;
import ai.sutazai.supervisor.settings.QuotaSettings;

import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.metrics.baseline.Baseline;
import ai.sutazai.metrics.baseline.BaselineSettings;
import ai.sutazai.metrics.baseline.BaselineStore;
import com.typesafe.config.Config;
import ai.sutazai.runtime.ContainerInfo;
import ai.sutazai.runtime.ContainerRuntime;
import ai.sutazai.runtime.ContainerStats;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The right-sizing part of `run --dry-run`: one usage sample of every running container of the fleet,
 * and the limit changes the daemon's rule would make from it. Read-only: nothing is updated or journalled.
 */
public final class RightSizingPlan {
  private RightSizingPlan() {}

  /**
   * Blocking (docker stats per container): call from the command line only.
   *
   * @param baseline the latest stored baseline, counted as observed usage as the daemon does; null: none
   */
  public static List<String> of(FleetSpec fleet, ContainerRuntime runtime, QuotaSettings.RightSizing cfg, Baseline baseline) {
    QuotaSettings.RightSizing once = new QuotaSettings.RightSizing(cfg.enabled(), cfg.sampleInterval(), 1, 1,
        cfg.memoryHeadroom(), cfg.cpuHeadroom(), cfg.minChange(), cfg.minMemoryBytes(), cfg.minCpus(), cfg.useBaseline(),
        cfg.baselineRefresh(), cfg.countInQuota());
    List<String> lines = new ArrayList<>();
    for (ContainerInfo c : runtime.listManaged(fleet.name())) {
      if (!c.running() || c.agent() == null || !fleet.agents().containsKey(c.agent())) {
        continue;
      }
      try {
        ContainerStats s = runtime.stats(c.id());
        UsageWindow w = new UsageWindow(1);
        w.add(s.memoryUsageBytes(), s.cpuPercent());
        long limit = s.memoryLimitBytes() > 0 ? s.memoryLimitBytes() : c.memoryLimitBytes();
        BaselineUsage usage = baseline == null ? null : BaselineUsage.of(baseline, c.agent()).orElse(null);
        RightSizing.propose(c.agent(), w, usage, limit, c.cpus(), once).ifPresentOrElse(
            p -> lines.add("resize   " + p.reason().substring("resized ".length()) + " -> would run docker update"),
            () -> lines.add("keep     " + c.agent() + ": limits within " + Math.round(cfg.minChange() * 100)
                + "% of the proposal (memory in use " + Budget.size(s.memoryUsageBytes()) + ")"));
      } catch (RuntimeException e) {
        lines.add("skip     " + c.agent() + ": no usage sample (" + e.getMessage() + ")");
      }
    }
    return lines;
  }

  /**
   * The latest stored baseline, read without creating or migrating anything; {@code note} gets a line
   * saying which baseline is used or why none is. Null when use-baseline is off or there is none.
   */
  public static Baseline latestBaseline(Config conf, QuotaSettings.RightSizing cfg, List<String> note) {
    if (!cfg.useBaseline()) {
      return null;
    }
    BaselineSettings b = BaselineSettings.fromConfig(conf);
    if (BaselineStore.isMissingH2File(b.dbUrl())) {
      note.add("no baseline recorded yet (`sutazai baseline` records one): live samples only");
      return null;
    }
    try {
      Baseline latest = BaselineStore.openExisting(b.dbUrl(), b.user(), b.password(), b.schema()).latest().orElse(null);
      note.add(latest == null ? "no stored baseline: live samples only"
          : "baseline #" + latest.id() + " of " + latest.createdAt() + " counts as observed usage");
      return latest;
    } catch (RuntimeException e) {
      note.add("no stored baseline readable (" + e.getMessage() + "): live samples only");
      return null;
    }
  }

  public static void print(List<String> lines, QuotaSettings.RightSizing cfg, PrintStream out) {
    out.println("right-sizing from one usage sample per running container (the daemon waits for " + cfg.minSamples()
        + " samples, every " + IdleTracker.human(cfg.sampleInterval()) + ", unless a baseline has them)"
        + (cfg.enabled() ? "" : "; right-sizing is OFF in the configuration"));
    if (lines.isEmpty()) {
      out.println("  no running container of this fleet");
    }
    lines.forEach(l -> out.println("  " + l));
  }
}
