package ai.sutazai.supervisor;

import ai.sutazai.SutazaiGuardian;
import ai.sutazai.UserError;
import ai.sutazai.config.Settings;
import ai.sutazai.fleet.FleetLoader;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.runtime.ContainerRuntime;
import ai.sutazai.runtime.DockerRuntime;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import com.typesafe.config.Config;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sutazai run}: the supervisor daemon. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Supervises the fleet: starts agents in dependency order, probes them, restarts with backoff, parks crash loops,",
      "keeps dependents degraded (not restarted) while a dependency is down, and adopts running containers after a restart.",
      "Exit status: 0 ok; 1 (--mode once) the fleet did not settle healthy; 2 invalid fleet or configuration."
    })
public final class RunCommand implements Callable<Integer> {

  /** How the daemon runs. */
  public enum Mode { continuous, once }

  @Option(names = "--config", paramLabel = "FILE", description = "Extra configuration file, layered over conf/application.conf.")
  Path config;

  @Option(names = "--fleet", paramLabel = "FILE", description = "Fleet spec (default: sutazai.fleet-file, conf/fleets/demo.conf).")
  Path fleetFile;

  @Option(names = "--mode", paramLabel = "MODE", defaultValue = "continuous",
      description = "continuous: supervise until stopped (SIGTERM stops gracefully, containers keep running); "
          + "once: reconcile, wait until the fleet settles or sutazai.supervisor.settle-timeout passes, print a summary, exit. "
          + "Default: ${DEFAULT-VALUE}.")
  Mode mode;

  @Option(names = "--dry-run", description = "Print the plan (what would be created, adopted, removed, and the limits "
      + "right-sizing would set on running containers from one usage sample) and change nothing.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    Config conf = Settings.load(config);
    Path file = fleetFile != null ? fleetFile : Path.of(conf.getString("sutazai.fleet-file"));
    FleetSpec fleet = FleetLoader.load(file, conf);
    SupervisorSettings settings = SupervisorSettings.fromConfig(conf);
    PrintStream out = System.out;
    if (dryRun) {
      try (ContainerRuntime runtime = DockerRuntime.fromConfig(conf)) {
        Plan.of(fleet, runtime).print(out);
        QuotaSettings.RightSizing rs = QuotaSettings.fromConfig(conf).rightSizing();
        RightSizingPlan.print(RightSizingPlan.of(fleet, runtime, rs), rs, out);
      }
      return 0;
    }
    ContainerRuntime runtime = DockerRuntime.fromConfig(conf);
    CompletableFuture<SutazaiGuardian.Started> started = new CompletableFuture<>();
    ActorSystem<SutazaiGuardian.Command> system = ActorSystem.create(
        SutazaiGuardian.create(new SutazaiGuardian.Inputs(fleet, runtime, settings, HostPressure.oshi(settings), started)),
        "sutazai", conf);
    try {
      SutazaiGuardian.Started s;
      try {
        s = started.get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new UserError("cannot use the journal database (" + conf.getString("sutazai.persistence.db") + "): "
            + e.getCause().getMessage(), 3);
      }
      if (mode == Mode.once) {
        return once(system, s, settings, out);
      }
      out.println("sutazai: supervising fleet '" + fleet.name() + "' (" + fleet.agents().size() + " agents) on "
          + runtime.describe() + "; stop with SIGTERM or Ctrl-C (containers keep running)");
      system.getWhenTerminated().toCompletableFuture().join();
      return 0;
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      runtime.close();
    }
  }

  private static int once(ActorSystem<?> system, SutazaiGuardian.Started s, SupervisorSettings settings, PrintStream out)
      throws Exception {
    Instant deadline = Instant.now().plus(settings.settleTimeout());
    FleetStatus status = ask(system, s);
    // Polling from this (non-actor) thread is fine: one small ask every half second.
    while (!status.settled() && Instant.now().isBefore(deadline)) {
      Thread.sleep(500);
      status = ask(system, s);
    }
    Summary.print(status, out);
    boolean healthy = status.settled() && status.agents().stream()
        .allMatch(a -> !a.desiredActive() || a.phase() == AgentPhase.HEALTHY);
    return healthy ? 0 : 1;
  }

  private static FleetStatus ask(ActorSystem<?> system, SutazaiGuardian.Started s) throws Exception {
    return AskPattern.<FleetSupervisor.Command, FleetStatus>ask(s.fleet(), FleetSupervisor.GetStatus::new,
        Duration.ofSeconds(5), system.scheduler()).toCompletableFuture().get();
  }
}
