package ai.sutazai.cli;

import ai.sutazai.supervisor.healthfix.HealthFixJournal;
import ai.sutazai.supervisor.healthfix.LocalJournalSystem;

import ai.sutazai.common.UserError;
import ai.sutazai.cli.StoredDataOptions;
import ai.sutazai.metrics.baseline.BaselineDatabase;
import ai.sutazai.supervisor.healthfix.AppliedFix;
import ai.sutazai.supervisor.healthfix.Fix;
import ai.sutazai.supervisor.healthfix.HealthFix;
import ai.sutazai.supervisor.healthfix.MemoryBaseline;
import ai.sutazai.supervisor.healthfix.PlanFormat;
import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sutazai health-fix}: the seed's container-health-fix.sh, for labelled containers only. */
@Command(
    name = "health-fix",
    mixinStandardHelpOptions = true,
    description = {
      "Finds labelled containers (sutazai.managed=true) that are unhealthy, restarting, crash-looping or exited, and "
          + "proposes a fix for each.",
      "A fix is a restart; a recreation with a tuned health-check start-period and timeout (from "
          + "observed startup and probe times); or a raised memory limit after an OOM kill (from the latest baseline: "
          + "memory p95 + headroom, never below the peak; else x1.5).",
      "Prints the plan; changes nothing without --apply. With --apply every applied fix is journalled (persistence id "
          + "HealthFix|<fleet>, in the configured journal); --history shows them. Never touches unlabelled resources."
    })
public final class HealthFixCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin
  StoredDataOptions stored;

  @Option(names = "--apply", description = "Apply the plan (default: only print it).")
  boolean apply;

  @Option(names = "--prune", description = "Also remove stopped labelled containers (instead of restarting them) "
      + "and unused labelled volumes and networks.")
  boolean prune;

  /** Output formats of the plan and the history. */
  public enum Format { table, json }

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--fleet-name", paramLabel = "NAME", description = "Only containers of this fleet (label sutazai.fleet).")
  String fleetName;

  @Option(names = "--history", description = "Show the fixes journalled by earlier --apply runs (newest first) and exit.")
  boolean history;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "--history: at most N fixes (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--db", paramLabel = "JDBC-URL",
      description = "Baseline database the memory limits come from (default: sutazai.metrics.baseline.db-url).")
  String dbUrl;

  @Override
  public Integer call() {
    if (limit < 1) {
      throw new UserError("--limit: expected 1 or more, got " + limit);
    }
    Config config = stored.load();
    PrintWriter out = spec.commandLine().getOut();
    if (history) {
      return history(config, out);
    }
    MemoryBaseline baseline = latestBaseline(config);
    try (HealthFix healthFix = HealthFix.fromConfig(config);
        HealthFixJournal journal = apply ? HealthFixJournal.open(config, true) : null) {
      healthFix.ping();
      List<Fix> plan = healthFix.plan(fleetName, prune, baseline);
      List<AppliedFix> applied = apply ? healthFix.apply(plan) : null;
      if (applied != null && !applied.isEmpty()) {
        journal.record(applied);
        spec.commandLine().getErr().println("journalled " + applied.size() + " fix(es) under HealthFix|<fleet> in "
            + LocalJournalSystem.url(config) + "; see them with health-fix --history");
      }
      if (format == Format.json) {
        out.println(PlanFormat.json(plan, applied, apply));
      } else {
        out.print(PlanFormat.table(plan));
        if (applied != null && !applied.isEmpty()) {
          out.println();
          out.print(PlanFormat.appliedTable(applied));
        } else if (!apply && !plan.isEmpty()) {
          out.println("\nPlan only: run again with --apply to apply it.");
        }
      }
      out.flush();
      return applied != null && applied.stream().anyMatch(a -> !a.ok()) ? 1 : 0;
    }
  }

  private int history(Config config, PrintWriter out) {
    List<HealthFixJournal.Entry> entries = List.of();
    if (!LocalJournalSystem.missingH2File(config)) {
      try (HealthFixJournal journal = HealthFixJournal.open(config, false)) {
        entries = journal.historyOrEmpty(fleetName, limit);
      }
    }
    out.print(format == Format.json ? PlanFormat.historyJson(entries.stream().map(HealthFixJournal.Entry::event).toList())
        : PlanFormat.historyTable(entries.stream().map(HealthFixJournal.Entry::event).toList()));
    out.flush();
    return 0;
  }

  /** The latest baseline's container memory figures; none when no baseline database or baseline exists. */
  private MemoryBaseline latestBaseline(Config config) {
    return new BaselineDatabase(dbUrl, null, null).latestIfExists(config).map(MemoryBaseline::of).orElse(MemoryBaseline.NONE);
  }
}
