package ai.sutazai.cli.bench;

import ai.sutazai.cli.bench.chaos.ChaosReport;
import ai.sutazai.cli.bench.chaos.ChaosRun;
import ai.sutazai.common.DurationArg;
import ai.sutazai.common.UserError;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sutazai bench chaos}: faults at seeded random times against the real supervisor on a real engine,
 * measured from the engine and the agents' own ports. Everything runs privately (see {@link ChaosRun}).
 */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description = {
      "Faults on purpose against the supervisor (run as a child process) and a fleet of busybox agents with http "
          + "probes and dependencies, a fifth of them on demand and activated through the management API: "
          + "SIGKILLed containers (--kill-rate of the agents per minute), OOM kills, a CPU hog beside the agents, "
          + "one Docker engine restart, one journal PostgreSQL restart (30 s down), and the supervisor kill -9'd "
          + "and started again several times, each at a seeded random time.",
      "Prints agent-time healthy, heal time p50/p99 and restarts per fault kind, and the figures that must be 0: "
          + "restarts of agents no fault hit, duplicate containers, acknowledged activations lost, an unrelated "
          + "container touched. Exit status 1 when one of those is not 0.",
      "Needs root: it starts its OWN dockerd (socket, data and exec root in a temp dir under /tmp; flags of "
          + "cluster/dev/docker-engine.sh) and its OWN PostgreSQL (initdb/pg_ctl as user postgres, free port), "
          + "so that restarting them disturbs no other user, and removes them, their containers and the temp dir "
          + "at the end, also when interrupted."
    })
public final class ChaosBench implements Callable<Integer> {
  @Option(names = "--agents", defaultValue = "30", description = "Agents in the fleet (default ${DEFAULT-VALUE}).")
  int agents;

  @Option(names = "--duration", defaultValue = "10m", description = "How long faults arrive (default ${DEFAULT-VALUE}).")
  String duration;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the fault times and victims (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--faults", split = ",", defaultValue = "kill,oom,cpu-hog,engine-restart,db-restart,supervisor-kill",
      description = "Fault kinds, comma-separated (default ${DEFAULT-VALUE}).")
  List<String> faults;

  @Option(names = "--kill-rate", defaultValue = "0.10",
      description = "Containers SIGKILLed per minute, as a share of the agents (default ${DEFAULT-VALUE}).")
  double killRate;

  @Option(names = "--log-dir", paramLabel = "DIR",
      description = "Copy the supervisor's, dockerd's and PostgreSQL's logs and the fleet spec here at the end (default: none).")
  java.nio.file.Path logDir;

  @Option(names = "--format", defaultValue = "table", description = "table or json (default ${DEFAULT-VALUE}).")
  String format;

  @Override
  public Integer call() throws Exception {
    if (agents < 3 || agents > 200) {
      throw new UserError("--agents: expected 3 to 200, got " + agents);
    }
    Duration d = DurationArg.parse("--duration", duration);
    if (d.toSeconds() < 60) {
      throw new UserError("--duration: expected at least 1m, got " + duration);
    }
    Set<String> kinds = new LinkedHashSet<>();
    for (String f : faults) {
      String k = f.trim().toLowerCase(Locale.ROOT);
      if (!ai.sutazai.cli.bench.chaos.ChaosRun.KINDS.contains(k)) {
        throw new UserError("--faults: unknown kind '" + f + "'; expected some of " + ChaosRun.KINDS);
      }
      kinds.add(k);
    }
    if (!format.equals("table") && !format.equals("json")) {
      throw new UserError("--format: expected table or json, got '" + format + "'");
    }
    if (killRate < 0 || killRate > 1) {
      throw new UserError("--kill-rate: expected 0 to 1, got " + killRate);
    }
    try (ChaosRun run = new ChaosRun(new ChaosRun.Parameters(agents, d, seed, kinds, killRate, logDir), System.err)) {
      ChaosRun.Result r = run.run();
      if (format.equals("json")) {
        ChaosReport.json(r, System.out);
      } else {
        ChaosReport.table(r, System.out);
      }
      return r.clean() ? 0 : 1;
    }
  }
}
