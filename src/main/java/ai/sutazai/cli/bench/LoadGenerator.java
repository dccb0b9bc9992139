package ai.sutazai.cli.bench;

import ai.sutazai.inference.ollama.Stages;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.settings.ConnectionPoolSettings;
import akka.stream.Materializer;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Sends POSTs without blocking threads: closed loop ({@code concurrency} requests always in flight) or
 * open loop (a fixed rate). Each latency is from sending to the last byte of the answer.
 */
final class LoadGenerator {
  private static final java.util.regex.Pattern LOAD_DURATION =
      java.util.regex.Pattern.compile("\"load_duration\"\\s*:\\s*(\\d+)");
  private final ActorSystem<?> system;
  private final Http http;
  private final Materializer mat;
  private final ConnectionPoolSettings pool;

  LoadGenerator(ActorSystem<?> system, int concurrency) {
    this.system = system;
    this.http = Http.get(system);
    ai.sutazai.common.HttpPoolsShutdown.register(system);
    this.mat = Materializer.matFromSystem(system);
    int open = Integer.highestOneBit(Math.max(16384, concurrency * 4) - 1) << 1;
    this.pool = ConnectionPoolSettings.create(ConfigFactory.parseString(
        "akka.http.host-connection-pool { max-connections = " + Math.max(concurrency + 8, 256)
            + "\n max-open-requests = " + open
            + "\n max-retries = 0\n response-entity-subscription-timeout = 30s }")
        .withFallback(system.settings().config()));
  }

  /** What one run measured. Latencies in nanoseconds, sorted. */
  /**
   * @param waitedLong answers that took at least the "long" threshold end to end
   * @param loadWaited answers whose {@code load_duration} (the worker's wait for a slot, including a model
   *                   load) was at least that threshold
   */
  record Result(String label, int ok, int failed, double seconds, long[] latencies, int waitedLong, int loadWaited) {
    double perSecond() {
      return ok / seconds;
    }

    double pMillis(double q) {
      return ai.sutazai.metrics.stats.Statistics.percentileOfSorted(latencies, q * 100) / 1e6;
    }
  }

  private final class Run {
    final long[] lat;
    final AtomicInteger ok = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger waitedLong = new AtomicInteger();
    final AtomicInteger loadWaited = new AtomicInteger();
    final long longNanos;

    Run(int max, long longNanos) {
      lat = new long[max];
      this.longNanos = longNanos;
    }

    /** One request; its latency counts from {@code t0} (the scheduled send time in the open loop). */
    CompletableFuture<Void> one(String url, String body, long t0) {
      HttpRequest req = HttpRequest.POST(url).withEntity(ContentTypes.APPLICATION_JSON, body);
      // toStrict: a small answer that arrived whole is already strict, so no stream is run per response.
      return Stages.plain(http.singleRequest(req, http.defaultClientHttpsContext(), pool, system.classicSystem().log()))
          .thenCompose(r -> Stages.plain(r.entity().toStrict(60_000, mat))
              .thenApply(strict -> {
                akka.util.ByteString data = strict.getData();
                akka.util.ByteString tail = data.length() > 2048 ? data.takeRight(2048) : data;
                java.util.regex.Matcher m = LOAD_DURATION.matcher(tail.utf8String());
                long load = 0;
                while (m.find()) {
                  load = Long.parseLong(m.group(1));
                }
                return r.status().intValue() == 200 ? load : -1L;
              }))
          .handle((loadNanos, err) -> {
            long dt = System.nanoTime() - t0;
            if (err == null && loadNanos >= 0) {
              if (loadNanos >= longNanos) {
                loadWaited.incrementAndGet();
              }
              int i = ok.getAndIncrement();
              if (i < lat.length) {
                lat[i] = dt;
              }
              if (dt >= longNanos) {
                waitedLong.incrementAndGet();
              }
            } else {
              failed.incrementAndGet();
            }
            return (Void) null;
          });
    }

    Result result(String label, double seconds) {
      long[] l = Arrays.copyOf(lat, Math.min(ok.get(), lat.length));
      Arrays.sort(l);
      return new Result(label, ok.get(), failed.get(), seconds, l, waitedLong.get(), loadWaited.get());
    }
  }

  /** {@code concurrency} loops, each sending its next request when the last one ends, until {@code requests} or {@code maxTime}. */
  Result closedLoop(String label, String url, int concurrency, int requests, Duration maxTime, IntFunction<String> body,
      Duration longWait) {
    Run run = new Run(requests, longWait.toNanos());
    long t0 = System.nanoTime();
    long stopAt = t0 + maxTime.toNanos();
    CompletableFuture<?>[] loops = new CompletableFuture<?>[concurrency];
    for (int c = 0; c < concurrency; c++) {
      loops[c] = loop(run, url, requests, stopAt, body);
    }
    CompletableFuture.allOf(loops).join();
    return run.result(label, (System.nanoTime() - t0) / 1e9);
  }

  private CompletableFuture<Void> loop(Run run, String url, int requests, long stopAt, IntFunction<String> body) {
    int n = run.started.getAndIncrement();
    if (n >= requests || System.nanoTime() > stopAt) {
      return CompletableFuture.completedFuture(null);
    }
    return run.one(url, body.apply(n), System.nanoTime()).thenCompose(v -> loop(run, url, requests, stopAt, body));
  }

  /**
   * Open loop: {@code rate} requests per second to each of {@code urls}, interleaved (request i goes to
   * {@code urls[i % urls.length]}), so that every target sees the same moment of a shared machine. Sent from
   * this thread on a fixed schedule; each latency counts from the request's scheduled time, so a sender that
   * falls behind makes latencies worse rather than hiding them (no coordinated omission).
   */
  Result[] openLoop(String[] labels, String[] urls, int rate, int requestsEach, IntFunction<String> body) {
    int n = urls.length;
    Run[] runs = new Run[n];
    for (int k = 0; k < n; k++) {
      runs[k] = new Run(requestsEach, Long.MAX_VALUE);
    }
    CompletableFuture<?>[] all = new CompletableFuture<?>[requestsEach * n];
    long interval = 1_000_000_000L / ((long) rate * n);
    long t0 = System.nanoTime();
    for (int i = 0; i < all.length; i++) {
      long due = t0 + i * interval;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      all[i] = runs[i % n].one(urls[i % n], body.apply(i / n), due);
    }
    CompletableFuture.allOf(all).join();
    double seconds = (System.nanoTime() - t0) / 1e9;
    Result[] out = new Result[n];
    for (int k = 0; k < n; k++) {
      out[k] = runs[k].result(labels[k], seconds);
    }
    return out;
  }
}
