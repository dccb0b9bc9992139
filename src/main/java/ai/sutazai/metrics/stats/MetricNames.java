package ai.sutazai.metrics.stats;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every metric family {@code /metrics} exposes under {@code sutazai_}, with its Prometheus type and unit, beside
 * the client library's standard {@code jvm_*} and {@code process_*}. docs/metrics.md lists the same; a test
 * compares a live daemon's scrape with this list. The collector's internal series (baselines, built-in alert
 * rules) have their own names in {@link CollectorSeries}.
 */
public final class MetricNames {
  private MetricNames() {}

  /** One exposed family: its name (without _bucket/_count/_sum), Prometheus type, and unit ("" for a count). */
  public record Family(String name, String type, String unit) {}

  /** Activations of named agents asked by the inference router and the agent front that the pool rejected or that failed. */
  public static final String ROUTER_ACTIVATION_REJECTIONS_TOTAL = "sutazai_router_activation_rejections_total";

  private static Family g(String name, String unit) {
    return new Family(name, "gauge", unit);
  }

  private static Family c(String name, String unit) {
    return new Family(name, "counter", unit);
  }

  private static Family h(String name) {
    return new Family(name, "histogram", "seconds");
  }

  /** Every family, sorted by name. */
  public static final List<Family> ALL = List.of(
      h("sutazai_agent_cold_start_seconds"),
      g("sutazai_agent_cpu_request_cores", "cores"),
      g("sutazai_agent_memory_request_bytes", "bytes"),
      g("sutazai_agent_queue_position", ""),
      h("sutazai_agent_response_time_seconds"),
      c("sutazai_agent_restarts_total", ""),
      g("sutazai_agent_state", ""),
      g("sutazai_agents", ""),
      g("sutazai_alert_firing", ""),
      g("sutazai_alert_threshold_load1", ""),
      g("sutazai_alert_threshold_ratio", "ratio"),
      g("sutazai_alert_threshold_seconds", "seconds"),
      g("sutazai_alerts_firing", ""),
      g("sutazai_build_info", ""),
      c("sutazai_container_cpu_seconds_total", "seconds"),
      g("sutazai_container_health_rate_ratio", "ratio"),
      g("sutazai_container_healthy", ""),
      g("sutazai_container_memory_limit_bytes", "bytes"),
      g("sutazai_container_memory_usage_bytes", "bytes"),
      c("sutazai_container_restarts_total", ""),
      g("sutazai_containers", ""),
      g("sutazai_fleet_cpu_request_cores", "cores"),
      g("sutazai_fleet_memory_request_bytes", "bytes"),
      h("sutazai_gateway_cold_start_seconds"),
      g("sutazai_gateway_held_requests", ""),
      h("sutazai_gateway_request_duration_seconds"),
      c("sutazai_gateway_responses_total", ""),
      g("sutazai_host_cpu_cores", "cores"),
      g("sutazai_host_cpu_utilisation_ratio", "ratio"),
      g("sutazai_host_load1", ""),
      g("sutazai_host_load1_per_core", ""),
      g("sutazai_host_memory_total_bytes", "bytes"),
      g("sutazai_host_memory_used_bytes", "bytes"),
      g("sutazai_host_memory_utilisation_ratio", "ratio"),
      h("sutazai_http_request_duration_seconds"),
      c("sutazai_inference_generated_tokens_total", ""),
      c("sutazai_inference_generation_seconds_total", "seconds"),
      g("sutazai_inference_queue_depth", ""),
      c("sutazai_inference_rejected_requests_total", ""),
      h("sutazai_inference_request_duration_seconds"),
      h("sutazai_inference_time_to_first_token_seconds"),
      c("sutazai_journal_failures_total", ""),
      h("sutazai_journal_write_duration_seconds"),
      g("sutazai_pool_active_agents", ""),
      g("sutazai_pool_cpu_budget_cores", "cores"),
      g("sutazai_pool_cpu_used_cores", "cores"),
      g("sutazai_pool_max_active_agents", ""),
      g("sutazai_pool_memory_budget_bytes", "bytes"),
      g("sutazai_pool_memory_used_bytes", "bytes"),
      g("sutazai_pool_min_active_agents", ""),
      g("sutazai_pool_queue_length", ""),
      g("sutazai_pool_queue_oldest_wait_seconds", "seconds"),
      c(ROUTER_ACTIVATION_REJECTIONS_TOTAL, ""),
      g("sutazai_scrape_section_up", ""),
      g("sutazai_worker_circuit_state", ""),
      c("sutazai_worker_failures_total", ""),
      g("sutazai_worker_in_flight_requests", ""),
      g("sutazai_worker_loaded_models", ""),
      g("sutazai_worker_model_loaded", ""),
      c("sutazai_worker_requests_total", ""),
      g("sutazai_worker_up", ""));

  /** Name to type of every family. */
  public static Map<String, String> types() {
    Map<String, String> m = new TreeMap<>();
    ALL.forEach(f -> m.put(f.name(), f.type()));
    return m;
  }
}
