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
import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.FleetLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
          + "HealthFix|<fleet>, in the configured journal); --history shows them. Never touches unlabelled resources.",
      "With a daemon running (its management API answers at sutazai.management.bind:port, SUTAZAI_MANAGEMENT_PORT; or "
          + "--daemon URL), its containers are left to it: crash-looped agents are reset through it (POST "
          + "/api/v1/agents/{name}/reset, with the operator token SUTAZAI_OPERATOR_TOKEN), and slow probes or OOM kills "
          + "give proposed fleet-spec changes (e.g. agents.coder.health.timeout = 10s) for the operator to make, never a "
          + "Docker HEALTHCHECK. Without a daemon (or with --no-daemon) it acts on the engine directly."
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

  @Option(names = "--daemon", paramLabel = "URL",
      description = "The running daemon's management API (default: look for one at sutazai.management.bind:port); "
          + "it must answer.")
  String daemonUrl;

  @Option(names = "--no-daemon", description = "Do not look for a daemon: act on the engine directly.")
  boolean noDaemon;

  @Option(names = "--fleet", paramLabel = "FILE",
      description = "With a daemon: the fleet spec it runs, for the current values of proposed keys (default: "
          + "sutazai.fleet-file).")
  Path fleetFile;

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
    if (noDaemon && daemonUrl != null) {
      throw new UserError("--daemon and --no-daemon: choose one");
    }
    DaemonClient daemon = findDaemon(config);
    MemoryBaseline baseline = latestBaseline(config);
    try (HealthFix healthFix = HealthFix.fromConfig(config);
        HealthFixJournal journal = apply ? HealthFixJournal.open(config, true) : null) {
      healthFix.ping();
      List<Fix> plan = daemon == null ? healthFix.plan(fleetName, prune, baseline)
          : healthFix.plan(fleetName, prune, baseline, daemon.view(specs(config)));
      List<AppliedFix> applied = apply ? healthFix.apply(plan, daemon) : null;
      if (applied != null && !applied.isEmpty()) {
        journal.record(applied);
        spec.commandLine().getErr().println("journalled " + applied.size() + " fix(es) under HealthFix|<fleet> in "
            + LocalJournalSystem.url(config) + "; see them with health-fix --history");
      }
      if (format == Format.json) {
        Map<String, Object> mode = new LinkedHashMap<>();
        mode.put("url", daemon != null ? daemon.url() : noDaemon ? null : DaemonClient.configuredUrl(config));
        mode.put("used", daemon != null);
        mode.put("says", modeLine(config, daemon));
        out.println(PlanFormat.json(plan, applied, apply, mode));
      } else {
        out.println(modeLine(config, daemon));
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

  /** The daemon to act through: --daemon's (which must answer), the configured one when it answers, or none. */
  private DaemonClient findDaemon(Config config) {
    if (noDaemon) {
      return null;
    }
    if (daemonUrl != null) {
      DaemonClient d = DaemonClient.at(daemonUrl, config);
      if (!d.answers()) {
        throw new UserError("--daemon " + daemonUrl + ": no sutazai daemon answers there (GET /health); start it with "
            + "`sutazai run`, or use --no-daemon to act on the engine directly");
      }
      return d;
    }
    DaemonClient d = DaemonClient.at(DaemonClient.configuredUrl(config), config);
    return d.answers() ? d : null;
  }

  /** Which mode this run is in, in words, for the plan's first line. */
  private String modeLine(Config config, DaemonClient daemon) {
    if (daemon != null) {
      return "daemon at " + daemon.url() + " answers: crash-looped agents are reset through it, probe changes are "
          + "proposed for the fleet spec";
    }
    return noDaemon ? "--no-daemon: acting on the engine directly"
        : "no daemon answers at " + DaemonClient.configuredUrl(config) + ": acting on the engine directly";
  }

  /** The agents' specs from the fleet spec the daemon runs, for the current values; empty (with a note) when unreadable. */
  private Map<String, AgentSpec> specs(Config config) {
    Path file = fleetFile != null ? fleetFile : Path.of(config.getString("sutazai.fleet-file"));
    try {
      return FleetLoader.load(file, config).agents();
    } catch (RuntimeException e) {
      if (fleetFile != null) {
        throw e;
      }
      spec.commandLine().getErr().println("note: fleet spec " + file + " not read (" + e.getMessage().lines().findFirst().orElse("")
          + "): proposals give no current values; use --fleet FILE");
      return Map.of();
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
