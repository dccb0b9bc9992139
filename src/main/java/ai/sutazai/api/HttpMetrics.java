package ai.sutazai.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Latency histogram of the management server's own HTTP requests, labelled by method, route template
 * (bounded: unknown paths count as "other") and status code.
 */
public final class HttpMetrics {
  /** Bucket upper bounds, seconds. */
  static final double[] BUCKETS_SECONDS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  /** Labels of one series. */
  public record Key(String method, String route, int code) {}

  /** One series: cumulative bucket counts, sum and count. */
  public static final class Series {
    final LongAdder[] buckets = new LongAdder[BUCKETS_SECONDS.length];
    final LongAdder count = new LongAdder();
    final DoubleAdder sumSeconds = new DoubleAdder();

    Series() {
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
    }

    void observe(double seconds) {
      for (int i = 0; i < BUCKETS_SECONDS.length; i++) {
        if (seconds <= BUCKETS_SECONDS[i]) {
          buckets[i].increment();
        }
      }
      count.increment();
      sumSeconds.add(seconds);
    }
  }

  private final Map<Key, Series> series = new ConcurrentHashMap<>();

  /** Records one request. */
  public void observe(String method, String path, int code, long nanos) {
    String route = ApiCatalog.templateOf(path);
    if (route == null) {
      route = path.startsWith("/assets/") ? "/assets/*" : "other";
    }
    String m = switch (method) {
      case "GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS" -> method;
      default -> "other";
    };
    series.computeIfAbsent(new Key(m, route, code), k -> new Series()).observe(nanos / 1e9);
  }

  Map<Key, Series> snapshot() {
    return Map.copyOf(series);
  }
}
