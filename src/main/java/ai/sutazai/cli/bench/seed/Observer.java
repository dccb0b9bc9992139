package ai.sutazai.cli.bench.seed;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import java.io.Closeable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Measures one run from outside the supervisor, with one definition for every run: the engine (container
 * list each second, events), the parent cgroup's files, its own health probe of each running agent
 * (GET /health, {@link #PROBE_TIMEOUT}) and the task client (each task {@link #TASK_TIMEOUT} at most).
 */
final class Observer {
  static final Duration TASK_TIMEOUT = Duration.ofSeconds(30);
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  private final DockerClient client;
  private final DockerClient stream;
  private final String fleetLabel;
  private final HostModel host;
  private final Map<String, Integer> ports;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  // engine events
  private final AtomicInteger oomKills = new AtomicInteger();
  private final AtomicInteger restarts = new AtomicInteger();
  private final Set<String> restartedAgents = ConcurrentHashMap.newKeySet();
  private final Set<String> killRequested = ConcurrentHashMap.newKeySet();
  private final Map<String, Boolean> diedUnrequested = new ConcurrentHashMap<>();
  private final Map<String, Long> lastOom = new ConcurrentHashMap<>();
  /** Failed tasks by reason (HTTP status or exception), for the log. */
  final Map<String, Integer> failures = new ConcurrentHashMap<>();
  /** An exit counts as an OOM kill when the engine reported an oom for the container this recently. */
  private static final long OOM_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final boolean VERBOSE = Boolean.getBoolean("sutazai.bench.seed.verbose");
  // probes
  private final Map<String, Boolean> probeOk = new ConcurrentHashMap<>();
  private final Set<String> probing = ConcurrentHashMap.newKeySet();

  Observer(DockerClient client, DockerClient stream, String fleetLabel, HostModel host, Map<String, Integer> ports) {
    this.client = client;
    this.stream = stream;
    this.fleetLabel = fleetLabel;
    this.host = host;
    this.ports = ports;
  }

  /** Subscribes to the engine's events for the run's containers; call before the run's first container starts. */
  Closeable watchEvents() {
    ResultCallback.Adapter<Event> cb = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Event e) {
        onEvent(e);
      }
    };
    stream.eventsCmd().withEventTypeFilter(EventType.CONTAINER)
        .withLabelFilter(Map.of("sutazai.fleet", fleetLabel)).exec(cb);
    return cb;
  }

  private void onEvent(Event e) {
    String action = e.getAction() == null ? e.getStatus() : e.getAction();
    if (action == null || e.getActor() == null) {
      return;
    }
    String agent = e.getActor().getAttributes() == null ? null : e.getActor().getAttributes().get("sutazai.agent");
    String id = e.getId();
    switch (action) {
      case "oom" -> lastOom.put(id, System.nanoTime());
      case "kill" -> killRequested.add(id);
      case "die" -> {
        boolean unrequested = !killRequested.remove(id);
        String exit = e.getActor().getAttributes() == null ? null : e.getActor().getAttributes().get("exitCode");
        Long oom = lastOom.get(id);
        // the kernel's OOM killer: SIGKILL (137) nobody asked for, after the engine's oom notice for the container
        boolean oomKill = unrequested && "137".equals(exit) && oom != null && System.nanoTime() - oom < OOM_WINDOW_NANOS;
        if (oomKill) {
          oomKills.incrementAndGet();
        }
        if (agent != null) {
          diedUnrequested.put(agent, unrequested);
          if (unrequested && VERBOSE) {
            System.err.println("bench seed: " + fleetLabel + ": " + agent + " exited " + exit + (oomKill ? " (OOM kill)" : ""));
          }
        }
      }
      case "start" -> {
        if (agent != null && Boolean.TRUE.equals(diedUnrequested.remove(agent))) {
          restarts.incrementAndGet(); // started again after an exit nobody asked for (crash, OOM kill)
          restartedAgents.add(agent);
        }
      }
      case "restart" -> { // docker restart: a requested stop, then a start
        restarts.incrementAndGet();
        if (agent != null) {
          restartedAgents.add(agent);
        }
      }
      default -> { }
    }
  }

  /** Runs the workload for {@code duration} (tasks to {@code url.apply(agent)}) while sampling each second. */
  RunResult measure(String name, String description, Workload work, Function<String, String> url, Duration duration,
      int agents) throws InterruptedException {
    ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "seed-bench-" + name);
      t.setDaemon(true);
      return t;
    });
    Instant startedAt = Instant.now();
    long t0 = System.nanoTime();
    long cpu0 = host.cpuNanos();
    long[] thr0 = host.throttling();
    AtomicInteger answered = new AtomicInteger();
    List<CompletableFuture<long[]>> sent = new ArrayList<>();
    for (Workload.Task task : work.tasks()) {
      CompletableFuture<long[]> f = new CompletableFuture<>();
      sent.add(f);
      timer.schedule(() -> {
        long s = System.nanoTime();
        HttpRequest req = HttpRequest.newBuilder(URI.create(url.apply(task.agent()))).timeout(TASK_TIMEOUT).GET().build();
        http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, err) -> {
          boolean ok = err == null && r.statusCode() == 200;
          if (!ok) {
            Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
            String why = (cause != null ? cause.getClass().getSimpleName() : "HTTP " + r.statusCode())
                + (VERBOSE ? " " + task.agent() : "");
            failures.merge(why, 1, Integer::sum);
          }
          if (ok) {
            answered.incrementAndGet();
          }
          f.complete(new long[] {ok ? 1 : 0, System.nanoTime() - s});
        });
      }, task.atNanos(), TimeUnit.NANOSECONDS);
    }
    List<RunResult.Sample> samples = java.util.Collections.synchronizedList(new ArrayList<>());
    List<double[]> healthy = java.util.Collections.synchronizedList(new ArrayList<>()); // {healthy agents, running}
    var sampler = timer.scheduleAtFixedRate(() -> {
      try {
        sample(t0, answered.get(), samples, healthy);
      } catch (RuntimeException e) {
        System.err.println("bench seed: a sample failed: " + e.getMessage());
      }
    }, 0, 1, TimeUnit.SECONDS);
    Thread.sleep(duration.toMillis());
    long cpu1 = host.cpuNanos();
    long[] thr1 = host.throttling();
    double wall = (System.nanoTime() - t0) / 1e9;
    sampler.cancel(false);
    // tasks sent near the end may still be answered, within their timeout
    for (CompletableFuture<long[]> f : sent) {
      try {
        f.get(TASK_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // counted as failed below
      }
    }
    timer.shutdownNow();
    Instant endedAt = Instant.now();
    if (!failures.isEmpty()) {
      System.err.println("bench seed: run " + name + ": failed tasks by reason " + new java.util.TreeMap<>(failures));
    }

    int ok = 0;
    long[] lat = new long[sent.size()];
    for (CompletableFuture<long[]> f : sent) {
      long[] v = f.getNow(null);
      if (v != null && v[0] == 1) {
        lat[ok++] = v[1];
      }
    }
    lat = Arrays.copyOf(lat, ok);
    Arrays.sort(lat);
    double mean = ok == 0 ? Double.NaN : Arrays.stream(lat).average().orElse(0) / 1e6;
    RunResult.Tasks tasks = new RunResult.Tasks(sent.size(), ok, sent.size() - ok, mean, pct(lat, 50), pct(lat, 95), pct(lat, 99));

    List<RunResult.Sample> ss;
    List<double[]> hs;
    synchronized (samples) {
      ss = List.copyOf(samples);
    }
    synchronized (healthy) {
      hs = List.copyOf(healthy);
    }
    double healthRate = ss.stream().mapToDouble(RunResult.Sample::healthRate).filter(d -> !Double.isNaN(d)).average().orElse(0);
    double healthyMean = hs.stream().mapToDouble(h -> h[0]).average().orElse(0);
    int healthyPeak = (int) hs.stream().mapToDouble(h -> h[0]).max().orElse(0);
    double memMean = ss.stream().mapToDouble(RunResult.Sample::memory).average().orElse(0);
    double memPeak = ss.stream().mapToDouble(RunResult.Sample::memory).max().orElse(0);
    double cpuRatio = (cpu1 - cpu0) / 1e9 / wall / host.cpus;
    long periods = thr1[0] - thr0[0];
    double throttled = periods <= 0 ? 0 : (thr1[1] - thr0[1]) / (double) periods;
    return new RunResult(name, description, startedAt, endedAt, healthRate, restartedAgents.size() / (double) agents,
        healthyMean, healthyPeak, agents, tasks, memMean, memPeak, cpuRatio, throttled, oomKills.get(), restarts.get(), ss);
  }

  private void sample(long t0, int answered, List<RunResult.Sample> samples, List<double[]> healthy) {
    List<Container> cs = client.listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of("sutazai.fleet", fleetLabel)).exec();
    Set<String> running = new HashSet<>();
    for (Container c : cs) {
      String agent = c.getLabels() == null ? null : c.getLabels().get("sutazai.agent");
      if (agent != null && "running".equals(c.getState())) {
        running.add(agent);
      }
    }
    probeOk.keySet().retainAll(running);
    int ok = 0;
    for (String agent : running) {
      if (Boolean.TRUE.equals(probeOk.get(agent))) {
        ok++;
      }
      probe(agent);
    }
    double rate = running.isEmpty() ? Double.NaN : ok / (double) running.size();
    double mem = host.memoryUsage() / (double) host.memoryBytes;
    samples.add(new RunResult.Sample((System.nanoTime() - t0) / 1e9, rate, mem, answered));
    healthy.add(new double[] {ok, running.size()});
  }

  /** GET /health on the agent's port, unless a probe of it is still out; its answer counts from the next sample. */
  private void probe(String agent) {
    Integer port = ports.get(agent);
    if (port == null || !probing.add(agent)) {
      return;
    }
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(PROBE_TIMEOUT).build();
    http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, err) -> {
      probeOk.put(agent, err == null && r.statusCode() == 200);
      probing.remove(agent);
    });
  }

  /** The {@code p}-th percentile of sorted nanoseconds, in milliseconds (the product's one rule). */
  static double pct(long[] sorted, double p) {
    return ai.sutazai.metrics.stats.Statistics.percentileOfSorted(sorted, p) / 1e6;
  }
}
