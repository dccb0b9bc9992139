package ai.sutazai.cli.bench.seed;

import ai.sutazai.app.Daemon;
import ai.sutazai.capacity.CapacityAnalysis;
import ai.sutazai.common.DurationArg;
import ai.sutazai.common.Settings;
import ai.sutazai.common.UserError;
import ai.sutazai.fleet.FleetLoader;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.fleet.Sizes;
import ai.sutazai.inference.ollama.KeepAlive;
import ai.sutazai.inference.sim.OllamaSimulator;
import ai.sutazai.inference.sim.SimConfig;
import ai.sutazai.runtime.DockerClients;
import ai.sutazai.runtime.DockerRuntime;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.Closeable;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sutazai bench seed}: the seed document's host in miniature (a parent cgroup on the real Docker engine)
 * running the seed's 69-agent fleet three ways with the same seeded work, and the seed's success-metrics table
 * with one column per run, measured from outside.
 */
@Command(
    name = "seed",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "The seed's host (29 GiB, 12 cores) scaled into a parent cgroup on the real Docker engine (DOCKER_HOST; cgroup v1, "
          + "cgroupfs driver, run as root), the seed's fleet (conf/fleets/sutazai-69.conf) scaled by the same factors, "
          + "busybox agents, and the same seeded tasks in up to three runs, one after the other.",
      "  A  as the seed's host runs today: plain Docker, all agents at once, --restart=always, a HEALTHCHECK with a short "
          + "timeout, a restarter of unhealthy containers, one Ollama (the simulator), tasks straight to each agent.",
      "  B  under the supervisor (in this process): quotas, on-demand activation through the agent front, probes, "
          + "restart backoff; the same one Ollama worker behind the router; tasks through the agent front.",
      "  C  B plus two more Ollama workers.",
      "Prints the seed's success-metrics table with one column per run. The Ollama workers are the simulator "
          + "(sutazai ollama-sim), not real inference. Removes every container and cgroup it created, also on Ctrl-C."
    })
public final class SeedBench implements Callable<Integer> {
  /** Right-sizing in run B and C: a sample of each running agent every 2 s, limits set after 5 samples. */
  static final Duration RIGHT_SIZING_SAMPLE = Duration.ofSeconds(2);
  static final int RIGHT_SIZING_MIN_SAMPLES = 5;
  /** How long the cleanup keeps removing a run's containers, and how often it looks again. */
  static final Duration CLEANUP_LIMIT = Duration.ofSeconds(60);
  static final Duration CLEANUP_POLL = Duration.ofMillis(500);

  @Option(names = "--duration", defaultValue = "5m", description = "Length of each run's workload (default ${DEFAULT-VALUE}).")
  String duration;

  @Option(names = "--agents", defaultValue = "69", description = "Agents of the fleet to run (default ${DEFAULT-VALUE}); fewer are spread evenly over the file and the host model shrinks with their share of the requests.")
  int agentCount;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the agents' sizes and of the task sequence (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--rate", defaultValue = "2", description = "Tasks per second, Poisson arrivals (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--runs", defaultValue = "A,B,C", split = ",", description = "Runs, in order (default ${DEFAULT-VALUE}).")
  List<String> runs;

  @Option(names = "--format", defaultValue = "table", description = "table or json (default ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--out", description = "Also write an HTML report with charts over time to this file.")
  Path out;

  @Option(names = "--host-memory", defaultValue = "1536MiB",
      description = "Memory of the host model, the parent cgroup's limit (default ${DEFAULT-VALUE}; the seed's 29 GiB scaled).")
  String hostMemory;

  @Option(names = "--host-cpus", defaultValue = "1", description = "Cores of the host model, the parent cgroup's CPU quota (default ${DEFAULT-VALUE}).")
  double hostCpus;

  @Option(names = "--max-active", description = "Runs B and C: the pool's max-active instead of the fleet file's "
      + "(20 in sutazai-69.conf, the seed's 'limit to 20 active agents'); the memory and CPU budgets still apply.")
  Integer maxActive;

  @Option(names = "--fleet", defaultValue = "conf/fleets/sutazai-69.conf", description = "The seed's fleet (default ${DEFAULT-VALUE}).")
  Path fleetFile;

  @Option(names = "--image", defaultValue = "sutazai/busybox:local",
      description = "Busybox image of the agents (default ${DEFAULT-VALUE}; cluster/dev/busybox-image.sh builds it).")
  String image;

  @Option(names = "--name-prefix", defaultValue = "sutazai-seedbench",
      description = "Prefix of the containers', fleets' and cgroups' names (default ${DEFAULT-VALUE}; a random suffix is added).")
  String prefix;

  /** The Ollama simulator every run uses, per worker: a realistic model load, token rate and few slots. */
  static SimConfig simConfig(List<String> models) {
    return SimConfig.defaults().withBindHost("127.0.0.1").withPort(0).withModels(models).withNumParallel(2)
        .withMaxLoadedModels(2).withLoadTime(Duration.ofSeconds(2)).withTokensPerSecond(40).withResponseTokens(24)
        .withDefaultKeepAlive(KeepAlive.of(Duration.ofMinutes(5)));
  }

  private final List<Closeable> open = Collections.synchronizedList(new ArrayList<>());
  private final List<String> fleets = Collections.synchronizedList(new ArrayList<>());
  private final List<HostModel> groups = Collections.synchronizedList(new ArrayList<>());
  private DockerClient client;

  @Override
  public Integer call() throws Exception {
    Duration each = DurationArg.parse("--duration", duration);
    if (rate <= 0) {
      throw new UserError("--rate: expected tasks per second above 0, got " + rate);
    }
    if (!format.equals("table") && !format.equals("json")) {
      throw new UserError("--format: expected table or json, got '" + format + "'");
    }
    List<String> names = runs.stream().map(s -> s.trim().toUpperCase(Locale.ROOT)).toList();
    for (String n : names) {
      if (!List.of("A", "B", "C").contains(n)) {
        throw new UserError("--runs: expected A, B and/or C, got '" + n + "'");
      }
    }
    long memBytes = Sizes.parseBytes(hostMemory);
    if (memBytes < (64L << 20) || hostCpus <= 0) {
      throw new UserError("--host-memory (at least 64MiB) and --host-cpus (above 0): got " + hostMemory + ", " + hostCpus);
    }
    if (maxActive != null && maxActive < 1) {
      throw new UserError("--max-active: expected at least 1 agent, got " + maxActive);
    }
    if (!Files.isRegularFile(fleetFile)) {
      throw new UserError("--fleet: " + fleetFile + " not found (run from the project's directory or give the path)");
    }
    Config base = Settings.load(null, ConfigFactory.empty());
    FleetSpec seedFleet = FleetLoader.load(fleetFile, base);
    SeedAgents agents;
    try {
      agents = new SeedAgents(seedFleet, agentCount, memBytes, hostCpus, seed, image);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    long fullMemory = memBytes;
    double fullCpus = hostCpus;
    if (agents.agents.size() < seedFleet.agents().size()) {
      // fewer agents: the host model shrinks with them, so their requests keep the seed's ratios to it
      memBytes = Math.round(memBytes * agents.memoryShare());
      hostCpus = hostCpus * agents.cpuShare();
    }
    Workload work = Workload.generate(agents.agents.stream().map(a -> a.spec().name()).toList(), rate, each, seed);
    String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    CapacityAnalysis.Result fit = CapacityAnalysis.analyze(agents.fleet(id), new CapacityAnalysis.Host(memBytes, hostCpus,
        "host model"), CapacityAnalysis.Targets.fromConfig(base));

    PrintStream log = System.err;
    PrintStream stdout = System.out;
    System.setOut(System.err); // logs of the supervisor and the simulators go to stderr; stdout has the report only
    List<String> hostLines = new ArrayList<>();
    hostLines.add(String.format(Locale.ROOT, "host model: %s memory, %.2f cores (parent cgroup /%s-<run>; the seed's host "
        + "29 GiB, 12 cores scaled: memory x %.4f, CPU x %.4f)", Sizes.human(memBytes), hostCpus, id, agents.memoryScale,
        agents.cpuScale));
    if (memBytes != fullMemory) {
      hostLines.add(String.format(Locale.ROOT, "  (%s and %.2f cores for the whole fleet; --agents %d takes its share, so "
          + "the requests keep the seed's ratios)", Sizes.human(fullMemory), fullCpus, agents.agents.size()));
    }
    hostLines.add(String.format(Locale.ROOT, "fleet: %d agents of %s, requests %s memory (%.0f %% of the model) and %.2f cores "
        + "(%.0f %%)", agents.agents.size(), fleetFile, Sizes.human(agents.memoryRequest()),
        100.0 * agents.memoryRequest() / memBytes, agents.cpuRequest(), 100 * agents.cpuRequest() / hostCpus));
    hostLines.add(String.format(Locale.ROOT, "work: %d tasks over %s (seed %d, %.2f/s Poisson, Zipf %.1f popularity over %d "
        + "agents: %d called at least once)", work.tasks().size(), DurationArg.format(each), seed, rate,
        Workload.ZIPF_EXPONENT, agents.agents.size(), work.distinctAgents()));
    hostLines.add("inference: the Ollama SIMULATOR (not real inference), per worker: 2 slots, 2 models loaded at most, "
        + "2 s model load, 40 tokens/s, 24 tokens per answer; models " + agents.models());
    hostLines.add("engine: " + DockerClients.host(base) + "; machine: " + Runtime.getRuntime().availableProcessors()
        + " cores seen by the JVM");
    hostLines.forEach(l -> log.println("bench seed: " + l));

    client = DockerClients.create(DockerClients.host(base), Duration.ofSeconds(60));
    DockerClient stream = DockerClients.create(DockerClients.host(base), null);
    Thread hook = new Thread(this::cleanup, "seed-bench-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    List<RunResult> results = new ArrayList<>();
    try {
      client.pingCmd().exec();
      for (String run : names) {
        log.println("bench seed: run " + run + " starting (" + DurationArg.format(each) + " of work)");
        results.add(run(run, id + "-" + run.toLowerCase(Locale.ROOT), agents, work, each, memBytes, stream));
        log.println("bench seed: run " + run + " done");
      }
    } finally {
      cleanup();
      System.setOut(stdout);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down: the hook runs (and finds nothing left)
      }
    }

    ObjectMapper m = new ObjectMapper();
    ObjectNode host = m.createObjectNode();
    host.put("memoryBytes", memBytes);
    host.put("cpus", hostCpus);
    host.put("seedMemoryBytes", HostModel.SEED_MEMORY);
    host.put("seedCpus", HostModel.SEED_CPUS);
    host.put("memoryScale", agents.memoryScale);
    host.put("cpuScale", agents.cpuScale);
    host.put("agentsThatFit", fit.maxConcurrentAgents());
    ObjectNode params = m.createObjectNode();
    params.put("duration", each.toString());
    params.put("agents", agents.agents.size());
    params.put("seed", seed);
    params.put("rate", rate);
    params.put("runs", String.join(",", names));
    if (maxActive != null) {
      params.put("maxActive", maxActive);
    }
    params.put("tasks", work.tasks().size());
    params.put("fleet", fleetFile.toString());
    String cmd = String.format(Locale.ROOT, "sutazai bench seed --duration %s --agents %d --seed %d --rate %s --runs %s",
        duration, agentCount, seed, stripZero(rate), String.join(",", names)) + (maxActive != null ? " --max-active " + maxActive : "");
    SeedReport report = new SeedReport(new SeedReport.Context(cmd, hostLines, host, params, agents.agents.size(),
        fit.maxConcurrentAgents()), results);
    if (format.equals("json")) {
      stdout.println(report.json());
    } else {
      report.table(stdout);
      if (Boolean.getBoolean("sutazai.bench.seed.markdown")) {
        report.markdown(stdout);
      }
    }
    stdout.flush();
    if (out != null) {
      Files.writeString(out, report.html());
      log.println("bench seed: report written to " + out);
    }
    return 0;
  }

  private static String stripZero(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  private RunResult run(String run, String fleetName, SeedAgents agents, Workload work, Duration each, long memBytes,
      DockerClient stream) throws Exception {
    fleets.add(fleetName);
    HostModel host = HostModel.create(fleetName, memBytes, hostCpus);
    groups.add(host);
    Map<String, Integer> ports = new java.util.HashMap<>();
    agents.agents.forEach(a -> ports.put(a.spec().name(), a.port()));
    Observer obs = new Observer(client, stream, fleetName, host, ports);
    List<OllamaSimulator.Running> sims = new ArrayList<>();
    int workers = run.equals("C") ? 3 : 1;
    for (int i = 0; i < workers; i++) {
      OllamaSimulator.Running sim = OllamaSimulator.start(simConfig(agents.models()));
      sims.add(sim);
      open.add(sim::close);
    }
    try (Closeable events = obs.watchEvents()) {
      if (run.equals("A")) {
        PlainDockerRun a = new PlainDockerRun(client, fleetName);
        open.add(a::close);
        a.start(agents, image, host.parent(), sims.get(0).url());
        return obs.measure(run, "plain Docker: all agents at once, --restart=always, HEALTHCHECK (interval "
            + PlainDockerRun.HEALTH_INTERVAL.toSeconds() + " s, timeout " + PlainDockerRun.HEALTH_TIMEOUT.toSeconds()
            + " s, retries " + PlainDockerRun.HEALTH_RETRIES + ", start period " + PlainDockerRun.HEALTH_START_PERIOD.toSeconds()
            + " s), restarter of unhealthy containers every " + PlainDockerRun.RESTARTER_INTERVAL.toSeconds()
            + " s, 1 Ollama, tasks straight to the agents", work, agent -> "http://127.0.0.1:" + ports.get(agent)
            + "/cgi-bin/task", each, agents.agents.size());
      }
      Path dir = Files.createTempDirectory("sutazai-bench-seed");
      open.add(() -> deleteTree(dir)); // closed after the supervisor (the list closes in reverse)
      int inferencePort = freePort();
      Config conf = Settings.load(null, ConfigFactory.parseMap(Map.ofEntries(
          Map.entry("sutazai.data-dir", dir.resolve("data").toString()),
          Map.entry("sutazai.management.port", "0"),
          Map.entry("akka.management.http.port", "0"),
          Map.entry("akka.remote.artery.canonical.port", "0"),
          Map.entry("sutazai.gateway.port", "0"),
          Map.entry("sutazai.gateway.max-held", "1000"),
          Map.entry("sutazai.inference.enabled", "true"),
          Map.entry("sutazai.inference.port", String.valueOf(inferencePort)),
          Map.entry(DockerRuntime.CGROUP_PARENT_KEY, host.parent()),
          Map.entry("sutazai.quota.host-memory", String.valueOf(memBytes)),
          Map.entry("sutazai.quota.host-cpus", String.valueOf(hostCpus)),
          // Right-sizing at the bench's time scale: the run lasts minutes, not the days the defaults (a sample
          // each 30 s, 10 samples) are made for; the floors are the smallest limits Docker takes (0.01 CPU) and
          // a busybox agent needs, as the seed's floors scaled to the model would be below them.
          Map.entry("sutazai.quota.right-sizing.sample-interval", RIGHT_SIZING_SAMPLE.toMillis() + "ms"),
          Map.entry("sutazai.quota.right-sizing.min-samples", String.valueOf(RIGHT_SIZING_MIN_SAMPLES)),
          Map.entry("sutazai.quota.right-sizing.min-cpus", "0.01"),
          Map.entry("sutazai.quota.right-sizing.min-memory", "8MiB"),
          Map.entry("sutazai.quota.right-sizing.use-baseline", "off"),
          Map.entry("akka.loglevel", "WARNING"),
          Map.entry("akka.stdout-loglevel", "OFF"),
          Map.entry("akka.log-dead-letters-during-shutdown", "off"))));
      ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
          .setLevel(ch.qos.logback.classic.Level.WARN);
      FleetSpec fleet = agents.fleet(fleetName);
      if (maxActive != null) {
        ai.sutazai.fleet.PoolSpec p = fleet.pools().get("default");
        fleet = new FleetSpec(fleet.name(), null, fleet.agents(), Map.of("default", new ai.sutazai.fleet.PoolSpec(p.name(),
            maxActive, p.memoryBudgetBytes(), p.cpuBudget(), p.minActive(), p.restartBudget())));
      }
      // OLLAMA_HOST: the router, under the agent's own path (what `sutazai run` adds to every agent)
      Map<String, ai.sutazai.fleet.AgentSpec> specs = new java.util.LinkedHashMap<>();
      fleet.agents().forEach((n, a) -> specs.put(n, ai.sutazai.fleet.InferenceEnv.withDefaults(a, conf)));
      fleet = new FleetSpec(fleet.name(), null, specs, fleet.pools());
      DockerRuntime runtime = DockerRuntime.fromConfig(conf);
      Daemon d = Daemon.start(conf, fleet, runtime, sims.stream().map(OllamaSimulator.Running::url).toList());
      open.add(() -> {
        try {
          d.close();
        } catch (Exception e) {
          throw new java.io.IOException(e);
        }
      });
      int gw = d.gatewayPort();
      System.err.println("bench seed: run " + run + ": agent front http://127.0.0.1:" + gw + "/agents/<agent>/, router "
          + "http://127.0.0.1:" + inferencePort + ", management http://127.0.0.1:" + d.managementPort());
      Function<String, String> url = agent -> "http://127.0.0.1:" + gw + "/agents/" + agent + "/cgi-bin/task";
      return obs.measure(run, "under the supervisor (sutazai run in this process): pool quota (max-active "
          + fleet.pools().get("default").maxActive() + (maxActive != null ? " by --max-active" : "") + ", budgets from the host model), on-demand activation through the "
          + "agent front, the fleet's probes, restart backoff, right-sizing (a sample each "
          + RIGHT_SIZING_SAMPLE.toSeconds() + " s, limits after " + RIGHT_SIZING_MIN_SAMPLES + ", counted in the quota); " + workers + " Ollama worker" + (workers > 1 ? "s" : "")
          + " behind the router; tasks through the agent front", work, url, each, agents.agents.size());
    } finally {
      cleanup();
    }
  }

  /** Closes what is open (supervisor, simulators), removes the runs' containers, then their cgroups. Idempotent. */
  private synchronized void cleanup() {
    List<Closeable> toClose;
    synchronized (open) {
      toClose = new ArrayList<>(open);
      open.clear();
    }
    Collections.reverse(toClose);
    for (Closeable c : toClose) {
      try {
        c.close();
      } catch (Exception e) {
        System.err.println("bench seed: cleanup: " + e.getMessage());
      }
    }
    synchronized (groups) {
      groups.forEach(HostModel::release);
    }
    if (client != null) {
      for (String f : List.copyOf(fleets)) {
        removeContainers(f);
      }
    }
    synchronized (groups) {
      groups.forEach(HostModel::close);
      groups.clear();
    }
  }

  /**
   * Removes the fleet's containers until the engine lists none and the run's group holds no container's group,
   * for up to {@link #CLEANUP_LIMIT}: a container the supervisor was creating when it was closed (a Docker call
   * already under way is not interrupted) appears after the first removal, and is removed in a later round.
   */
  private void removeContainers(String fleet) {
    HostModel group;
    synchronized (groups) {
      group = groups.stream().filter(g -> g.name.equals(fleet)).findFirst().orElse(null);
    }
    long until = System.nanoTime() + CLEANUP_LIMIT.toNanos();
    int round = 0;
    while (true) {
      round++;
      boolean listed = false;
      try {
        List<Container> left = client.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("sutazai.fleet", fleet))
            .exec();
        for (Container c : left) {
          client.removeContainerCmd(c.getId()).withForce(true).exec();
        }
        listed = left.isEmpty();
      } catch (RuntimeException e) {
        System.err.println("bench seed: cleanup of containers of " + fleet + " (round " + round + "): " + e.getMessage());
      }
      if (listed && (group == null || !group.holdsContainers())) {
        return;
      }
      if (System.nanoTime() > until) {
        System.err.println("bench seed: containers of " + fleet + " still there after " + CLEANUP_LIMIT.toSeconds()
            + " s of cleanup; remove them with docker rm -f $(docker ps -aq --filter label=sutazai.fleet=" + fleet + ")");
        return;
      }
      try {
        Thread.sleep(CLEANUP_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
