package ai.sutazai.api;

import ai.sutazai.api.view.AgentState;
import ai.sutazai.api.view.AgentView;
import ai.sutazai.api.view.AlertView;
import ai.sutazai.api.view.ContainerView;
import ai.sutazai.api.view.PoolView;
import ai.sutazai.api.view.Telemetry;
import ai.sutazai.api.view.WorkerView;
import ai.sutazai.common.Version;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * {@code /metrics} through the Prometheus client library: the views a scrape collected ({@link Scrape}) are
 * exposed by callback metrics registered once in the system's registry, beside what the rooms register
 * themselves (HTTP, journal, collector, agent front, router gateway) and the library's {@code jvm_*} and
 * {@code process_*}. A section the backend could not answer is left out and reported by
 * {@code sutazai_scrape_section_up{section}} = 0, so one slow room never empties the whole scrape.
 *
 * <p>Hazard: callbacks read the scrape being written; scrapes are serialised on this object.
 */
final class MetricsExposition {
  private final PrometheusRegistry registry;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  /** The scrape being written; guarded by this object's lock. */
  private Scrape current;

  private MetricsExposition(PrometheusRegistry registry) {
    this.registry = registry;
    register(registry);
  }

  /** The exposition of {@code metrics}' registry: one per registry, since its callbacks are registered once. */
  static MetricsExposition of(ai.sutazai.common.MetricsRegistry metrics) {
    return metrics.once("sutazai_scrape_views", MetricsExposition::new);
  }

  /** The text exposition (format 0.0.4) of everything registered, with {@code s}'s views. */
  synchronized byte[] render(Scrape s) {
    current = s;
    try {
      MetricSnapshots snapshots = registry.scrape();
      ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
      writer.write(out, snapshots);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      current = null;
    }
  }

  String contentType() {
    return writer.getContentType();
  }

  // ---- registration (once per registry; callbacks read `current`) ----

  private void register(PrometheusRegistry r) {
    Info.builder().name("sutazai_build_info").help("Build of this supervisor").labelNames("version").register(r)
        .setLabelValues(Version.current());
    gauge(r, "sutazai_scrape_section_up", "1 when the supervisor answered this section of the scrape", s -> s,
        (s, cb) -> {
          cb.call(s.telemetry() != null ? 1 : 0, "telemetry");
          cb.call(s.agents() != null ? 1 : 0, "agents");
          cb.call(s.pools() != null ? 1 : 0, "pools");
          cb.call(s.containers() != null ? 1 : 0, "containers");
          cb.call(s.workers() != null ? 1 : 0, "workers");
          cb.call(s.alerts() != null ? 1 : 0, "alerts");
        }, "section");
    host(r);
    agents(r);
    pools(r);
    containers(r);
    workers(r);
    alerts(r);
    inference(r);
  }

  private void host(PrometheusRegistry r) {
    Function<Scrape, Telemetry> t = Scrape::telemetry;
    hostGauge(r, "sutazai_host_cpu_utilisation_ratio", "Host CPU utilisation, 0-1", h -> h.cpuRatio());
    hostGauge(r, "sutazai_host_memory_utilisation_ratio", "Host memory utilisation, 0-1", h -> h.memoryRatio());
    hostGauge(r, "sutazai_host_memory_used_bytes", "Host memory in use, bytes", h -> (double) h.memoryUsedBytes());
    hostGauge(r, "sutazai_host_memory_total_bytes", "Host memory, bytes", h -> (double) h.memoryTotalBytes());
    hostGauge(r, "sutazai_host_load1", "Host 1-minute load average", h -> h.load1());
    hostGauge(r, "sutazai_host_load1_per_core", "Host 1-minute load average per logical CPU",
        h -> h.cpuCores() > 0 ? h.load1() / h.cpuCores() : 0);
    hostGauge(r, "sutazai_host_cpu_cores", "Host logical CPU cores", h -> (double) h.cpuCores());
    hostGauge(r, "sutazai_container_health_rate_ratio", "Healthy fraction of managed running containers, 0-1",
        h -> h.containerHealthRatio());
    gauge(r, "sutazai_alert_threshold_ratio", "Alert threshold in force on a ratio metric, 0-1", t, (te, cb) -> {
      var th = te.thresholds();
      if (th != null) {
        cb.call(th.memoryWarningRatio(), "sutazai_host_memory_utilisation_ratio", "warning");
        cb.call(th.memoryCriticalRatio(), "sutazai_host_memory_utilisation_ratio", "critical");
        cb.call(th.healthRateWarningRatio(), "sutazai_container_health_rate_ratio", "warning");
        cb.call(th.healthRateCriticalRatio(), "sutazai_container_health_rate_ratio", "critical");
      }
    }, "metric", "severity");
    gauge(r, "sutazai_alert_threshold_load1", "Alert threshold in force on the 1-minute load average", t, (te, cb) -> {
      var th = te.thresholds();
      if (th != null) {
        cb.call(th.load1Warning(), "warning");
        cb.call(th.load1Critical(), "critical");
      }
    }, "severity");
    gauge(r, "sutazai_alert_threshold_seconds", "Alert threshold in force on a duration metric's 95th percentile, seconds",
        t, (te, cb) -> {
          var th = te.thresholds();
          if (th != null) {
            cb.call(th.responseTimeWarningSeconds(), "sutazai_agent_response_time_seconds", "warning");
            cb.call(th.responseTimeCriticalSeconds(), "sutazai_agent_response_time_seconds", "critical");
          }
        }, "metric", "severity");
  }

  private void hostGauge(PrometheusRegistry r, String name, String help,
      Function<ai.sutazai.api.view.HostSample, Double> value) {
    gauge(r, name, help, s -> s.telemetry() == null ? null : s.telemetry().host(), (h, cb) -> cb.call(value.apply(h)));
  }

  private void agents(PrometheusRegistry r) {
    Function<Scrape, List<AgentView>> a = Scrape::agents;
    gauge(r, "sutazai_agent_state", "1 for the state each agent is in", a,
        (as, cb) -> as.forEach(x -> cb.call(1, x.name(), x.pool(), x.state().name())), "agent", "pool", "state");
    counter(r, "sutazai_agent_restarts_total", "Restarts of an agent's container since the supervisor started", a,
        (as, cb) -> as.forEach(x -> cb.call(x.restarts(), x.name(), x.pool())), "agent", "pool");
    gauge(r, "sutazai_agent_memory_request_bytes", "Memory an agent requests, bytes", a,
        (as, cb) -> as.forEach(x -> cb.call(x.memoryRequestBytes(), x.name(), x.pool())), "agent", "pool");
    gauge(r, "sutazai_agent_cpu_request_cores", "CPU an agent requests, cores", a,
        (as, cb) -> as.forEach(x -> cb.call(x.cpuRequest(), x.name(), x.pool())), "agent", "pool");
    gauge(r, "sutazai_agent_queue_position", "Position of a queued agent in its pool's activation queue", a,
        (as, cb) -> as.stream().filter(x -> x.queuePosition() != null)
            .forEach(x -> cb.call(x.queuePosition(), x.name(), x.pool())), "agent", "pool");
    gauge(r, "sutazai_agents", "Agents by lifecycle state", a, (as, cb) -> {
      Map<AgentState, Integer> byState = new EnumMap<>(AgentState.class);
      for (AgentState st : AgentState.values()) {
        byState.put(st, 0);
      }
      as.forEach(x -> byState.merge(x.state(), 1, Integer::sum));
      byState.forEach((st, n) -> cb.call(n, st.name()));
    }, "state");
    gauge(r, "sutazai_fleet_memory_request_bytes", "Memory all agents of the fleet request if all were active, bytes", a,
        (as, cb) -> cb.call(as.stream().mapToLong(AgentView::memoryRequestBytes).sum()));
    gauge(r, "sutazai_fleet_cpu_request_cores", "CPU all agents of the fleet request if all were active, cores", a,
        (as, cb) -> cb.call(as.stream().mapToDouble(AgentView::cpuRequest).sum()));
  }

  private void pools(PrometheusRegistry r) {
    poolGauge(r, "sutazai_pool_max_active_agents", "Quota: most agents active at once", p -> p.quota().maxActive());
    poolGauge(r, "sutazai_pool_min_active_agents", "Quota: agents never scaled to zero", p -> p.quota().minActive());
    poolGauge(r, "sutazai_pool_active_agents", "Agents counted against the pool's quota", p -> p.usage().active());
    poolGauge(r, "sutazai_pool_memory_budget_bytes", "Quota: memory budget, bytes", p -> p.quota().memoryBudgetBytes());
    poolGauge(r, "sutazai_pool_memory_used_bytes", "Memory counted against the pool's budget for its active agents (requests, or right-sized limits), bytes",
        p -> p.usage().memoryBytes());
    poolGauge(r, "sutazai_pool_cpu_budget_cores", "Quota: CPU budget, cores", p -> p.quota().cpuBudget());
    poolGauge(r, "sutazai_pool_cpu_used_cores", "CPU counted against the pool's budget for its active agents (requests, or right-sized limits), cores", p -> p.usage().cpu());
    poolGauge(r, "sutazai_pool_queue_length", "Activations waiting in the pool's queue", p -> p.queue().size());
    poolGauge(r, "sutazai_pool_queue_oldest_wait_seconds", "How long the oldest queued activation has waited, seconds",
        p -> p.queue().stream().mapToLong(PoolView.QueueEntry::waitingMillis).max().orElse(0) / 1000.0);
  }

  private void poolGauge(PrometheusRegistry r, String name, String help, Function<PoolView, Number> value) {
    gauge(r, name, help, Scrape::pools,
        (ps, cb) -> ps.forEach(p -> cb.call(value.apply(p).doubleValue(), p.name())), "pool");
  }

  private void containers(PrometheusRegistry r) {
    Function<Scrape, List<ContainerView>> c = Scrape::containers;
    String[] l = {"container", "agent"};
    counter(r, "sutazai_container_cpu_seconds_total", "CPU time a container has used since it started, seconds "
        + "(the engine's cumulative counter; rate() gives cores busy)", c,
        (cs, cb) -> cs.stream().filter(x -> x.cpuSecondsTotal() != null)
            .forEach(x -> cb.call(x.cpuSecondsTotal(), x.name(), x.agent())), l);
    gauge(r, "sutazai_container_memory_usage_bytes", "Container memory in use, bytes", c,
        (cs, cb) -> cs.stream().filter(x -> x.memoryUsageBytes() != null)
            .forEach(x -> cb.call(x.memoryUsageBytes(), x.name(), x.agent())), l);
    gauge(r, "sutazai_container_memory_limit_bytes", "Container memory limit, bytes", c,
        (cs, cb) -> cs.stream().filter(x -> x.memoryLimitBytes() != null)
            .forEach(x -> cb.call(x.memoryLimitBytes(), x.name(), x.agent())), l);
    counter(r, "sutazai_container_restarts_total", "Container restarts counted by the engine", c,
        (cs, cb) -> cs.forEach(x -> cb.call(x.restarts(), x.name(), x.agent())), l);
    gauge(r, "sutazai_container_healthy", "1 when the container passes its health probe", c,
        (cs, cb) -> cs.forEach(x -> cb.call("healthy".equals(x.health()) ? 1 : 0, x.name(), x.agent())), l);
    gauge(r, "sutazai_containers", "Managed containers by Docker status and health", c, (cs, cb) -> {
      Map<List<String>, Integer> by = new TreeMap<>((x, y) -> (x.get(0) + "\u0000" + x.get(1)).compareTo(y.get(0) + "\u0000" + y.get(1)));
      cs.forEach(x -> by.merge(List.of(String.valueOf(x.status()), String.valueOf(x.health())), 1, Integer::sum));
      by.forEach((k, n) -> cb.call(n, k.get(0), k.get(1)));
    }, "status", "health");
  }

  private void workers(PrometheusRegistry r) {
    Function<Scrape, List<WorkerView>> w = Scrape::workers;
    gauge(r, "sutazai_worker_up", "1 when the Ollama worker passed its last health check", w,
        (ws, cb) -> ws.forEach(x -> cb.call(x.healthy() ? 1 : 0, x.name(), Boolean.toString(x.simulated()))),
        "worker", "simulated");
    gauge(r, "sutazai_worker_circuit_state", "1 for the circuit breaker state each worker is in", w,
        (ws, cb) -> ws.forEach(x -> {
          for (String st : List.of("CLOSED", "OPEN", "HALF_OPEN")) {
            cb.call(st.equals(x.circuit()) ? 1 : 0, x.name(), st);
          }
        }), "worker", "state");
    gauge(r, "sutazai_worker_in_flight_requests", "Requests a worker is serving now", w,
        (ws, cb) -> ws.forEach(x -> cb.call(x.inFlight(), x.name())), "worker");
    gauge(r, "sutazai_worker_loaded_models", "Models loaded on a worker", w,
        (ws, cb) -> ws.forEach(x -> cb.call(x.loadedModels().size(), x.name())), "worker");
    gauge(r, "sutazai_worker_model_loaded", "1 for each model loaded on a worker", w,
        (ws, cb) -> ws.forEach(x -> x.loadedModels().forEach(m -> cb.call(1, x.name(), m))), "worker", "model");
    counter(r, "sutazai_worker_requests_total", "Requests routed to a worker", w,
        (ws, cb) -> ws.forEach(x -> cb.call(x.requestsTotal(), x.name())), "worker");
    counter(r, "sutazai_worker_failures_total", "Requests to a worker that failed", w,
        (ws, cb) -> ws.forEach(x -> cb.call(x.failuresTotal(), x.name())), "worker");
  }

  private void alerts(PrometheusRegistry r) {
    Function<Scrape, List<AlertView>> a = Scrape::alerts;
    gauge(r, "sutazai_alerts_firing", "Alerts firing now, by severity", a, (as, cb) -> {
      cb.call(as.stream().filter(x -> "warning".equals(x.severity())).count(), "warning");
      cb.call(as.stream().filter(x -> "critical".equals(x.severity())).count(), "critical");
    }, "severity");
    gauge(r, "sutazai_alert_firing", "1 for each alert firing now", a,
        (as, cb) -> as.forEach(x -> cb.call(1, x.rule(), x.severity(), x.subject())), "rule", "severity", "subject");
  }

  private void inference(PrometheusRegistry r) {
    Function<Scrape, List<Telemetry.InferenceModel>> i = s -> s.telemetry() == null ? null : s.telemetry().inference();
    gauge(r, "sutazai_inference_queue_depth", "Requests waiting in the router's queue, by model", i,
        (ms, cb) -> ms.forEach(m -> cb.call(m.queueDepth(), m.model())), "model");
    counter(r, "sutazai_inference_rejected_requests_total", "Inference requests refused with 503 (queue full or deadline passed)",
        i, (ms, cb) -> ms.forEach(m -> cb.call(m.rejected(), m.model())), "model");
    counter(r, "sutazai_inference_generated_tokens_total", "Tokens the workers reported generating (eval_count)", i,
        (ms, cb) -> ms.forEach(m -> cb.call(m.generatedTokens(), m.model())), "model");
    counter(r, "sutazai_inference_generation_seconds_total",
        "Time the workers reported generating tokens (eval_duration), seconds; tokens/s = rate(tokens)/rate(this)", i,
        (ms, cb) -> ms.forEach(m -> cb.call(m.generationSeconds(), m.model())), "model");
    r.register(new RouterHistograms());
  }

  /** The router's latency histograms per model, kept by the router as bucket counts (callbacks over its view). */
  private final class RouterHistograms implements MultiCollector {
    @Override
    public MetricSnapshots collect() {
      Scrape s = current;
      List<Telemetry.InferenceModel> models = s == null || s.telemetry() == null ? List.of() : s.telemetry().inference();
      return new MetricSnapshots(
          histogram("sutazai_inference_request_duration_seconds", "Inference request latency through the router, by model",
              models, Telemetry.InferenceModel::latencyBuckets, Telemetry.InferenceModel::latencySumSeconds),
          histogram("sutazai_inference_time_to_first_token_seconds",
              "Time from an inference request to the first byte of its answer, by model",
              models, Telemetry.InferenceModel::firstTokenBuckets, Telemetry.InferenceModel::firstTokenSumSeconds));
    }

    @Override
    public List<String> getPrometheusNames() {
      return List.of("sutazai_inference_request_duration_seconds", "sutazai_inference_time_to_first_token_seconds");
    }

    private HistogramSnapshot histogram(String name, String help, List<Telemetry.InferenceModel> models,
        Function<Telemetry.InferenceModel, List<Long>> buckets, Function<Telemetry.InferenceModel, Double> sum) {
      HistogramSnapshot.Builder b = HistogramSnapshot.builder().name(name).help(help);
      for (Telemetry.InferenceModel m : models) {
        double[] bounds = m.upperBoundsSeconds().stream().mapToDouble(Double::doubleValue).toArray();
        long[] counts = buckets.apply(m).stream().mapToLong(Long::longValue).toArray();
        b.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
            .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts)).sum(sum.apply(m))
            .labels(Labels.of("model", m.model())).build());
      }
      return b.build();
    }
  }

  // ---- helpers: a callback over one section of the current scrape; nothing when it is missing ----

  private <T> void gauge(PrometheusRegistry r, String name, String help, Function<Scrape, T> section,
      BiConsumer<T, GaugeWithCallback.Callback> values, String... labels) {
    GaugeWithCallback.builder().name(name).help(help).labelNames(labels).callback(cb -> {
      T v = current == null ? null : section.apply(current);
      if (v != null) {
        values.accept(v, cb);
      }
    }).register(r);
  }

  private <T> void counter(PrometheusRegistry r, String name, String help, Function<Scrape, T> section,
      BiConsumer<T, CounterWithCallback.Callback> values, String... labels) {
    CounterWithCallback.builder().name(name).help(help).labelNames(labels).callback(cb -> {
      T v = current == null ? null : section.apply(current);
      if (v != null) {
        values.accept(v, cb);
      }
    }).register(r);
  }
}
