package ai.sutazai.api.view;

/**
 * A latency distribution, exported as a Prometheus summary.
 *
 * @param count observations since start
 * @param sumSeconds sum of all observations, seconds
 * @param p50Seconds median of recent observations, seconds
 * @param p95Seconds 95th percentile of recent observations, seconds
 * @param p99Seconds 99th percentile of recent observations, seconds
 */
public record LatencySummary(long count, double sumSeconds, double p50Seconds, double p95Seconds, double p99Seconds) {
  public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0);
}
