package ai.sutazai.front;

import ai.sutazai.common.MetricsRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the agent front has done, per agent, for {@code /metrics} (families {@code sutazai_gateway_*} in the
 * system's registry), {@code GET /api/v1/agents} and the dashboard: requests held now, cold starts (how long
 * the first held request waited for the agent to become healthy), the front's latency (to the response's
 * headers) and its status codes.
 *
 * <p>Thread-safe: written by the front's routes and its holding actor, read by the management API. One per
 * actor system ({@link #of}), since its metrics are registered once per registry.
 */
public final class FrontStats {
  /** Upper bounds of the cold-start histogram's buckets, seconds. */
  static final double[] COLD_BUCKETS = {0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};

  private final Map<String, AtomicInteger> held = new ConcurrentHashMap<>();
  private final Map<String, Long> lastColdStartMillis = new ConcurrentHashMap<>();
  private final Histogram coldStarts;
  private final Histogram latency;
  private final Counter responses;

  private FrontStats(io.prometheus.metrics.model.registry.PrometheusRegistry r) {
    GaugeWithCallback.builder().name("sutazai_gateway_held_requests")
        .help("Requests held by the agent front while their agent starts").labelNames("agent")
        .callback(cb -> held.forEach((a, n) -> cb.call(n.get(), a))).register(r);
    coldStarts = Histogram.builder().name("sutazai_gateway_cold_start_seconds")
        .help("Time from the first held request to the agent healthy, seconds").labelNames("agent")
        .classicOnly().classicUpperBounds(COLD_BUCKETS).register(r);
    latency = Histogram.builder().name("sutazai_gateway_request_duration_seconds")
        .help("Agent front latency to the response's headers (held time included), seconds").labelNames("agent")
        .classicOnly().classicUpperBounds(MetricsRegistry.SECONDS_BUCKETS_SECONDS).register(r);
    responses = Counter.builder().name("sutazai_gateway_responses_total")
        .help("Agent front responses by agent and status code").labelNames("agent", "code").register(r);
  }

  /** The front's figures of {@code metrics}' registry. */
  public static FrontStats of(MetricsRegistry metrics) {
    return metrics.once("sutazai_gateway", FrontStats::new);
  }

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
    coldStarts.labelValues(agent).observe(millis / 1000.0);
  }

  /** One answer of the front for {@code agent}: its status and the time to its headers, nanoseconds. */
  void answered(String agent, int status, long nanos) {
    responses.labelValues(agent, Integer.toString(status)).inc();
    latency.labelValues(agent).observe(nanos / 1e9);
  }
}
