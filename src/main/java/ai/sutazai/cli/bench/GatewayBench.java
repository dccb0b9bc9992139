package ai.sutazai.cli.bench;

import ai.sutazai.app.Daemon;
import ai.sutazai.common.UserError;
import ai.sutazai.common.Settings;
import ai.sutazai.fleet.FleetLoader;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.front.AgentFront;
import ai.sutazai.runtime.DockerRuntime;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sutazai bench gateway}: the agent front against the same agent called directly, in one run, on
 * the real Docker engine (a busybox httpd agent, host network, loopback): first the cold-start hold (N
 * requests arriving at once for the stopped agent: all answered, one container), then warm requests/s and
 * latency p50/p99 direct and through the front, and their ratios.
 */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = {
      "The agent front (sutazai.gateway) against the same agent called directly, in one run, on the real Docker "
          + "engine (DOCKER_HOST) with a busybox httpd agent.",
      "Cold start: --cold-requests requests arrive at once for the stopped on-demand agent (all must be answered by "
          + "one container). Warm: requests/s and latency p50/p99 direct and through the front, with ratios.",
      "Starts its own supervisor (temporary data dir, free ports) and removes its container afterwards."
    })
public final class GatewayBench implements Callable<Integer> {

  @Option(names = "--image", defaultValue = "sutazai/busybox:local",
      description = "Agent image with busybox httpd (default ${DEFAULT-VALUE}; cluster/dev/busybox-image.sh builds it).")
  String image;

  @Option(names = "--cold-requests", defaultValue = "1000", description = "Requests for the stopped agent (default ${DEFAULT-VALUE}).")
  int coldRequests;

  @Option(names = "--concurrency", defaultValue = "16", description = "Warm phase: requests in flight (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--duration", defaultValue = "10s", description = "Warm phase: length of each of the two runs (default ${DEFAULT-VALUE}).")
  String duration;

  @Override
  public Integer call() throws Exception {
    if (coldRequests < 1 || concurrency < 1) {
      throw new UserError("--cold-requests and --concurrency: expected at least 1");
    }
    Duration each = Duration.parse("PT" + duration.toUpperCase(Locale.ROOT));
    PrintStream out = System.out;
    Path dir = Files.createTempDirectory("sutazai-bench-gateway");
    String fleetName = "bench-gw-" + UUID.randomUUID().toString().substring(0, 6);
    int port = freePort();
    Path fleetFile = dir.resolve("fleet.conf");
    Files.writeString(fleetFile, "sutazai.fleet {\n name = \"" + fleetName + "\"\n agents {\n  web {\n"
        + "   image = \"" + image + "\"\n"
        + "   command = [\"sh\", \"-c\", \"mkdir -p /tmp/www && echo ok > /tmp/www/health && exec httpd -f -p 127.0.0.1:"
        + port + " -h /tmp/www\"]\n"
        + "   memory = 32MiB, cpus = 1, activation = on-demand, idle-timeout = 1h\n"
        + "   health { kind = http, port = " + port + ", path = \"/health\", interval = 100ms, timeout = 1s, retries = 2 }\n"
        + "  }\n }\n}\n");
    Config conf = Settings.load(null, ConfigFactory.parseString(
        "sutazai.data-dir = \"" + dir.resolve("data") + "\"\nsutazai.management.port = 0\nsutazai.inference.enabled = false\n"
            + "akka.management.http.port = 0\nakka.remote.artery.canonical.port = 0\nsutazai.gateway.port = 0\n"
            + "sutazai.gateway.max-held = " + Math.max(100, coldRequests) + "\nakka.loglevel = WARNING\n"));
    FleetSpec fleet = FleetLoader.load(fleetFile, conf);
    DockerRuntime runtime = DockerRuntime.fromConfig(conf);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    try (Daemon d = Daemon.start(conf, fleet, runtime, List.of())) {
      String front = "http://127.0.0.1:" + d.gatewayPort() + "/agents/web/health";
      String direct = "http://127.0.0.1:" + port + "/health";

      // Cold: every request arrives while the agent is stopped.
      long t0 = System.nanoTime();
      List<CompletableFuture<HttpResponse<String>>> cold = new ArrayList<>();
      for (int i = 0; i < coldRequests; i++) {
        cold.add(http.sendAsync(HttpRequest.newBuilder(URI.create(front)).timeout(Duration.ofMinutes(3)).build(),
            HttpResponse.BodyHandlers.ofString()));
      }
      int ok = 0;
      long[] held = new long[coldRequests];
      int n = 0;
      for (CompletableFuture<HttpResponse<String>> f : cold) {
        HttpResponse<String> r = f.get(4, TimeUnit.MINUTES);
        if (r.statusCode() == 200) {
          ok++;
        }
        String h = r.headers().firstValue(AgentFront.COLD_START_HEADER).orElse(null);
        if (h != null) {
          held[n++] = Long.parseLong(h);
        }
      }
      long coldNanos = System.nanoTime() - t0;
      held = Arrays.copyOf(held, n);
      Arrays.sort(held);
      int containers = runtime.listManaged(fleetName).size();

      Result directRun = load(http, direct, each);
      Result frontRun = load(http, front, each);

      out.printf(Locale.ROOT, "sutazai bench gateway --cold-requests %d --concurrency %d --duration %s%n", coldRequests,
          concurrency, duration);
      row(out, "agent", "busybox httpd (" + image + "), host network, GET /health (3 bytes)");
      row(out, "cold: requests answered 200", ok + " of " + coldRequests);
      row(out, "cold: containers created", String.valueOf(containers));
      row(out, "cold: first request to all answered", String.format(Locale.ROOT, "%.2f s", coldNanos / 1e9));
      row(out, "cold: held (X-Sutazai-Cold-Start-Ms) p50 / max", n == 0 ? "n/a"
          : held[(int) Math.ceil(0.5 * n) - 1] + " / " + held[n - 1] + " ms (" + n + " held)");
      for (Result r : List.of(directRun, frontRun)) {
        row(out, "warm " + r.label + ": requests/s", String.format(Locale.ROOT, "%.0f (%d ok, %d failed)", r.perSecond(), r.ok, r.failed));
        row(out, "warm " + r.label + ": latency p50 / p99", String.format(Locale.ROOT, "%.2f / %.2f ms", r.p(0.5), r.p(0.99)));
      }
      row(out, "ratio front / direct: requests/s", String.format(Locale.ROOT, "%.2f", frontRun.perSecond() / directRun.perSecond()));
      row(out, "ratio front / direct: p50 / p99", String.format(Locale.ROOT, "%.2f / %.2f", frontRun.p(0.5) / directRun.p(0.5),
          frontRun.p(0.99) / directRun.p(0.99)));
      row(out, "host", Runtime.getRuntime().availableProcessors() + " cores seen by the JVM");
      return ok == coldRequests && containers == 1 ? 0 : 1;
    } finally {
      for (var c : runtime.listManaged(fleetName)) {
        try {
          runtime.remove(c.id());
        } catch (RuntimeException e) {
          out.println("could not remove container " + c.id() + ": " + e.getMessage());
        }
      }
      runtime.close();
    }
  }

  private record Result(String label, int ok, int failed, double seconds, long[] latencies) {
    double perSecond() {
      return ok / seconds;
    }

    double p(double q) {
      return ai.sutazai.metrics.stats.Statistics.percentileOfSorted(latencies, q * 100) / 1e6;
    }
  }

  /** Closed loop: {@code concurrency} threads, each sending its next request when the last answered. */
  private Result load(HttpClient http, String url, Duration each) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    List<long[]> perThread = new ArrayList<>();
    List<int[]> counts = new ArrayList<>();
    long end = System.nanoTime() + each.toNanos();
    long t0 = System.nanoTime();
    List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < concurrency; t++) {
      long[] lat = new long[2_000_000 / concurrency];
      int[] c = {0};
      perThread.add(lat);
      counts.add(c);
      fs.add(pool.submit(() -> {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build();
        while (System.nanoTime() < end && c[0] < lat.length) {
          long s = System.nanoTime();
          try {
            HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 200) {
              lat[c[0]++] = System.nanoTime() - s;
              ok.incrementAndGet();
            } else {
              failed.incrementAndGet();
            }
          } catch (Exception e) {
            failed.incrementAndGet();
          }
        }
        return null;
      }));
    }
    for (var f : fs) {
      f.get();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();
    int total = counts.stream().mapToInt(c -> c[0]).sum();
    long[] all = new long[total];
    int k = 0;
    for (int t = 0; t < perThread.size(); t++) {
      System.arraycopy(perThread.get(t), 0, all, k, counts.get(t)[0]);
      k += counts.get(t)[0];
    }
    Arrays.sort(all);
    return new Result(url.contains("/agents/") ? "through the front" : "direct", ok.get(), failed.get(), seconds, all);
  }

  private static void row(PrintStream out, String what, String value) {
    out.printf(Locale.ROOT, "  %-48s %s%n", what, value);
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
