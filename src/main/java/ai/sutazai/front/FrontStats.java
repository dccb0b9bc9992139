package ai.sutazai.front;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the agent front has done, per agent, for {@code /metrics}, {@code GET /api/v1/agents} and the
 * dashboard: requests held now, cold starts (a histogram of how long the first held request waited for the
 * agent to become healthy), the front's latency (to the response's headers) and its status codes.
 *
 * <p>Thread-safe: written by the front's routes and its holding actor, read by the management API.
 */
public final class FrontStats {
  /** Upper bounds of the cold-start histogram's buckets, seconds. */
  static final double[] COLD_BUCKETS = {0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
  /** Upper bounds of the latency histogram's buckets, seconds. */
  static final double[] LATENCY_BUCKETS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120};

  private final Map<String, AtomicInteger> held = new ConcurrentHashMap<>();
  private final Map<String, Long> lastColdStartMillis = new ConcurrentHashMap<>();
  private final Map<String, Histogram> coldStarts = new ConcurrentHashMap<>();
  private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();

  /** Requests held for {@code agent} now. */
  public int held(String agent) {
    AtomicInteger n = held.get(agent);
    return n == null ? 0 : n.get();
  }

  /** The agent's last cold start through the front, milliseconds (first held request to healthy); -1 if none. */
  public long lastColdStartMillis(String agent) {
    return lastColdStartMillis.getOrDefault(agent, -1L);
  }

  void setHeld(String agent, int count) {
    held.computeIfAbsent(agent, a -> new AtomicInteger()).set(count);
  }

  void coldStart(String agent, long millis) {
    lastColdStartMillis.put(agent, millis);
    coldStarts.computeIfAbsent(agent, a -> new Histogram(COLD_BUCKETS)).observe(millis / 1000.0);
  }

  /** One answer of the front for {@code agent}: its status and the time to its headers, nanoseconds. */
  void answered(String agent, int status, long nanos) {
    statuses.computeIfAbsent(agent + "\u0000" + status, k -> new LongAdder()).increment();
    latency.computeIfAbsent(agent, a -> new Histogram(LATENCY_BUCKETS)).observe(nanos / 1e9);
  }

  /** The Prometheus text exposition of these figures (families sutazai_gateway_*). */
  public String prometheus() {
    StringBuilder b = new StringBuilder();
    b.append("# HELP sutazai_gateway_held_requests Requests held by the agent front while their agent starts\n")
        .append("# TYPE sutazai_gateway_held_requests gauge\n");
    new TreeMap<>(held).forEach((a, n) -> b.append("sutazai_gateway_held_requests{agent=\"").append(a).append("\"} ")
        .append(n.get()).append('\n'));
    histograms(b, "sutazai_gateway_cold_start_seconds", "Time from the first held request to the agent healthy",
        coldStarts);
    histograms(b, "sutazai_gateway_request_duration_seconds",
        "Agent front latency to the response's headers (held time included)", latency);
    b.append("# HELP sutazai_gateway_responses_total Agent front responses by agent and status code\n")
        .append("# TYPE sutazai_gateway_responses_total counter\n");
    new TreeMap<>(statuses).forEach((k, n) -> {
      String[] parts = k.split("\u0000");
      b.append("sutazai_gateway_responses_total{agent=\"").append(parts[0]).append("\",code=\"").append(parts[1])
          .append("\"} ").append(n.sum()).append('\n');
    });
    return b.toString();
  }

  private static void histograms(StringBuilder b, String name, String help, Map<String, Histogram> byAgent) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" histogram\n");
    new TreeMap<>(byAgent).forEach((agent, h) -> h.render(b, name, agent));
  }

  /** A fixed-bucket histogram: counts per bucket, count and sum (sum in microunits to stay lock-free). */
  private static final class Histogram {
    private final double[] bounds;
    private final AtomicLongArray counts;
    private final LongAdder count = new LongAdder();
    private final LongAdder sumMicros = new LongAdder();

    Histogram(double[] bounds) {
      this.bounds = bounds;
      this.counts = new AtomicLongArray(bounds.length);
    }

    void observe(double value) {
      for (int i = 0; i < bounds.length; i++) {
        if (value <= bounds[i]) {
          counts.incrementAndGet(i);
          break;
        }
      }
      count.increment();
      sumMicros.add(Math.round(value * 1e6));
    }

    void render(StringBuilder b, String name, String agent) {
      long cumulative = 0;
      for (int i = 0; i < bounds.length; i++) {
        cumulative += counts.get(i);
        b.append(name).append("_bucket{agent=\"").append(agent).append("\",le=\"")
            .append(String.format(Locale.ROOT, "%s", bounds[i])).append("\"} ").append(cumulative).append('\n');
      }
      b.append(name).append("_bucket{agent=\"").append(agent).append("\",le=\"+Inf\"} ").append(count.sum()).append('\n');
      b.append(name).append("_sum{agent=\"").append(agent).append("\"} ")
          .append(String.format(Locale.ROOT, "%.6f", sumMicros.sum() / 1e6)).append('\n');
      b.append(name).append("_count{agent=\"").append(agent).append("\"} ").append(count.sum()).append('\n');
    }
  }
}
