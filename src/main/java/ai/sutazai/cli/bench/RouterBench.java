package ai.sutazai.cli.bench;

import ai.sutazai.common.UserError;
import ai.sutazai.common.Settings;
import ai.sutazai.inference.AgentGateway;
import ai.sutazai.inference.InferenceModule;
import ai.sutazai.inference.InferenceSettings;
import ai.sutazai.inference.WorkerConfig;
import ai.sutazai.inference.sim.OllamaSimulator;
import ai.sutazai.inference.sim.SimConfig;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sutazai bench router}: starts Ollama simulators (not real inference) and the router on loopback
 * and prints what it measures.
 * <ul>
 *   <li>{@code overhead}: the same requests through the router and straight to one simulator, closed loop
 *       at {@code --concurrency} (throughput) and open loop at {@code --rate} (latency and the router's
 *       overhead as difference and ratio). The simulators answer at once, so the latency is transport.</li>
 *   <li>{@code model-swap}: 3 simulators, 6 models, 2 s load, at most 2 loaded per simulator, random models;
 *       this router's routing against plain round-robin, fresh simulators for each.</li>
 * </ul>
 */
@Command(name = "router", mixinStandardHelpOptions = true,
    description = "Benchmark the inference router against Ollama simulators on loopback (prints figures).")
public final class RouterBench implements Callable<Integer> {
  @Option(names = "--workers", defaultValue = "3", description = "Simulators behind the router (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--concurrency", defaultValue = "64", description = "Requests in flight in the closed loop (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--requests", defaultValue = "20000", description = "Requests per measured run (default: ${DEFAULT-VALUE}).")
  int requests;

  @Option(names = "--stream", description = "Ask for streamed (NDJSON) answers instead of single JSON objects.")
  boolean stream;

  @Option(names = "--scenario", defaultValue = "overhead", description = "overhead or model-swap (default: ${DEFAULT-VALUE}).")
  String scenario;

  @Option(names = "--rate", defaultValue = "1000", description = "Requests per second of the open-loop latency run (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--max-seconds", defaultValue = "60", description = "Upper bound on each measured run, seconds (default: ${DEFAULT-VALUE}).")
  int maxSeconds;

  /** Runs the benchmark without the rest of the CLI: {@code java -cp ... ai.sutazai.cli.bench.RouterBench --help}. */
  public static void main(String[] args) {
    System.exit(new picocli.CommandLine(new RouterBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (workers < 1 || workers > 16 || concurrency < 1 || concurrency > 4096 || requests < 1 || rate < 1
        || maxSeconds < 1) {
      throw new UserError("bench router: --workers 1..16, --concurrency 1..4096, --requests, --rate and "
          + "--max-seconds at least 1");
    }
    if (!scenario.equals("overhead") && !scenario.equals("model-swap")) {
      throw new UserError("bench router: --scenario must be overhead or model-swap, got '" + scenario + "'");
    }
    // -Dakka...=... on the java command line override these (to try dispatcher or pool settings).
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "router-bench", ConfigFactory.systemProperties()
        .withFallback(ConfigFactory.parseString(
            "akka.actor.provider = local\nakka.loglevel = WARNING\n"
                + "akka.scheduler.tick-duration = 1ms\n"
                // As many dispatcher threads as cores (Akka's default is at least 8): fewer thread hand-offs per
                // request. In an A/B at 200 req/s on this shared 2-core machine (two runs each): overhead p50
                // 0.50-0.52 ms instead of 0.82-1.20 ms.
                + "akka.actor.default-dispatcher.fork-join-executor.parallelism-max = "
                + Math.max(2, Runtime.getRuntime().availableProcessors()) + "\n"
                + "akka.http.server.max-connections = 4096\nakka.http.server.backlog = 1024\n"))
        .withFallback(ConfigFactory.defaultReference()));
    try {
      System.out.println("SIMULATED workers (Ollama simulator, not real inference); everything on 127.0.0.1, "
          + Runtime.getRuntime().availableProcessors() + " cores.");
      if (scenario.equals("overhead")) {
        overhead(system);
      } else {
        modelSwap(system);
      }
      return 0;
    } finally {
      try {
        akka.http.javadsl.Http.get(system).shutdownAllConnectionPools().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        System.err.println("connection pools did not close in 10 s");
      }
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  private void overhead(ActorSystem<Void> system) throws Exception {
    List<OllamaSimulator.Running> sims = new ArrayList<>();
    List<WorkerConfig> configs = new ArrayList<>();
    int slots = Math.max(64, concurrency * 2);
    for (int i = 0; i < workers; i++) {
      OllamaSimulator.Running sim = OllamaSimulator.start(system, SimConfig.defaults().withModels("bench")
          .withNumParallel(slots).withLoadTime(Duration.ZERO).withTokensPerSecond(0).withResponseTokens(4));
      sims.add(sim);
      configs.add(new WorkerConfig("sim" + i, sim.url(), slots));
    }
    InferenceModule.Handle router = startRouter(system, configs, "least-cost", "overhead");
    String body = "{\"model\":\"bench\",\"prompt\":\"hi\",\"stream\":" + stream + "}";
    String viaRouter = "http://127.0.0.1:" + router.port() + "/api/generate";
    String direct = sims.get(0).url() + "/api/generate";
    LoadGenerator gen = new LoadGenerator(system, concurrency);
    Duration max = Duration.ofSeconds(maxSeconds);
    System.out.printf(Locale.ROOT, "scenario overhead: %d workers, model bench, stream=%s, %d requests per run%n",
        workers, stream, requests);
    int warm = Math.min(requests, 5000);
    gen.closedLoop("warm-up", direct, concurrency, warm, max, i -> body, max);
    gen.closedLoop("warm-up", viaRouter, concurrency, warm, max, i -> body, max);

    System.out.printf(Locale.ROOT, "%nclosed loop, %d in flight (max throughput; CPU = this JVM's CPU time per"
        + " answered request: client, router and simulators together):%n", concurrency);
    long c0 = cpuNanos();
    LoadGenerator.Result d1 = gen.closedLoop("direct", direct, concurrency, requests, max, i -> body, max);
    long c1 = cpuNanos();
    LoadGenerator.Result r1 = gen.closedLoop("router", viaRouter, concurrency, requests, max, i -> body, max);
    long c2 = cpuNanos();
    double cpuDirect = (c1 - c0) / 1e3 / Math.max(1, d1.ok());
    double cpuRouter = (c2 - c1) / 1e3 / Math.max(1, r1.ok());
    print(d1);
    System.out.printf(Locale.ROOT, "              CPU %6.0f us per request%n", cpuDirect);
    print(r1);
    System.out.printf(Locale.ROOT, "              CPU %6.0f us per request (the router's own share: %.0f us)%n",
        cpuRouter, cpuRouter - cpuDirect);
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf(Locale.ROOT, "  CPU bound on %d cores with everything in this JVM: direct <= %.0f req/s, through"
        + " the router <= %.0f req/s; a router alone on %d cores <= %.0f req/s%n", cores, cores * 1e6 / cpuDirect,
        cores * 1e6 / cpuRouter, cores, cores * 1e6 / Math.max(1, cpuRouter - cpuDirect));

    double sustained = Math.min(d1.perSecond(), r1.perSecond());
    int openRequests = Math.min(requests, rate * Math.min(maxSeconds, 10));
    System.out.printf(Locale.ROOT, "%nopen loop, %d req/s to the router and %d req/s straight to a simulator, interleaved"
        + " (both see the same machine), %d requests each, latency from the scheduled send time:%n", rate, rate,
        openRequests);
    if (sustained < rate * 2) {
      System.out.printf(Locale.ROOT, "  note: the closed loop sustained %.0f req/s, less than the %d req/s this run offers in"
          + " total, so its latencies include queueing on this machine, not only the router's overhead%n", sustained,
          rate * 2);
    }
    LoadGenerator.Result[] open = gen.openLoop(new String[] {"direct", "router"}, new String[] {direct, viaRouter},
        rate, openRequests, i -> body);
    LoadGenerator.Result d2 = open[0];
    LoadGenerator.Result r2 = open[1];
    print(d2);
    print(r2);
    System.out.printf(Locale.ROOT, "  overhead  p50 %+.3f ms (x%.2f)   p99 %+.3f ms (x%.2f)   p99.9 %+.3f ms (x%.2f)%n",
        r2.pMillis(0.5) - d2.pMillis(0.5), r2.pMillis(0.5) / d2.pMillis(0.5),
        r2.pMillis(0.99) - d2.pMillis(0.99), r2.pMillis(0.99) / d2.pMillis(0.99),
        r2.pMillis(0.999) - d2.pMillis(0.999), r2.pMillis(0.999) / d2.pMillis(0.999));
    System.out.printf(Locale.ROOT, "%ntargets: overhead p50 <= 0.5 ms at %d req/s: %s; overhead p99 <= 2 ms: %s; "
            + ">= 5000 req/s through the router: %s%n", rate,
        verdict(r2.pMillis(0.5) - d2.pMillis(0.5) <= 0.5), verdict(r2.pMillis(0.99) - d2.pMillis(0.99) <= 2.0),
        verdict(r1.perSecond() >= 5000));
    double[] load = loadAverage();
    if (load.length > 0) {
      System.out.printf(Locale.ROOT, "load average at the end: %.2f %.2f %.2f (other processes share these %d cores)%n",
          load[0], load[1], load[2], cores);
    }
    stop(router, sims);
  }

  /** Best effort: a slow shutdown on a loaded machine is not a benchmark failure. */
  private static void stop(InferenceModule.Handle router, List<OllamaSimulator.Running> sims) {
    try {
      router.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("router did not stop in 30 s: " + e);
    }
    sims.forEach(OllamaSimulator.Running::close);
  }

  private void modelSwap(ActorSystem<Void> system) throws Exception {
    int n = 3;
    List<String> models = List.of("m1", "m2", "m3", "m4", "m5", "m6");
    Duration load = Duration.ofSeconds(2);
    System.out.printf(Locale.ROOT, "scenario model-swap: %d workers, %d models, load %d ms, max 2 loaded per worker, "
            + "%d in flight, up to %d requests or %d s per policy, stream=%s%n",
        n, models.size(), load.toMillis(), concurrency, requests, maxSeconds, stream);
    System.out.println("A request counts as having waited for a model load when the worker's load_duration (its wait"
        + " for a slot, loads included) was >= half the load time; the share that took that long end to end,"
        + " router queueing included, is shown too.");
    Map<String, LoadGenerator.Result> results = new HashMap<>();
    Map<String, Long> loads = new HashMap<>();
    for (String policy : List.of("round-robin", "least-cost")) {
      List<OllamaSimulator.Running> sims = new ArrayList<>();
      List<WorkerConfig> configs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        OllamaSimulator.Running sim = OllamaSimulator.start(system, SimConfig.defaults().withModels(models)
            .withNumParallel(4).withMaxLoadedModels(2).withLoadTime(load).withTokensPerSecond(1000)
            .withResponseTokens(8));
        sims.add(sim);
        configs.add(new WorkerConfig("sim" + i, sim.url(), 4));
      }
      InferenceModule.Handle router = startRouter(system, configs, policy, "swap-" + policy);
      String url = "http://127.0.0.1:" + router.port() + "/api/generate";
      java.util.Random random = new java.util.Random(42);
      String[] bodies = new String[requests];
      for (int i = 0; i < requests; i++) {
        bodies[i] = "{\"model\":\"" + models.get(random.nextInt(models.size())) + "\",\"prompt\":\"hi\",\"stream\":"
            + stream + "}";
      }
      LoadGenerator gen = new LoadGenerator(system, concurrency);
      LoadGenerator.Result r = gen.closedLoop(policy, url, concurrency, requests, Duration.ofSeconds(maxSeconds),
          i -> bodies[i], load.dividedBy(2));
      results.put(policy, r);
      loads.put(policy, sims.stream().mapToLong(OllamaSimulator.Running::loadCount).sum());
      print(r);
      System.out.printf(Locale.ROOT, "      model loads on the simulators: %d; waited for a load: %.1f %% of answered;"
              + " took >= %d ms end to end: %.1f %%%n",
          loads.get(policy), 100.0 * r.loadWaited() / Math.max(1, r.ok()), load.toMillis() / 2,
          100.0 * r.waitedLong() / Math.max(1, r.ok()));
      stop(router, sims);
    }
    LoadGenerator.Result rr = results.get("round-robin");
    LoadGenerator.Result lc = results.get("least-cost");
    double ratio = lc.perSecond() / rr.perSecond();
    double noLoad = 100.0 * (lc.ok() - lc.loadWaited()) / Math.max(1, lc.ok());
    System.out.printf(Locale.ROOT, "%nleast-cost vs round-robin: throughput x%.1f; served without a load: %.1f %% vs %.1f %%%n",
        ratio, noLoad, 100.0 * (rr.ok() - rr.loadWaited()) / Math.max(1, rr.ok()));
    System.out.printf(Locale.ROOT, "targets: throughput >= 3x round-robin: %s; >= 90 %% served without a load: %s%n",
        verdict(ratio >= 3), verdict(noLoad >= 90));
  }

  private static InferenceModule.Handle startRouter(ActorSystem<Void> system, List<WorkerConfig> workers,
      String policy, String name) throws Exception {
    Map<String, Object> o = new HashMap<>();
    o.put("sutazai.inference.port", 0);
    o.put("sutazai.inference.routing-policy", policy);
    o.put("sutazai.inference.models-interval", "1s");
    o.put("sutazai.inference.max-queue", 100_000);
    InferenceSettings settings = InferenceSettings.from(Settings.load(null, Settings.of(o)));
    InferenceModule.Handle h = InferenceModule.start(system, settings, AgentGateway.ADMIT_ALL, "router-" + name)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    for (WorkerConfig w : workers) {
      h.addWorker(w).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < until && h.workers().toCompletableFuture().get(5, TimeUnit.SECONDS).workers().stream()
        .anyMatch(w -> w.installed().isEmpty())) {
      Thread.sleep(20);
    }
    return h;
  }

  private static void print(LoadGenerator.Result r) {
    System.out.printf(Locale.ROOT, "  %-11s %7d ok %5d failed %9.0f req/s   p50 %8.3f ms   p99 %8.3f ms   p99.9 %8.3f ms%n",
        r.label(), r.ok(), r.failed(), r.perSecond(), r.pMillis(0.5), r.pMillis(0.99), r.pMillis(0.999));
  }

  /** This JVM's CPU time in nanoseconds (all threads), or 0 where the platform does not say. */
  private static long cpuNanos() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  /** The 1, 5 and 15 minute load averages from /proc/loadavg, or none. */
  private static double[] loadAverage() {
    try {
      String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split("\\s+");
      return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
    } catch (java.io.IOException | RuntimeException e) {
      return new double[0];
    }
  }

  private static String verdict(boolean ok) {
    return ok ? "met" : "NOT met";
  }
}
