package ai.sutazai.api;

import ai.sutazai.api.view.AlertView;
import ai.sutazai.api.view.ContainerView;
import ai.sutazai.api.view.PoolView;
import ai.sutazai.api.view.WorkerView;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The pools, containers, workers and alerts sections of {@code /metrics}. */
final class FleetMetrics {
  private FleetMetrics() {}

  static void pools(PromText p, List<PoolView> pools) {
    String[][] families = {
        {"sutazai_pool_max_active_agents", "Quota: most agents active at once"},
        {"sutazai_pool_min_active_agents", "Quota: agents never scaled to zero"},
        {"sutazai_pool_active_agents", "Agents counted against the pool's quota"},
        {"sutazai_pool_memory_budget_bytes", "Quota: memory budget"},
        {"sutazai_pool_memory_used_bytes", "Memory requested by the pool's active agents"},
        {"sutazai_pool_cpu_budget_cores", "Quota: CPU budget, cores"},
        {"sutazai_pool_cpu_used_cores", "CPU requested by the pool's active agents, cores"},
        {"sutazai_pool_queue_length", "Activations waiting in the pool's queue"},
        {"sutazai_pool_queue_oldest_wait_seconds", "How long the oldest queued activation has waited"}};
    for (String[] f : families) {
      p.family(f[0], "gauge", f[1]);
    }
    for (PoolView pool : pools.stream().sorted(Comparator.comparing(PoolView::name)).toList()) {
      String n = pool.name();
      p.sample("sutazai_pool_max_active_agents", "", pool.quota().maxActive(), "pool", n);
      p.sample("sutazai_pool_min_active_agents", "", pool.quota().minActive(), "pool", n);
      p.sample("sutazai_pool_active_agents", "", pool.usage().active(), "pool", n);
      p.sample("sutazai_pool_memory_budget_bytes", "", pool.quota().memoryBudgetBytes(), "pool", n);
      p.sample("sutazai_pool_memory_used_bytes", "", pool.usage().memoryBytes(), "pool", n);
      p.sample("sutazai_pool_cpu_budget_cores", "", pool.quota().cpuBudget(), "pool", n);
      p.sample("sutazai_pool_cpu_used_cores", "", pool.usage().cpu(), "pool", n);
      p.sample("sutazai_pool_queue_length", "", pool.queue().size(), "pool", n);
      long oldest = pool.queue().stream().mapToLong(PoolView.QueueEntry::waitingMillis).max().orElse(0);
      p.sample("sutazai_pool_queue_oldest_wait_seconds", "", oldest / 1000.0, "pool", n);
    }
  }

  static void containers(PromText p, List<ContainerView> containers) {
    Map<String, Integer> byStatus = new TreeMap<>();
    p.family("sutazai_container_cpu_usage_ratio", "gauge", "Container CPU use, fraction of one core");
    p.family("sutazai_container_memory_usage_bytes", "gauge", "Container memory in use");
    p.family("sutazai_container_memory_limit_bytes", "gauge", "Container memory limit");
    p.family("sutazai_container_restarts_total", "counter", "Container restarts counted by the supervisor");
    p.family("sutazai_container_healthy", "gauge", "1 when the container passes its health probe");
    for (ContainerView c : containers.stream().sorted(Comparator.comparing(ContainerView::name)).toList()) {
      String[] l = {"container", c.name(), "agent", c.agent()};
      byStatus.merge(c.status() + "\u0000" + c.health(), 1, Integer::sum);
      if (c.cpuRatio() != null) {
        p.sample("sutazai_container_cpu_usage_ratio", "", c.cpuRatio(), l);
      }
      if (c.memoryUsageBytes() != null) {
        p.sample("sutazai_container_memory_usage_bytes", "", c.memoryUsageBytes(), l);
      }
      if (c.memoryLimitBytes() != null) {
        p.sample("sutazai_container_memory_limit_bytes", "", c.memoryLimitBytes(), l);
      }
      p.sample("sutazai_container_restarts_total", "", c.restarts(), l);
      p.sample("sutazai_container_healthy", "", "healthy".equals(c.health()) ? 1 : 0, l);
    }
    p.family("sutazai_containers", "gauge", "Managed containers by Docker status and health");
    byStatus.forEach((k, n) -> {
      String[] sh = k.split("\u0000", 2);
      p.sample("sutazai_containers", "", n, "status", sh[0], "health", sh[1]);
    });
  }

  static void workers(PromText p, List<WorkerView> workers) {
    p.family("sutazai_worker_up", "gauge", "1 when the Ollama worker passed its last health check");
    p.family("sutazai_worker_circuit_state", "gauge", "1 for the circuit breaker state each worker is in");
    p.family("sutazai_worker_in_flight_requests", "gauge", "Requests a worker is serving now");
    p.family("sutazai_worker_loaded_models", "gauge", "Models loaded on a worker");
    p.family("sutazai_worker_model_loaded", "gauge", "1 for each model loaded on a worker");
    p.family("sutazai_worker_requests_total", "counter", "Requests routed to a worker");
    p.family("sutazai_worker_failures_total", "counter", "Requests to a worker that failed");
    for (WorkerView w : workers.stream().sorted(Comparator.comparing(WorkerView::name)).toList()) {
      String n = w.name();
      p.sample("sutazai_worker_up", "", w.healthy() ? 1 : 0, "worker", n, "simulated", Boolean.toString(w.simulated()));
      for (String st : List.of("CLOSED", "OPEN", "HALF_OPEN")) {
        p.sample("sutazai_worker_circuit_state", "", st.equals(w.circuit()) ? 1 : 0, "worker", n, "state", st);
      }
      p.sample("sutazai_worker_in_flight_requests", "", w.inFlight(), "worker", n);
      p.sample("sutazai_worker_loaded_models", "", w.loadedModels().size(), "worker", n);
      for (String m : w.loadedModels()) {
        p.sample("sutazai_worker_model_loaded", "", 1, "worker", n, "model", m);
      }
      p.sample("sutazai_worker_requests_total", "", w.requestsTotal(), "worker", n);
      p.sample("sutazai_worker_failures_total", "", w.failuresTotal(), "worker", n);
    }
  }

  static void alerts(PromText p, List<AlertView> alerts) {
    p.family("sutazai_alerts_firing", "gauge", "Alerts firing now, by severity");
    long warning = alerts.stream().filter(a -> "warning".equals(a.severity())).count();
    long critical = alerts.stream().filter(a -> "critical".equals(a.severity())).count();
    p.sample("sutazai_alerts_firing", "", warning, "severity", "warning");
    p.sample("sutazai_alerts_firing", "", critical, "severity", "critical");
    p.family("sutazai_alert_firing", "gauge", "1 for each alert firing now");
    for (AlertView a : alerts.stream().sorted(Comparator.comparing(AlertView::rule)
        .thenComparing(AlertView::subject)).toList()) {
      p.sample("sutazai_alert_firing", "", 1, "rule", a.rule(), "severity", a.severity(), "subject", a.subject());
    }
  }
}
