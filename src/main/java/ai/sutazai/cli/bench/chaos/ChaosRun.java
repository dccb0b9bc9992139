package ai.sutazai.cli.bench.chaos;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One chaos run: a private Docker engine and PostgreSQL, the supervisor as a child process over a fleet of
 * busybox agents (http probes, dependencies, some on demand), faults at seeded random times, and the
 * {@link Observer}'s figures. Everything it starts is stopped and removed by {@link #close} (also from a
 * shutdown hook when the bench is interrupted).
 */
public final class ChaosRun implements AutoCloseable {
  /** What to run: fleet size, length, seed, fault kinds, SIGKILL rate (share of the agents per minute). */
  public record Parameters(int agents, Duration duration, long seed, Set<String> faults, double killRatePerMinute,
      Path logDir) {}

  /** Figures of one fault kind. */
  public record KindFigures(int injected, double healP50Ms, double healP99Ms, int restarts, int notHealed) {}

  /** The figures of a run. */
  public record Result(Parameters parameters, double agentTimeHealthy, double engineOutageShare, Map<String, KindFigures> faults, int unhitRestarts,
      int duplicateContainers, int lostActivations, int unrelatedTouched, int acknowledgedActivations,
      int oomKillsSeen, int supervisorStarts, int supervisorExits, List<String> unhitDetail, List<String> notHealthyAtEnd,
      String unrelatedDetail, double measuredSeconds) {
    /** Every must-be-0 figure is 0. */
    public boolean clean() {
      return unhitRestarts == 0 && duplicateContainers == 0 && lostActivations == 0 && unrelatedTouched == 0;
    }
  }

  /** The fault kinds, in the order they are reported. */
  public static final List<String> KINDS = Fault.KINDS;

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration HOG_LENGTH = Duration.ofSeconds(30);
  private static final Duration DB_DOWN = Duration.ofSeconds(30);
  private static final long GRACE_MILLIS = 10_000;

  private final Parameters p;
  private final PrintStream log;
  private final Path dir;
  private final Random random;
  private final String fleet = "chaos-" + UUID.randomUUID().toString().substring(0, 6);
  private final String token = UUID.randomUUID().toString().replace("-", "");
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final List<Process> hogs = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Deque<String> victims = new ArrayDeque<>();
  private final Thread hook = new Thread(this::closeQuietly, "sutazai-chaos-cleanup");
  private PrivateEngine engine;
  private PrivatePostgres postgres;
  private SupervisorProcess supervisor;
  private Observer observer;
  private List<Observer.Agent> agents;
  private int managementPort;
  private volatile String unrelatedId;
  private volatile String unrelatedStartedAt;
  private boolean closed;

  public ChaosRun(Parameters p, PrintStream log) throws IOException {
    this.p = p;
    this.log = log;
    this.random = new Random(p.seed());
    // Short, under /tmp: the engine's unix socket path must stay below 108 bytes.
    this.dir = Files.createTempDirectory(Path.of("/tmp"), "sutazai-chaos-");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // postgres must enter it
    Runtime.getRuntime().addShutdownHook(hook);
  }

  private void say(String what) {
    log.printf(Locale.ROOT, "chaos: %s%n", what);
    log.flush();
  }

  /** Sets up, runs the faults for the duration, waits for the fleet to settle, and measures. */
  public Result run() throws Exception {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new ai.sutazai.common.UserError("bench chaos needs root: it starts its own dockerd and PostgreSQL (as user postgres)");
    }
    say("temp dir " + dir + " (private Docker engine, PostgreSQL, supervisor data, logs)");
    engine = new PrivateEngine(dir.resolve("docker"));
    opened.add(engine);
    engine.start();
    engine.importBusybox();
    say("private Docker engine up at " + engine.host() + ", busybox image imported");
    postgres = new PrivatePostgres(dir.resolve("pg"), freePort());
    opened.add(postgres);
    postgres.init();
    say("private PostgreSQL up on 127.0.0.1:" + postgres.port());

    agents = fleetAgents();
    Path fleetFile = dir.resolve("fleet.conf");
    Files.writeString(fleetFile, fleetSpec());
    managementPort = freePort();
    Path conf = dir.resolve("supervisor.conf");
    Files.writeString(conf, "sutazai.data-dir = \"" + dir.resolve("supervisor-data") + "\"\n"
        + "sutazai.management.port = " + managementPort + "\n"
        + "sutazai.inference.enabled = false\nsutazai.gateway.enabled = false\n"
        + "akka.management.http.port = 0\nakka.remote.artery.canonical.port = 0\n"
        + "sutazai.persistence.db = postgres\n"
        + "sutazai.persistence.postgres.url = \"" + postgres.url() + "\"\n"
        + "sutazai.persistence.postgres.user = sutazai\nsutazai.persistence.postgres.password = sutazai\n"
        + "sutazai.docker.host = \"" + engine.host() + "\"\n");
    startUnrelated();

    observer = new Observer(engine.client(), fleet, agents, PROBE_TIMEOUT);
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sutazai-chaos-observer"));
    ScheduledExecutorService injector = Executors.newScheduledThreadPool(4, r -> daemon(r, "sutazai-chaos-fault"));
    opened.add(() -> {
      injector.shutdownNow();
      sampler.shutdownNow();
    });
    sampler.scheduleWithFixedDelay(this::sampleQuietly, 0, 1, TimeUnit.SECONDS);

    supervisor = new SupervisorProcess(dir, conf, fleetFile, engine.host(), token);
    opened.add(supervisor); // closed in reverse order: the supervisor first
    supervisor.start();
    sampler.scheduleWithFixedDelay(this::serviceManager, 5, 5, TimeUnit.SECONDS);
    Set<String> always = new HashSet<>(observer.wanted());
    say("supervisor started (fleet " + fleet + ": " + agents.size() + " agents, " + always.size()
        + " always on); waiting for them to be healthy");
    if (!await(Duration.ofMinutes(5), () -> observer.healthy().containsAll(always))) {
      throw new IllegalStateException("the fleet did not become healthy within 5 minutes; see " + dir.resolve("supervisor.log"));
    }
    long t0 = System.currentTimeMillis();
    observer.startMeasuring();
    say("fleet healthy; faults for " + p.duration().toSeconds() + " s (seed " + p.seed() + ")");
    schedule(injector, t0);
    sleepUntil(t0 + p.duration().toMillis());
    injector.shutdown();
    if (!injector.awaitTermination(2, TimeUnit.MINUTES)) {
      injector.shutdownNow();
    }
    stopHogs();
    observer.stopMeasuring();
    double measured = (System.currentTimeMillis() - t0) / 1000.0;

    // Settle: every always-on agent and every acknowledged activation should end healthy.
    Set<String> shouldRun = new HashSet<>(always);
    shouldRun.addAll(acknowledged);
    say("faults over; waiting (at most 2 min) for every wanted agent to be healthy");
    await(Duration.ofMinutes(2), () -> observer.healthy().containsAll(shouldRun)
        && observer.faults.stream().allMatch(f -> f.healedMillis >= 0));
    Set<String> healthyAtEnd = observer.healthy();
    sampler.shutdown();
    sampler.awaitTermination(30, TimeUnit.SECONDS);
    return result(measured, shouldRun, healthyAtEnd);
  }

  // ---- the fleet ---------------------------------------------------------------------------------------

  /** A tenth are shared services (always), a fifth on demand, the rest workers; all but services depend on one. */
  private List<Observer.Agent> fleetAgents() throws IOException {
    int services = Math.max(1, p.agents() / 10);
    int onDemand = Math.max(1, p.agents() / 5);
    List<Observer.Agent> list = new ArrayList<>();
    for (int i = 0; i < p.agents(); i++) {
      String name = i < services ? "svc-" + i : i < services + onDemand ? "ond-" + (i - services) : "wrk-" + (i - services - onDemand);
      list.add(new Observer.Agent(name, freePort(), name.startsWith("ond-")));
    }
    return List.copyOf(list);
  }

  private String fleetSpec() {
    int services = Math.max(1, p.agents() / 10);
    StringBuilder s = new StringBuilder("sutazai.fleet {\n  name = \"" + fleet + "\"\n  pools { default { max-active = "
        + (p.agents() + 5) + " } }\n  agents {\n");
    int i = 0;
    for (Observer.Agent a : agents) {
      boolean service = a.name().startsWith("svc-");
      // httpd answers the probes; SIGUSR1 makes the shell (PID 1) double a string until the cgroup's OOM killer
      // ends it, which is how the bench makes an agent exceed its memory limit.
      s.append("    ").append(a.name()).append(" {\n")
          .append("      image = \"").append(PrivateEngine.IMAGE).append("\"\n")
          .append("      command = [\"sh\", \"-c\", \"trap 'a=x; while :; do a=$a$a; done' USR1; httpd -p 127.0.0.1:")
          .append(a.port()).append(" -h /www; while :; do sleep 1 & wait $!; done\"]\n")
          .append("      memory = 16MiB, memory-limit = 32MiB, cpus = 0.05, priority = ").append(service ? 90 : 50).append("\n")
          .append("      activation = ").append(a.onDemand() ? "on-demand, idle-timeout = 1h" : "always").append("\n");
      if (!service) {
        s.append("      depends-on = [\"svc-").append(i % services).append("\"]\n");
      }
      s.append("      health { kind = http, port = ").append(a.port())
          .append(", path = \"/health\", interval = 2s, timeout = 1s, retries = 3, start-period = 10s }\n    }\n");
      i++;
    }
    return s.append("  }\n}\n").toString();
  }

  /** A container the supervisor has no business with (no labels): it must stay exactly as the bench left it. */
  private void startUnrelated() {
    DockerClient d = engine.client();
    unrelatedId = d.createContainerCmd(PrivateEngine.IMAGE).withName(fleet + "-unrelated").withCmd("sleep", "100000000")
        .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none").withMemory(16L << 20)).exec().getId();
    startUnrelatedAgain();
  }

  private void startUnrelatedAgain() {
    engine.client().startContainerCmd(unrelatedId).exec();
    unrelatedStartedAt = engine.client().inspectContainerCmd(unrelatedId).exec().getState().getStartedAt();
  }

  /** Touched: gone, replaced, stopped or started by someone else, exec'd into, relabelled or resized. */
  private String unrelatedVerdict() {
    try {
      InspectContainerResponse c = engine.client().inspectContainerCmd(unrelatedId).exec();
      List<String> why = new ArrayList<>();
      if (!Boolean.TRUE.equals(c.getState().getRunning())) {
        why.add("not running");
      }
      if (!unrelatedStartedAt.equals(c.getState().getStartedAt())) {
        why.add("started by someone else at " + c.getState().getStartedAt());
      }
      if (c.getExecIds() != null && !c.getExecIds().isEmpty()) {
        why.add("exec'd into");
      }
      if (c.getConfig().getLabels() != null && !c.getConfig().getLabels().isEmpty()) {
        why.add("labelled " + c.getConfig().getLabels());
      }
      if (c.getHostConfig().getMemory() == null || c.getHostConfig().getMemory() != 16L << 20) {
        why.add("memory limit changed to " + c.getHostConfig().getMemory());
      }
      return String.join(", ", why);
    } catch (RuntimeException e) {
      return "gone: " + e.getMessage();
    }
  }

  // ---- faults ------------------------------------------------------------------------------------------

  private void schedule(ScheduledExecutorService injector, long t0) {
    long d = p.duration().toMillis();
    long first = Math.min(20_000, d / 8);
    long last = Math.max(first + 1000, d - Math.min(40_000, d / 4));
    int minutes = (int) Math.max(1, Math.round(d / 60_000.0));
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put("kill", (int) Math.max(1, Math.round(p.killRatePerMinute() * p.agents() * d / 60_000.0)));
    counts.put("oom", Math.max(2, minutes / 2));
    counts.put("cpu-hog", Math.max(1, minutes / 5));
    counts.put("engine-restart", 1);
    counts.put("db-restart", 1);
    counts.put("supervisor-kill", Math.max(2, (minutes * 3 + 9) / 10));
    // The engine, database and supervisor faults each get a quiet moment of their own (30 s apart, when room).
    List<Long> globals = new ArrayList<>();
    List<String> ondemand = new ArrayList<>(agents.stream().filter(Observer.Agent::onDemand).map(Observer.Agent::name).toList());
    Collections.shuffle(ondemand, random);
    Deque<String> toActivate = new ArrayDeque<>(ondemand);
    for (var e : counts.entrySet()) {
      String kind = e.getKey();
      if (!p.faults().contains(kind)) {
        continue;
      }
      for (int i = 0; i < e.getValue(); i++) {
        long at = first + (long) (random.nextDouble() * (last - first));
        if (kind.equals("engine-restart") || kind.equals("db-restart") || kind.equals("supervisor-kill")) {
          for (int tries = 0; tries < 200 && tooClose(globals, at, kind.equals("db-restart") ? 45_000 : 30_000); tries++) {
            at = first + (long) (random.nextDouble() * (last - first));
          }
          globals.add(at);
        }
        long delay = Math.max(0, t0 + at - System.currentTimeMillis());
        String activate = kind.equals("supervisor-kill") ? toActivate.pollFirst() : null;
        long pauseMillis = 1000 + random.nextInt(2000);
        injector.schedule(() -> inject(kind, activate, pauseMillis), delay, TimeUnit.MILLISECONDS);
      }
    }
    // The other on-demand agents are activated at random moments.
    for (String a : toActivate) {
      long at = first + (long) (random.nextDouble() * (last - first));
      injector.schedule(() -> activate(a), Math.max(0, t0 + at - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
    }
    say("scheduled: " + counts.entrySet().stream().filter(e -> p.faults().contains(e.getKey()))
        .map(e -> e.getValue() + " " + e.getKey()).toList() + ", " + ondemand.size() + " activations");
  }

  private static boolean tooClose(List<Long> taken, long at, long gap) {
    return taken.stream().anyMatch(t -> Math.abs(t - at) < gap);
  }

  private void inject(String kind, String activate, long pauseMillis) {
    try {
      switch (kind) {
        case "kill" -> signal("kill", "SIGKILL");
        case "oom" -> signal("oom", "SIGUSR1");
        case "cpu-hog" -> cpuHog();
        case "engine-restart" -> restartEngine();
        case "db-restart" -> restartDatabase();
        case "supervisor-kill" -> killSupervisor(activate, pauseMillis);
        default -> throw new IllegalArgumentException(kind);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      say(kind + " not injected: " + e.getMessage());
    }
  }

  /** The next victim from a seeded shuffled deck of the agents running now (each hit once per round). */
  private synchronized String victim() {
    Set<String> up = observer.healthy();
    for (int i = 0; i < 2; i++) {
      if (victims.isEmpty()) {
        List<String> deck = new ArrayList<>(agents.stream().map(Observer.Agent::name).toList());
        Collections.shuffle(deck, random);
        victims.addAll(deck);
      }
      for (var it = victims.iterator(); it.hasNext(); ) {
        String a = it.next();
        if (up.contains(a) && observer.wanted().contains(a)) {
          it.remove();
          return a;
        }
      }
      victims.clear();
    }
    return null;
  }

  private void signal(String kind, String signal) {
    String agent = victim();
    if (agent == null) {
      say(kind + " skipped: no agent healthy to hit");
      return;
    }
    List<Container> cs = engine.client().listContainersCmd().withLabelFilter(Map.of("sutazai.fleet", fleet,
        "sutazai.agent", agent)).exec();
    if (cs.isEmpty()) {
      say(kind + " skipped: " + agent + " has no running container");
      return;
    }
    Fault f = new Fault(kind, System.currentTimeMillis(), Set.of(agent));
    engine.client().killContainerCmd(cs.get(0).getId()).withSignal(signal).exec();
    f.endMillis = System.currentTimeMillis();
    observer.faults.add(f);
  }

  /** As many busy loops as cores, beside the agents, for 30 s: probes get slow, agents must not be restarted. */
  private void cpuHog() throws Exception {
    Fault f = new Fault("cpu-hog", System.currentTimeMillis(), Set.of());
    observer.faults.add(f);
    for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
      hogs.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
    }
    Thread.sleep(HOG_LENGTH.toMillis());
    stopHogs();
    f.endMillis = System.currentTimeMillis();
  }

  private void stopHogs() {
    for (Process h : hogs) {
      h.destroyForcibly();
    }
    hogs.clear();
  }

  /** dockerd stopped (SIGTERM: it stops the containers, as there is no live-restore) and started again. */
  private void restartEngine() throws Exception {
    Fault f = new Fault("engine-restart", System.currentTimeMillis(), Set.of());
    observer.faults.add(f);
    engine.stop();
    engine.start();
    startUnrelatedAgain(); // the bench's own container, stopped by the engine's restart, started by the bench
    f.endMillis = System.currentTimeMillis();
    say("engine restarted in " + (f.endMillis - f.atMillis) + " ms");
  }

  private void restartDatabase() throws Exception {
    Fault f = new Fault("db-restart", System.currentTimeMillis(), Set.of());
    observer.faults.add(f);
    postgres.stop();
    Thread.sleep(DB_DOWN.toMillis());
    postgres.start();
    f.endMillis = System.currentTimeMillis();
    say("database down for " + (f.endMillis - f.atMillis) + " ms");
  }

  /** An activation acknowledged just before, then kill -9, a pause, and a new supervisor on the same journal. */
  private void killSupervisor(String activate, long pauseMillis) throws Exception {
    if (activate != null) {
      activate(activate);
    }
    Fault f = new Fault("supervisor-kill", System.currentTimeMillis(), Set.of());
    observer.faults.add(f);
    supervisor.kill9();
    Thread.sleep(pauseMillis);
    supervisor.start();
    f.endMillis = System.currentTimeMillis();
  }

  /** POST .../activate until acknowledged (202), for up to 2 minutes (the supervisor may be down). */
  private void activate(String agent) {
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline && !Thread.currentThread().isInterrupted()) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                + "/api/v1/agents/" + agent + "/activate")).header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 202 || r.statusCode() == 200) {
          acknowledged.add(agent);
          observer.activated(agent);
          return;
        }
      } catch (IOException e) {
        // the supervisor is down or starting: try again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        Thread.sleep(1000); // retrying a supervisor that is not up yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    say("activation of " + agent + " never acknowledged");
  }

  // ---- figures -----------------------------------------------------------------------------------------

  private Result result(double measured, Set<String> shouldRun, Set<String> healthyAtEnd) {
    Map<String, List<Long>> heals = new LinkedHashMap<>();
    Map<String, int[]> counts = new LinkedHashMap<>();
    for (String k : Fault.KINDS) {
      heals.put(k, new ArrayList<>());
      counts.put(k, new int[3]); // injected, restarts, not healed
    }
    for (Fault f : observer.faults) {
      counts.get(f.kind)[0]++;
      if (f.healedMillis >= 0) {
        heals.get(f.kind).add(Math.max(0, f.healedMillis - f.atMillis));
      } else {
        counts.get(f.kind)[2]++;
      }
    }
    int unhit = 0;
    List<String> unhitDetail = new ArrayList<>();
    for (Observer.Restart r : observer.restarts) {
      // A kill or OOM of this very agent explains its restart first; the engine's restart (all agents) next.
      Fault cause = observer.faults.stream().filter(f -> f.explainsRestartOf(r.agent(), r.atMillis(), GRACE_MILLIS))
          .min(java.util.Comparator.comparing((Fault f) -> f.hit.contains(r.agent()) ? 0 : 1)
              .thenComparing(f -> -f.atMillis)).orElse(null);
      if (cause != null) {
        counts.get(cause.kind)[1]++;
        continue;
      }
      unhit++;
      List<String> during = observer.faults.stream().filter(f -> f.window(r.atMillis(), GRACE_MILLIS)).map(f -> f.kind)
          .distinct().toList();
      during.forEach(k -> counts.get(k)[1]++);
      unhitDetail.add(r.agent() + " at +" + (r.atMillis() - startOf()) / 1000 + " s" + (during.isEmpty() ? "" : " during " + during));
    }
    Map<String, KindFigures> faults = new LinkedHashMap<>();
    for (String k : Fault.KINDS) {
      if (!p.faults().contains(k)) {
        continue;
      }
      long[] h = heals.get(k).stream().mapToLong(Long::longValue).sorted().toArray();
      int[] c = counts.get(k);
      faults.put(k, new KindFigures(c[0], pct(h, 50), pct(h, 99), c[1], c[2]));
    }
    List<String> notHealthy = shouldRun.stream().filter(a -> !healthyAtEnd.contains(a)).sorted().toList();
    int lost = (int) acknowledged.stream().filter(a -> !healthyAtEnd.contains(a)).count();
    String verdict = unrelatedVerdict();
    return new Result(p, observer.agentTimeHealthy(), observer.engineOutageShare(), faults, unhit, observer.duplicateContainers(), lost,
        verdict.isEmpty() ? 0 : 1, acknowledged.size(), observer.oomKillsSeen, supervisor.starts, supervisor.exits, unhitDetail, notHealthy,
        verdict, measured);
  }

  private long startOf() {
    return observer.faults.stream().mapToLong(f -> f.atMillis).min().orElse(System.currentTimeMillis());
  }

  private static double pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(q / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  // ---- helpers -----------------------------------------------------------------------------------------

  private void sampleQuietly() {
    try {
      observer.sample();
    } catch (RuntimeException e) {
      say("observer: " + e);
    }
  }

  private void serviceManager() {
    try {
      Integer status = supervisor.restartIfExited();
      if (status != null) {
        say("the supervisor exited by itself (status " + status + "); started again, as a service manager would");
      }
    } catch (IOException e) {
      say("cannot start the supervisor again: " + e.getMessage());
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Polls a condition the bench observes from outside (the engine, the probes), every 500 ms. */
  private static boolean await(Duration max, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (done.getAsBoolean()) {
        return true;
      }
      Thread.sleep(500);
    }
    return done.getAsBoolean();
  }

  private static void sleepUntil(long millis) throws InterruptedException {
    long left;
    while ((left = millis - System.currentTimeMillis()) > 0) {
      Thread.sleep(Math.min(left, 1000));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (Exception e) {
      log.println("chaos: cleanup: " + e);
    }
  }

  /** Stops the hogs, the supervisor, PostgreSQL and the engine (removing its containers), deletes the temp dir. */
  @Override
  public synchronized void close() throws Exception {
    if (closed) {
      return;
    }
    closed = true;
    stopHogs();
    for (int i = opened.size() - 1; i >= 0; i--) {
      AutoCloseable c = opened.get(i);
      try {
        c.close();
      } catch (Exception e) {
        log.println("chaos: cleanup of " + c + ": " + e.getMessage());
      }
    }
    if (p.logDir() != null) {
      Files.createDirectories(p.logDir());
      for (Path f : List.of(dir.resolve("supervisor.log"), dir.resolve("docker/dockerd.log"), dir.resolve("pg/postgres.log"),
          dir.resolve("fleet.conf"), dir.resolve("supervisor.conf"))) {
        if (Files.exists(f)) {
          Files.copy(f, p.logDir().resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    Shell.run(Duration.ofMinutes(2), List.of("rm", "-rf", dir.toString()));
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // called from the hook itself
    }
  }

  /** Where logs and data are while it runs (removed by close). */
  public Path dir() {
    return dir;
  }
}
