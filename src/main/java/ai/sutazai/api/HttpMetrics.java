package ai.sutazai.api;

import ai.sutazai.common.MetricsRegistry;
import io.prometheus.metrics.core.metrics.Histogram;

/**
 * Latency histogram of the management server's own HTTP requests ({@code sutazai_http_request_duration_seconds}),
 * labelled by method, route template (bounded: unknown paths count as "other") and status code.
 */
public final class HttpMetrics {
  private final Histogram duration;

  public HttpMetrics(MetricsRegistry metrics) {
    this.duration = metrics.once("sutazai_http_request_duration_seconds", r -> Histogram.builder()
        .name("sutazai_http_request_duration_seconds")
        .help("Management API request latency, by method, route template and status code")
        .labelNames("method", "route", "code").classicOnly().classicUpperBounds(MetricsRegistry.MILLIS_BUCKETS_SECONDS)
        .register(r));
  }

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
    duration.labelValues(m, route, Integer.toString(code)).observe(nanos / 1e9);
  }
}
