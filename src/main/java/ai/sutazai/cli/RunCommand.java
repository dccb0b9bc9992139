package ai.sutazai.cli;

import ai.sutazai.supervisor.protocol.SupervisorProtocol;

import ai.sutazai.app.Daemon;
import ai.sutazai.app.SutazaiGuardian;

import ai.sutazai.cluster.ClusterNode;
import ai.sutazai.common.Settings;
import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.FleetLoader;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.runtime.ContainerRuntime;
import ai.sutazai.runtime.DockerRuntime;
import ai.sutazai.runtime.NoEngineRuntime;
import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.protocol.FleetStatus;
import ai.sutazai.supervisor.FleetSupervisor;
import ai.sutazai.supervisor.container.HostPressure;
import ai.sutazai.cli.Plan;
import ai.sutazai.supervisor.protocol.PoolStatus;
import ai.sutazai.supervisor.settings.QuotaSettings;
import ai.sutazai.supervisor.rightsizing.RightSizingPlan;
import ai.sutazai.supervisor.settings.SupervisorSettings;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sutazai run}: the supervisor daemon. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Supervises the fleet: starts agents in dependency order within their pool's quota and keeps them healthy.",
      "It probes them, restarts with backoff, parks crash loops, keeps dependents degraded (not restarted) while a "
          + "dependency is down, stops idle on-demand agents, and adopts running containers after a restart. Continuous "
          + "mode also serves the management API and dashboard (sutazai.management.port, 8080), the Ollama-compatible "
          + "inference front (sutazai.inference.port, 11400) and Akka Management (8558).",
      "A fleet with no agents (agents {}) is a router-only deployment: only the inference router (with --worker or "
          + "sutazai.inference.workers), the management API and the agent front run, and no container engine is needed.",
      "Exit status: 0 ok; 1 (--mode once) the fleet did not settle healthy; 2 invalid fleet or configuration, or "
          + "(--dry-run) the Docker engine cannot be reached; 3 the journal database is unusable."
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
          + "once: reconcile, wait until the fleet settles or sutazai.supervisor.settle-timeout passes, print a summary, exit "
          + "(no HTTP ports are opened). Default: ${DEFAULT-VALUE}.")
  Mode mode;

  @Option(names = "--dry-run", description = "Print the plan (what would be created, adopted, removed, resized) and change nothing.")
  boolean dryRun;

  @Option(names = "--worker", paramLabel = "URL",
      description = "An Ollama server to route inference to (repeatable), added to sutazai.inference.workers.")
  List<String> workers = new ArrayList<>();

  @Option(names = "--seed-nodes", paramLabel = "HOST:PORT,...",
      description = "Join a cluster through these seed nodes (sutazai.cluster.seed-nodes); default: a cluster of one.")
  String seedNodes;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> overrides = new HashMap<>();
    if (seedNodes != null) {
      overrides.put(ClusterNode.SEED_NODES_KEY, seedNodes);
    }
    if (mode == Mode.once) {
      overrides.put("akka.remote.artery.canonical.port", 0); // never collides with a running daemon
    }
    // Nothing is written to the data directory until the input is valid and this is not a dry run.
    Config conf = Settings.loadWritingNothing(config, ConfigFactory.parseMap(overrides));
    Path file = fleetFile != null ? fleetFile : Path.of(conf.getString("sutazai.fleet-file"));
    FleetSpec fleet = FleetLoader.load(file, conf);
    ClusterNode.seedNodes("sutazai", conf);
    ai.sutazai.supervisor.placement.AgentShards.shardsOf(conf); // validates before anything starts
    for (String w : workers) {
      ai.sutazai.inference.WorkerConfig.fromUrl(w, 1); // validates before anything starts
    }
    PrintStream out = System.out;
    if (dryRun) {
      try (ContainerRuntime runtime = runtime(conf, fleet)) {
        Plan.of(fleet, runtime).print(out);
        QuotaSettings.RightSizing rs = QuotaSettings.fromConfig(conf).rightSizing();
        List<String> note = new ArrayList<>();
        ai.sutazai.metrics.baseline.Baseline baseline = RightSizingPlan.latestBaseline(conf, rs, note);
        List<String> lines = new ArrayList<>(RightSizingPlan.of(fleet, runtime, rs, baseline));
        note.forEach(n -> lines.add(0, "note     " + n));
        RightSizingPlan.print(lines, rs, out);
      }
      return 0;
    }
    conf = ai.sutazai.common.H2Account.apply(conf);
    try (ContainerRuntime runtime = runtime(conf, fleet)) {
      return mode == Mode.once ? once(conf, fleet, runtime, out) : continuous(conf, fleet, runtime, out);
    }
  }

  /**
   * The Docker engine; none for a fleet without agents (a router-only deployment: only the inference router,
   * the management API and the agent front run, and no container is ever created, so no engine is needed).
   */
  static ContainerRuntime runtime(Config conf, FleetSpec fleet) {
    return fleet.agents().isEmpty() ? new NoEngineRuntime("router-only: the fleet has no agents") : DockerRuntime.fromConfig(conf);
  }

  private int continuous(Config conf, FleetSpec fleet, ContainerRuntime runtime, PrintStream out) throws Exception {
    try (Daemon daemon = Daemon.start(conf, fleet, runtime, workers)) {
      String what = fleet.agents().isEmpty() ? "router-only deployment '" + fleet.name() + "' (no agents, no container engine)"
          : "supervising fleet '" + fleet.name() + "' (" + fleet.agents().size() + " agents) on " + runtime.describe();
      out.println("sutazai: " + what + "; dashboard and API on http://" + conf.getString("sutazai.management.bind") + ":"
          + daemon.managementPort() + "/, Ollama-compatible inference on http://" + conf.getString("sutazai.inference.bind")
          + ":" + daemon.inferencePort() + "; stop with SIGTERM or Ctrl-C (containers keep running)");
      daemon.awaitTermination();
      return 0;
    }
  }

  private static int once(Config conf, FleetSpec fleet, ContainerRuntime runtime, PrintStream out) throws Exception {
    SupervisorSettings settings = SupervisorSettings.fromConfig(conf);
    CompletableFuture<SutazaiGuardian.Started> started = new CompletableFuture<>();
    ActorSystem<SutazaiGuardian.Command> system = ActorSystem.create(
        SutazaiGuardian.create(new SutazaiGuardian.Inputs(fleet, runtime, settings, HostPressure.oshi(settings), started)),
        "sutazai", conf);
    FleetStatus status;
    try {
      // Pools are cluster singletons and agents sharded entities: the node must be a member (of one, or
      // of the cluster given by --seed-nodes) before they run.
      ClusterNode.join(system, conf);
      SutazaiGuardian.Started s;
      try {
        s = started.get(120, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        throw Daemon.journalUnusable(conf, e.getCause());
      }
      Instant deadline = Instant.now().plus(settings.settleTimeout());
      status = ask(system, s);
      // Polling from this (non-actor) thread is fine: two small asks every half second.
      while (!(status.settled() && booted(fleet, status, pools(system, s))) && Instant.now().isBefore(deadline)) {
        Thread.sleep(500);
        status = ask(system, s);
      }
    } finally {
      // The node's orderly leave (singletons handed over, shards stopped, remoting closed) is routine
      // here: only its warnings are logged, and the summary is printed after it, as the last word.
      ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("akka")).setLevel(ch.qos.logback.classic.Level.WARN);
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    Summary.print(status, out);
    boolean healthy = status.settled() && status.agents().stream()
        .allMatch(a -> !a.desiredActive() || a.phase() == AgentPhase.HEALTHY);
    return healthy ? 0 : 1;
  }

  /**
   * Every pool has booted and the supervisor's view shows it: each always-on agent is wanted or waits in its
   * pool's queue. Until then the view may still show every agent inactive and unwanted, which looks settled.
   */
  static boolean booted(FleetSpec fleet, FleetStatus status, List<PoolStatus> pools) {
    if (pools.size() < fleet.agents().values().stream().map(AgentSpec::pool).distinct().count()) {
      return false;
    }
    Set<String> queued = pools.stream().flatMap(p -> p.queue().stream()).map(PoolStatus.Queued::agent)
        .collect(Collectors.toSet());
    Set<String> wanted = status.agents().stream().filter(AgentStatus::desiredActive).map(AgentStatus::name)
        .collect(Collectors.toSet());
    return fleet.agents().values().stream().filter(a -> a.activation() == AgentSpec.Activation.ALWAYS)
        .allMatch(a -> wanted.contains(a.name()) || queued.contains(a.name()));
  }

  private static List<PoolStatus> pools(ActorSystem<?> system, SutazaiGuardian.Started s) throws Exception {
    // Longer than the supervisor's own wait for its pools' answers (5 s), so a pool still booting is left out, not fatal.
    return AskPattern.<SupervisorProtocol.Command, List<PoolStatus>>ask(s.fleet(), SupervisorProtocol.GetPools::new,
        Duration.ofSeconds(10), system.scheduler()).toCompletableFuture().get();
  }

  private static FleetStatus ask(ActorSystem<?> system, SutazaiGuardian.Started s) throws Exception {
    return AskPattern.<SupervisorProtocol.Command, FleetStatus>ask(s.fleet(), SupervisorProtocol.GetStatus::new,
        ai.sutazai.common.Concurrency.askTimeout(system), system.scheduler()).toCompletableFuture().get();
  }
}
