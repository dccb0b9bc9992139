package ai.sutazai.supervisor;

import ai.sutazai.UserError;
import ai.sutazai.config.Settings;
import ai.sutazai.runtime.RuntimeUnavailableException;
import ai.sutazai.supervisor.healthfix.AppliedFix;
import ai.sutazai.supervisor.healthfix.Fix;
import ai.sutazai.supervisor.healthfix.HealthFix;
import ai.sutazai.supervisor.healthfix.PlanFormat;
import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sutazai health-fix}: the seed's container-health-fix.sh, for labelled containers only. */
@Command(
    name = "health-fix",
    mixinStandardHelpOptions = true,
    description = {
      "Finds labelled containers (sutazai.managed=true) that are unhealthy, restarting, crash-looping or exited,",
      "and proposes a fix for each: restart with the backoff reset, recreate with a tuned health-check",
      "start-period and timeout (from observed startup and probe times), or a raised memory limit after an",
      "OOM kill. Prints the plan; changes nothing without --apply. Never touches unlabelled resources."
    })
public final class HealthFixCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--apply", description = "Apply the plan (default: only print it).")
  boolean apply;

  @Option(names = "--prune", description = "Also remove stopped labelled containers (instead of restarting them) "
      + "and unused labelled volumes and networks.")
  boolean prune;

  @Option(names = "--format", defaultValue = "table", description = "Output: table or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--fleet-name", paramLabel = "NAME", description = "Only containers of this fleet (label sutazai.fleet).")
  String fleetName;

  @Option(names = "--config", paramLabel = "FILE", description = "Extra configuration file (over conf/application.conf).")
  Path configFile;

  @Override
  public Integer call() {
    if (!format.equals("table") && !format.equals("json")) {
      throw new UserError("--format " + format + ": expected table or json");
    }
    Config config = Settings.load(configFile);
    PrintWriter out = spec.commandLine().getOut();
    try (HealthFix healthFix = HealthFix.fromConfig(config)) {
      healthFix.ping();
      List<Fix> plan = healthFix.plan(fleetName, prune);
      List<AppliedFix> applied = apply ? healthFix.apply(plan) : null;
      if (format.equals("json")) {
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
    } catch (RuntimeUnavailableException e) {
      throw new UserError(e.getMessage() + " (set sutazai.docker.host or DOCKER_HOST; cluster/dev/docker-engine.sh starts one)");
    }
  }
}
