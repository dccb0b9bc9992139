package ai.sutazai.cli.bench;

import ai.sutazai.supervisor.protocol.SupervisorProtocol;

import ai.sutazai.app.SutazaiGuardian;
import ai.sutazai.common.UserError;
import ai.sutazai.cluster.ClusterNode;
import ai.sutazai.common.Settings;
import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.fleet.HealthSpec;
import ai.sutazai.fleet.PoolSpec;
import ai.sutazai.runtime.ContainerInfo;
import ai.sutazai.runtime.SimulatedRuntime;
import ai.sutazai.supervisor.protocol.ActivationResult;
import ai.sutazai.supervisor.protocol.ActivationSource;
import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.protocol.FleetStatus;
import ai.sutazai.supervisor.FleetSupervisor;
import ai.sutazai.supervisor.container.HostPressure;
import ai.sutazai.supervisor.settings.SupervisorSettings;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.pattern.StatusReply;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sutazai bench cluster --nodes 3 --agents N}: several supervisor nodes (ActorSystems in this JVM on
 * loopback ports, each with its own SIMULATED container runtime) forming one cluster on one PostgreSQL
 * journal. Measures agents placed per second (sharded entities started and recovered on their nodes), journal
 * events per second while every agent is activated, and failover time after a node (--kill) is killed
 * abruptly (no leave: the others detect it, the Split Brain Resolver downs it, its agents start elsewhere).
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = {
      "Starts --nodes supervisor nodes in this JVM, places N agents on them, kills a node and times the failover.",
      "The nodes use loopback ports, a SIMULATED container runtime each (nothing runs) and one PostgreSQL journal "
          + "(--db, default SUTAZAI_DB_URL). The agents are sharded entities; all are activated, then a node is killed "
          + "(--kill) without leaving. Prints agents placed per second, journal events per second, and the failover time "
          + "(kill until every agent of that node is healthy on a survivor) with the default downing settings of "
          + "reference.conf.",
      "Targets: 10,000 agents over 3 nodes, failover < 30 s, >= 2,000 journal events/s."
    })
public final class ClusterBench implements Callable<Integer> {

  @Option(names = "--nodes", paramLabel = "K", defaultValue = "3", description = "Nodes (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--agents", paramLabel = "N", defaultValue = "1000", description = "Agents in the fleet (default ${DEFAULT-VALUE}).")
  int agents;

  @Option(names = "--db", paramLabel = "JDBC-URL", description = "PostgreSQL journal (user/password sutazai unless "
      + "SUTAZAI_DB_USER/SUTAZAI_DB_PASSWORD); default SUTAZAI_DB_URL or jdbc:postgresql://127.0.0.1:5432/sutazai.")
  String db;

  /** Which node the benchmark kills. */
  enum Victim { youngest, oldest }

  @Option(names = "--kill", paramLabel = "WHICH", defaultValue = "youngest",
      description = "Node to kill: youngest (the pools and the shard coordinator stay) or oldest (they move to a "
          + "survivor too) (default ${DEFAULT-VALUE}).")
  Victim kill;

  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(10);

  @Override
  public Integer call() throws Exception {
    if (nodes < 2 || nodes > 9) {
      throw new UserError("--nodes: expected 2 to 9, got " + nodes);
    }
    if (agents < 1 || agents > 100_000) {
      throw new UserError("--agents: expected 1 to 100000, got " + agents);
    }
    String url = db != null ? db : System.getenv().getOrDefault("SUTAZAI_DB_URL", "jdbc:postgresql://127.0.0.1:5432/sutazai");
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new UserError("--db: expected a jdbc:postgresql: URL, got " + url);
    }
    String user = System.getenv().getOrDefault("SUTAZAI_DB_USER", "sutazai");
    String password = System.getenv().getOrDefault("SUTAZAI_DB_PASSWORD", "sutazai");
    try (Connection c = DriverManager.getConnection(url, user, password)) {
      c.isValid(5);
    } catch (java.sql.SQLException e) {
      throw new UserError("--db " + url + ": cannot connect (" + e.getMessage() + ")");
    }
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    PrintStream out = System.out;
    FleetSpec fleet = fleet("bench-" + Long.toString(System.currentTimeMillis(), 36), agents);
    int[] ports = new int[nodes];
    for (int i = 0; i < nodes; i++) {
      try (ServerSocket s = new ServerSocket(0)) {
        ports[i] = s.getLocalPort();
      }
    }
    List<ActorSystem<SutazaiGuardian.Command>> systems = new ArrayList<>();
    List<SimulatedRuntime> runtimes = new ArrayList<>();
    List<ActorRef<SupervisorProtocol.Command>> supervisors = new ArrayList<>();
    out.printf(Locale.ROOT, "bench cluster: %d nodes, %d agents, SimulatedRuntime per node, PostgreSQL journal %s%n", nodes,
        agents, url);
    try {
      long t0 = System.nanoTime();
      for (int i = 0; i < nodes; i++) {
        Config conf = config(url, user, password, ports, i);
        SimulatedRuntime runtime = SimulatedRuntime.create();
        CompletableFuture<SutazaiGuardian.Started> started = new CompletableFuture<>();
        ActorSystem<SutazaiGuardian.Command> system = ActorSystem.create(SutazaiGuardian.create(new SutazaiGuardian.Inputs(
            fleet, runtime, SupervisorSettings.fromConfig(conf), HostPressure.none(), started)), "sutazai", conf);
        ClusterNode.join(system, conf);
        systems.add(system);
        runtimes.add(runtime);
        supervisors.add(started.get(120, TimeUnit.SECONDS).fleet());
      }
      ActorSystem<SutazaiGuardian.Command> first = systems.get(0);
      ActorRef<SupervisorProtocol.Command> sup = supervisors.get(0);
      awaitStatus(first, sup, s -> s.agents().size() == agents, "every agent placed");
      double placedSeconds = (System.nanoTime() - t0) / 1e9;
      int[] perNode = new int[nodes];

      long eventsBefore = journalEvents(url, user, password, fleet.name());
      long t1 = System.nanoTime();
      ActorRef<StatusReply<ActivationResult>> ignore = first.systemActorOf(Behaviors.ignore(), "bench-replies",
          akka.actor.typed.Props.empty());
      for (String a : fleet.agents().keySet()) {
        sup.tell(new SupervisorProtocol.Activate(a, ActivationSource.API, "bench", null, ignore));
      }
      awaitStatus(first, sup, s -> s.agents().stream().filter(a -> a.phase() == AgentPhase.HEALTHY).count() == agents,
          "every agent healthy");
      double activeSeconds = (System.nanoTime() - t1) / 1e9;
      long events = journalEvents(url, user, password, fleet.name()) - eventsBefore;
      for (int i = 0; i < nodes; i++) {
        perNode[i] = (int) runtimes.get(i).listManaged(fleet.name()).stream().filter(ContainerInfo::running).count();
      }

      int victim = victim(systems, kill);
      ActorSystem<SutazaiGuardian.Command> observer = systems.get(victim == 0 ? 1 : 0);
      ActorRef<SupervisorProtocol.Command> observerSup = supervisors.get(victim == 0 ? 1 : 0);
      Set<String> lost = new HashSet<>();
      runtimes.get(victim).listManaged(fleet.name()).forEach(c -> lost.add(c.agent()));
      akka.actor.Address victimAddress = akka.cluster.typed.Cluster.get(systems.get(victim)).selfMember().address();
      long t2 = System.nanoTime();
      systems.get(victim).terminate(); // coordinated shutdown off for this node: no leave, the others must detect it
      runtimes.get(victim).close();
      Map<String, String> before = new LinkedHashMap<>();
      for (AgentStatus s : status(observer, observerSup).agents()) {
        before.put(s.name(), s.containerId());
      }
      FailoverPhases phases = new FailoverPhases(t2, lost.size());
      akka.cluster.Cluster observed = akka.cluster.Cluster.get(akka.actor.typed.javadsl.Adapter.toClassic(observer));
      awaitStatus(observer, observerSup, s -> {
        phases.cluster(observed.state(), victimAddress);
        long moved = s.agents().stream().filter(a -> lost.contains(a.name()))
            .filter(a -> a.phase() == AgentPhase.HEALTHY && a.containerId() != null
                && !a.containerId().equals(before.get(a.name())) && runsOnSurvivor(runtimes, victim, fleet.name(), a)).count();
        phases.healthy(moved);
        return moved == lost.size();
      }, "the killed node's agents healthy on survivors");
      double failoverSeconds = (System.nanoTime() - t2) / 1e9;

      BenchFleet.hostRow(out);
      BenchFleet.row(out, "agents placed (started on their node)", String.format(Locale.ROOT, "%d in %.1f s = %.0f agents/s", agents,
          placedSeconds, agents / placedSeconds));
      BenchFleet.row(out, "agents per node after activation", java.util.Arrays.toString(perNode));
      BenchFleet.row(out, "activation of all agents (request to healthy)", String.format(Locale.ROOT, "%.1f s", activeSeconds));
      BenchFleet.row(out, "journal events written during activation", String.format(Locale.ROOT, "%d = %.0f events/s", events,
          events / activeSeconds));
      BenchFleet.row(out, "failover: node killed -> its agents healthy elsewhere", String.format(Locale.ROOT,
          "%.1f s for %d agents (stable-after %s)", failoverSeconds, lost.size(),
          first.settings().config().getString("akka.cluster.split-brain-resolver.stable-after")));
      phases.print(out);
      BenchFleet.row(out, "killed node", kill == Victim.oldest
          ? "the oldest (the shard coordinator and the pool singleton moved too)" : "the youngest");
      return 0;
    } finally {
      for (ActorSystem<SutazaiGuardian.Command> s : systems) {
        s.terminate();
      }
      for (ActorSystem<SutazaiGuardian.Command> s : systems) {
        s.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
      runtimes.forEach(SimulatedRuntime::close);
    }
  }

  /**
   * When each step of a failover was first seen (by the status polls, 200 ms apart): the killed node
   * unreachable, removed from the membership, and the first, half and all of its agents healthy elsewhere.
   */
  private static final class FailoverPhases {
    private final long start;
    private final int agents;
    private long unreachable = -1;
    private long removed = -1;
    private long first = -1;
    private long half = -1;
    private long all = -1;

    FailoverPhases(long start, int agents) {
      this.start = start;
      this.agents = agents;
    }

    void cluster(akka.cluster.ClusterEvent.CurrentClusterState state, akka.actor.Address victim) {
      long now = System.nanoTime();
      if (unreachable < 0 && state.getUnreachable().stream().anyMatch(m -> m.address().equals(victim))) {
        unreachable = now;
      }
      boolean member = false;
      for (akka.cluster.Member m : state.getMembers()) {
        member |= m.address().equals(victim);
      }
      if (removed < 0 && !member) {
        removed = now;
        if (unreachable < 0) {
          unreachable = now;
        }
      }
    }

    void healthy(long moved) {
      long now = System.nanoTime();
      if (first < 0 && moved > 0) {
        first = now;
      }
      if (half < 0 && moved * 2 >= agents) {
        half = now;
      }
      if (all < 0 && moved == agents) {
        all = now;
      }
    }

    void print(PrintStream out) {
      BenchFleet.row(out, "  failover phases (from the kill; polled every 200 ms)", String.format(Locale.ROOT,
          "unreachable %s, removed %s, first agent healthy %s, half %s, all %s", at(unreachable), at(removed), at(first),
          at(half), at(all)));
    }

    private String at(long t) {
      return t < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f s", (t - start) / 1e9);
    }
  }

  /** Index of the node to kill: the oldest member hosts the cluster singletons (shard coordinator, pools). */
  private static int victim(List<? extends ActorSystem<?>> systems, Victim which) {
    int pick = 0;
    for (int i = 1; i < systems.size(); i++) {
      akka.cluster.Member m = akka.cluster.typed.Cluster.get(systems.get(i)).selfMember();
      akka.cluster.Member p = akka.cluster.typed.Cluster.get(systems.get(pick)).selfMember();
      if (which == Victim.oldest ? m.isOlderThan(p) : p.isOlderThan(m)) {
        pick = i;
      }
    }
    return pick;
  }

  private static boolean runsOnSurvivor(List<SimulatedRuntime> runtimes, int victim, String fleet, AgentStatus a) {
    for (int i = 0; i < runtimes.size(); i++) {
      if (i != victim && runtimes.get(i).inspect(a.containerId()).map(ContainerInfo::running).orElse(false)) {
        return true;
      }
    }
    return false;
  }

  private static FleetSpec fleet(String name, int n) {
    Map<String, AgentSpec> specs = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String a = "a" + i;
      specs.put(a, new AgentSpec(a, "sim/agent:1", List.of(), Map.of(), BenchFleet.AGENT_MEMORY_BYTES, BenchFleet.AGENT_MEMORY_BYTES,
          BenchFleet.AGENT_CPUS, i % 10, List.of(), null, HealthSpec.NONE, List.of(), AgentSpec.Activation.ON_DEMAND, "default",
          null, null));
    }
    return new FleetSpec(name, null, specs, Map.of("default", new PoolSpec("default", n, 1L << 42, 1e6, 0)));
  }

  private static Config config(String url, String user, String password, int[] ports, int i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("akka.remote.artery.canonical.hostname", "127.0.0.1");
    m.put("akka.remote.artery.canonical.port", ports[i]);
    m.put("sutazai.cluster.seed-nodes", "127.0.0.1:" + ports[0]);
    m.put("sutazai.cluster.bootstrap", "off");
    // The nodes come up together (as a cluster started by its scripts does), so agents spread over all of them.
    m.put("akka.cluster.min-nr-of-members", ports.length);
    m.put("sutazai.persistence.db", "postgres");
    m.put("sutazai.persistence.postgres.url", url);
    m.put("sutazai.persistence.postgres.user", user);
    m.put("sutazai.persistence.postgres.password", password);
    m.put("akka.loglevel", "WARNING");
    // Each node offers room for its share of the agents (16 MiB each) and a bit more.
    m.put("sutazai.quota.host-memory", String.valueOf(1L << 40));
    m.put("sutazai.quota.host-cpus", "1024");
    m.put("sutazai.quota.right-sizing.enabled", "off");
    m.put("sutazai.quota.recent-decisions", "1000");
    m.put("sutazai.data-dir", System.getProperty("java.io.tmpdir") + "/sutazai-bench-cluster-" + i);
    // Any node may be the one killed (--kill): no graceful leave, and no graceful hand-off of its shards (a
    // crashed process sends nothing; a region that announced a graceful shutdown and then vanished would
    // hold its shards for the hand-off timeout). Terminating the system still runs these phases from the
    // cluster daemon's stop.
    m.put("akka.coordinated-shutdown.run-by-actor-system-terminate", "off");
    for (String phase : List.of("cluster-sharding-shutdown-region", "cluster-leave", "cluster-exiting")) {
      m.put("akka.coordinated-shutdown.phases." + phase + ".enabled", "off");
    }
    return Settings.load(null, ConfigFactory.parseMap(m));
  }

  private static FleetStatus status(ActorSystem<?> system, ActorRef<SupervisorProtocol.Command> sup) throws Exception {
    return AskPattern.<SupervisorProtocol.Command, FleetStatus>ask(sup, SupervisorProtocol.GetStatus::new, Duration.ofSeconds(30),
        system.scheduler()).toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** Polls the status (one small ask every 200 ms from this non-actor thread) until {@code done} holds. */
  private static void awaitStatus(ActorSystem<?> system, ActorRef<SupervisorProtocol.Command> sup,
      java.util.function.Predicate<FleetStatus> done, String what) throws Exception {
    long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
    FleetStatus last;
    while (!done.test(last = status(system, sup))) {
      if (System.nanoTime() > deadline) {
        Map<AgentPhase, Long> phases = new java.util.TreeMap<>();
        last.agents().forEach(a -> phases.merge(a.phase(), 1L, Long::sum));
        throw new UserError("bench cluster: not reached within " + STEP_TIMEOUT.toMinutes() + " min: " + what
            + " (agents by phase: " + phases + ")");
      }
      Thread.sleep(200);
    }
  }

  /** Rows of this fleet's agents and pools in the journal. */
  private static long journalEvents(String url, String user, String password, String fleet) throws Exception {
    try (Connection c = DriverManager.getConnection(url, user, password);
        PreparedStatement q = c.prepareStatement("select count(*) from event_journal where persistence_id like ? or persistence_id like ?")) {
      q.setString(1, "Agent|" + fleet + ":%");
      q.setString(2, "Pool|" + fleet + ":%");
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
