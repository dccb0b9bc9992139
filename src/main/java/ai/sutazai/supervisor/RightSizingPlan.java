package ai.sutazai.supervisor;

import ai.sutazai.fleet.FleetSpec;
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

  /** Blocking (docker stats per container): call from the command line only. */
  public static List<String> of(FleetSpec fleet, ContainerRuntime runtime, QuotaSettings.RightSizing cfg) {
    QuotaSettings.RightSizing once = new QuotaSettings.RightSizing(cfg.enabled(), cfg.sampleInterval(), 1, 1,
        cfg.memoryHeadroom(), cfg.cpuHeadroom(), cfg.minChange(), cfg.minMemoryBytes(), cfg.minCpus());
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
        RightSizing.propose(c.agent(), w, limit, c.cpus(), once).ifPresentOrElse(
            p -> lines.add("resize   " + p.reason().substring("resized ".length()) + " -> would run docker update"),
            () -> lines.add("keep     " + c.agent() + ": limits within " + Math.round(cfg.minChange() * 100)
                + "% of the proposal (memory in use " + Budget.size(s.memoryUsageBytes()) + ")"));
      } catch (RuntimeException e) {
        lines.add("skip     " + c.agent() + ": no usage sample (" + e.getMessage() + ")");
      }
    }
    return lines;
  }

  public static void print(List<String> lines, QuotaSettings.RightSizing cfg, PrintStream out) {
    out.println("right-sizing from one usage sample per running container (the daemon waits for " + cfg.minSamples()
        + " samples, every " + IdleTracker.human(cfg.sampleInterval()) + ")" + (cfg.enabled() ? "" : "; right-sizing is OFF in the configuration"));
    if (lines.isEmpty()) {
      out.println("  no running container of this fleet");
    }
    lines.forEach(l -> out.println("  " + l));
  }
}
