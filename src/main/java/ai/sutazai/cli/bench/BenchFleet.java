package ai.sutazai.cli.bench;

import ai.sutazai.metrics.stats.Statistics;
import org.HdrHistogram.Histogram;
import ai.sutazai.supervisor.protocol.SupervisorProtocol;

import ai.sutazai.app.SutazaiGuardian;
import ai.sutazai.common.Settings;
import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.fleet.HealthSpec;
import ai.sutazai.fleet.PoolSpec;
import ai.sutazai.runtime.SimulatedRuntime;
import ai.sutazai.metrics.DecisionLatency;
import ai.sutazai.supervisor.FleetSupervisor;
import ai.sutazai.supervisor.container.HostPressure;
import ai.sutazai.supervisor.settings.SupervisorSettings;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.typed.javadsl.Behaviors;
import ai.sutazai.supervisor.protocol.AgentEventPublished;
import ai.sutazai.supervisor.protocol.ScalingDecision;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The set-up the supervisor benchmarks share: a synthetic fleet on the SIMULATED runtime (in memory;
 * nothing runs) and the real supervisor (guardian, pools, event-sourced agents) on an H2 IN-MEMORY
 * journal, so that the figures measure the supervisor and its journal code, not a disk or Docker.
 */
final class BenchFleet implements AutoCloseable {
  static final String RUNTIME = "SimulatedRuntime (in-memory, no containers run)";
  static final String JOURNAL = "H2 in-memory (jdbc:h2:mem, akka-persistence-jdbc, "
      + Integer.getInteger("sutazai.bench.jdbc-connections", 16) + " connections)";
  static final long AGENT_MEMORY_BYTES = 16L << 20;
  static final double AGENT_CPUS = 0.01;
  /** JDBC connections (and Slick threads) of the in-memory journal; production H2 uses 5. */
  static final int CONNECTIONS = Integer.getInteger("sutazai.bench.jdbc-connections", 16);

  final FleetSpec fleet;
  final SimulatedRuntime runtime = SimulatedRuntime.create();
  final ActorSystem<SutazaiGuardian.Command> system;
  final ActorRef<SupervisorProtocol.Command> supervisor;
  final long startMillis;

  /** What a benchmark hears from the supervisor, on one subscriber actor's thread. */
  interface Listener {
    void onAgentEvent(AgentEventPublished e);

    void onDecision(ScalingDecision d);
  }

  private interface Heard {}

  private record AgentHeard(AgentEventPublished e) implements Heard {}

  private record DecisionHeard(ScalingDecision d) implements Heard {}

  /** {@code agents} on-demand agents a0..aN-1 (16 MiB, 0.01 CPU, priority i % 10) in one pool with this quota. */
  BenchFleet(String name, int agents, PoolSpec quota, Listener listener) throws Exception {
    Map<String, AgentSpec> specs = new LinkedHashMap<>();
    for (int i = 0; i < agents; i++) {
      String n = "a" + i;
      specs.put(n, new AgentSpec(n, "sim/agent:1", List.of(), Map.of(), AGENT_MEMORY_BYTES, AGENT_MEMORY_BYTES, AGENT_CPUS,
          i % 10, List.of(), null, HealthSpec.NONE, List.of(), AgentSpec.Activation.ON_DEMAND, "default", null, null));
    }
    fleet = new FleetSpec(name, null, specs, Map.of("default", quota));
    String db = "bench" + System.nanoTime();
    Config conf = Settings.load(null, ConfigFactory.parseMap(Map.ofEntries(
        Map.entry("akka-persistence-jdbc.shared-databases.h2.db.url", "jdbc:h2:mem:" + db + ";DB_CLOSE_DELAY=-1"),
        Map.entry("akka-persistence-jdbc.shared-databases.h2.db.numThreads", String.valueOf(CONNECTIONS)),
        Map.entry("akka-persistence-jdbc.shared-databases.h2.db.maxConnections", String.valueOf(CONNECTIONS)),
        Map.entry("akka.loglevel", "WARNING"),
        Map.entry("sutazai.persistence.db", "h2"),
        Map.entry("sutazai.quota.host-memory", String.valueOf(1L << 40)),
        Map.entry("sutazai.quota.host-cpus", "1024"),
        Map.entry("sutazai.quota.right-sizing.enabled", "off"),
        Map.entry("sutazai.quota.recent-decisions", "1000"),
        Map.entry("akka.remote.artery.canonical.port", "0"))));
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    CompletableFuture<SutazaiGuardian.Started> started = new CompletableFuture<>();
    startMillis = System.currentTimeMillis();
    system = ActorSystem.create(SutazaiGuardian.create(new SutazaiGuardian.Inputs(fleet, runtime,
        SupervisorSettings.fromConfig(conf), HostPressure.none(), started)), "bench", conf);
    ai.sutazai.cluster.ClusterNode.join(system, conf); // a cluster of one: pools are singletons, agents sharded
    ActorRef<Heard> sub = system.systemActorOf(Behaviors.receive(Heard.class)
        .onMessage(AgentHeard.class, m -> {
          listener.onAgentEvent(m.e());
          return Behaviors.same();
        })
        .onMessage(DecisionHeard.class, m -> {
          listener.onDecision(m.d());
          return Behaviors.same();
        }).build(), "bench-listener", Props.empty());
    ActorRef<AgentEventPublished> agentsRef = system.systemActorOf(Behaviors.receive(AgentEventPublished.class)
        .onAnyMessage(m -> { sub.tell(new AgentHeard(m)); return Behaviors.same(); }).build(), "bench-agents", Props.empty());
    ActorRef<ScalingDecision> decisionsRef = system.systemActorOf(Behaviors.receive(ScalingDecision.class)
        .onAnyMessage(m -> { sub.tell(new DecisionHeard(m)); return Behaviors.same(); }).build(), "bench-decisions", Props.empty());
    system.eventStream().tell(new EventStream.Subscribe<>(AgentEventPublished.class, agentsRef));
    system.eventStream().tell(new EventStream.Subscribe<>(ScalingDecision.class, decisionsRef));
    supervisor = started.get(300, TimeUnit.SECONDS).fleet();
  }

  @Override
  public void close() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    runtime.close();
  }

  /** Heap in use after a full collection, MiB. */
  static double heapUsedMib() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return (rt.totalMemory() - rt.freeMemory()) / (double) (1 << 20);
  }

  static double maxHeapMib() {
    return Runtime.getRuntime().maxMemory() / (double) (1 << 20);
  }

  /** The {@code p}-th percentile of sorted nanoseconds, in milliseconds (the product's one rule: {@link Statistics}). */
  static double pctMillis(long[] sortedNanos, double p) {
    return Statistics.percentileOfSorted(sortedNanos, p) / 1e6;
  }

  /** The {@code p}-th percentile of a histogram of nanoseconds, in milliseconds (the same rule). */
  static double pctMillis(Histogram nanos, double p) {
    return Statistics.percentile(nanos, p) / 1e6;
  }

  /** The machine's load while measuring: figures from a busy host are slower than the code. */
  static void hostRow(PrintStream out) {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    row(out, "host: load average (1 min) / logical cores", String.format(Locale.ROOT, "%.1f / %d", os.getSystemLoadAverage(),
        os.getAvailableProcessors()));
  }

  static void row(PrintStream out, String what, String value) {
    out.printf(Locale.ROOT, "  %-52s %s%n", what, value);
  }

  static String ms(double millis) {
    return String.format(Locale.ROOT, "%.3f ms", millis);
  }

  /**
   * Handling-to-journalled times by kind: activation requests (a batch's requests share its write) and the
   * pools' own decisions (admissions from the queue as quota frees, idle stops, ...).
   */
  static void decisionRows(PrintStream out, DecisionLatency latency) {
    Histogram requests = latency.requestNanos();
    Histogram own = latency.ownNanos();
    row(out, "activation request, handling to journalled p50 / p99",
        ms(pctMillis(requests, 50)) + " / " + ms(pctMillis(requests, 99)));
    row(out, "pool's own decisions, handling to journalled p50 / p99",
        own.getTotalCount() == 0 ? "none" : ms(pctMillis(own, 50)) + " / " + ms(pctMillis(own, 99)) + " (" + own.getTotalCount() + ")");
  }
}
