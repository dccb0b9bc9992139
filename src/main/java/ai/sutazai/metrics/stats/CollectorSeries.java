package ai.sutazai.metrics.stats;

import ai.sutazai.metrics.ContainerSampler;
import ai.sutazai.metrics.MetricsCollector;

/**
 * Names of the series the MetricsCollector records internally (its in-memory history, baselines, forecasts and
 * the built-in alert rules), in Prometheus form: snake case, unit suffix, {@code _ratio} for fractions 0–1.
 * Per-agent series carry the label {@code agent}, e.g. {@code sutazai_container_cpu_percent{agent="web"}}.
 *
 * <p>These are <b>not</b> the names exposed on {@code /metrics} (those are {@link MetricNames}): several series
 * here are exported under another name or shape (the p95 {@code sutazai_agent_response_time_p95_seconds} is the
 * histogram {@code sutazai_agent_response_time_seconds}; CPU is exposed as the engine's cumulative {@code sutazai_container_cpu_seconds_total})
 * or not at all. Stored baselines and their samples are keyed by these strings: never change one.
 */
public final class CollectorSeries {
  private CollectorSeries() {}

  /** Host CPU busy, percent of all logical CPUs together (0–100). */
  public static final String HOST_CPU_PERCENT = "sutazai_host_cpu_percent";
  /** Logical CPUs of the host (count). */
  public static final String HOST_CPU_CORES = "sutazai_host_cpu_cores";
  /** Load average over 1, 5 and 15 minutes (runnable tasks). */
  public static final String HOST_LOAD1 = "sutazai_host_load1";
  public static final String HOST_LOAD5 = "sutazai_host_load5";
  public static final String HOST_LOAD15 = "sutazai_host_load15";
  /** 1-minute load average divided by logical CPUs (load per core). */
  public static final String HOST_LOAD1_PER_CORE = "sutazai_host_load1_per_core";
  /** Physical memory in use (total − available), available, and total, bytes. */
  public static final String HOST_MEMORY_USED_BYTES = "sutazai_host_memory_used_bytes";
  public static final String HOST_MEMORY_AVAILABLE_BYTES = "sutazai_host_memory_available_bytes";
  public static final String HOST_MEMORY_TOTAL_BYTES = "sutazai_host_memory_total_bytes";
  /** Used / total physical memory (0–1). */
  public static final String HOST_MEMORY_UTILISATION_RATIO = "sutazai_host_memory_utilisation_ratio";
  /** Swap in use and total, bytes. */
  public static final String HOST_SWAP_USED_BYTES = "sutazai_host_swap_used_bytes";
  public static final String HOST_SWAP_TOTAL_BYTES = "sutazai_host_swap_total_bytes";
  /** Space used and total over local file systems, bytes. */
  public static final String HOST_DISK_USED_BYTES = "sutazai_host_disk_used_bytes";
  public static final String HOST_DISK_TOTAL_BYTES = "sutazai_host_disk_total_bytes";
  /** Disk read and write throughput over all physical disks since the previous sample, bytes per second. */
  public static final String HOST_DISK_READ_BYTES_PER_SECOND = "sutazai_host_disk_read_bytes_per_second";
  public static final String HOST_DISK_WRITE_BYTES_PER_SECOND = "sutazai_host_disk_write_bytes_per_second";
  /** Network receive and send throughput over all interfaces since the previous sample, bytes per second. */
  public static final String HOST_NETWORK_RECEIVED_BYTES_PER_SECOND = "sutazai_host_network_received_bytes_per_second";
  public static final String HOST_NETWORK_SENT_BYTES_PER_SECOND = "sutazai_host_network_sent_bytes_per_second";

  /** Per agent: container CPU, percent of one core (200 = two cores busy). */
  public static final String CONTAINER_CPU_PERCENT = "sutazai_container_cpu_percent";
  /** Per agent: container memory in use and its limit, bytes. */
  public static final String CONTAINER_MEMORY_USAGE_BYTES = "sutazai_container_memory_usage_bytes";
  public static final String CONTAINER_MEMORY_LIMIT_BYTES = "sutazai_container_memory_limit_bytes";
  /** Per agent: restarts counted by the engine (count). */
  public static final String CONTAINER_RESTARTS = "sutazai_container_restarts";
  /** Per agent: 1 when the container is running and healthy (or has no health check), else 0. */
  public static final String CONTAINER_HEALTHY = "sutazai_container_healthy";
  /** Healthy share of the managed containers that are meant to be up (0–1); see ContainerSampler. */
  public static final String CONTAINER_HEALTH_RATE_RATIO = "sutazai_container_health_rate_ratio";
  /** Managed containers known to the engine, and those running (count). */
  public static final String CONTAINERS_MANAGED = "sutazai_containers_managed";
  public static final String CONTAINERS_RUNNING = "sutazai_containers_running";

  /** Per agent: 95th percentile of response time over the latency window, seconds. */
  public static final String AGENT_RESPONSE_TIME_P95_SECONDS = "sutazai_agent_response_time_p95_seconds";
  /** Per agent: the latest cold start (activation until healthy), seconds. */
  public static final String AGENT_COLD_START_SECONDS = "sutazai_agent_cold_start_seconds";
  /** Per agent: requests recorded during the last sample interval (count) — the agent's demand. */
  public static final String AGENT_REQUESTS = "sutazai_agent_requests";
  /** Agents per lifecycle state, label {@code state} (count). */
  public static final String AGENTS = "sutazai_agents";

  /** The series name of {@code metric} for one agent. */
  public static String forAgent(String metric, String agent) {
    return labelled(metric, "agent", agent);
  }

  /** {@code metric{label="value"}}, with quotes and backslashes in the value escaped. */
  public static String labelled(String metric, String label, String value) {
    String escaped = value.replace("\\", "\\\\").replace("\"", "\\\"");
    return metric + "{" + label + "=\"" + escaped + "\"}";
  }

  /** The metric name of a series name (the part before any label set). */
  public static String metricOf(String series) {
    int brace = series.indexOf('{');
    return brace < 0 ? series : series.substring(0, brace);
  }
}
