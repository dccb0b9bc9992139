package ai.sutazai.api;

import ai.sutazai.common.Version;
import ai.sutazai.api.view.AgentState;
import ai.sutazai.api.view.AgentView;
import ai.sutazai.api.view.LatencySummary;
import ai.sutazai.api.view.Telemetry;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders {@code /metrics} from a {@link Scrape}: each section the backend answered, plus the server's
 * own HTTP latencies and the JVM. A section the backend could not answer is left out and reported by
 * {@code sutazai_scrape_section_up{section}} = 0, so one slow room never empties the whole scrape.
 */
final class PrometheusExporter {
  private final HttpMetrics http;

  PrometheusExporter(HttpMetrics http) {
    this.http = http;
  }

  String render(Scrape s) {
    PromText p = new PromText();
    p.gauge("sutazai_build_info", "Build of this supervisor (value is always 1)", 1, "version", Version.current());
    p.family("sutazai_scrape_section_up", "gauge", "1 when the supervisor answered this section of the scrape");
    section(p, "telemetry", s.telemetry() != null);
    section(p, "agents", s.agents() != null);
    section(p, "pools", s.pools() != null);
    section(p, "containers", s.containers() != null);
    section(p, "workers", s.workers() != null);
    section(p, "alerts", s.alerts() != null);
    if (s.telemetry() != null) {
      telemetry(p, s.telemetry());
    }
    if (s.agents() != null) {
      agents(p, s.agents());
    }
    if (s.pools() != null) {
      FleetMetrics.pools(p, s.pools());
    }
    if (s.containers() != null) {
      FleetMetrics.containers(p, s.containers());
    }
    if (s.workers() != null) {
      FleetMetrics.workers(p, s.workers());
    }
    if (s.alerts() != null) {
      FleetMetrics.alerts(p, s.alerts());
    }
    http(p);
    jvm(p);
    return p.render();
  }

  private static void section(PromText p, String name, boolean up) {
    p.sample("sutazai_scrape_section_up", "", up ? 1 : 0, "section", name);
  }

  private static void telemetry(PromText p, Telemetry t) {
    if (t.host() != null) {
      var h = t.host();
      p.gauge("sutazai_host_cpu_utilisation_ratio", "Host CPU utilisation (0-1)", h.cpuRatio());
      p.gauge("sutazai_host_memory_utilisation_ratio", "Host memory utilisation (0-1)", h.memoryRatio());
      p.gauge("sutazai_host_memory_used_bytes", "Host memory in use", h.memoryUsedBytes());
      p.gauge("sutazai_host_memory_total_bytes", "Host memory", h.memoryTotalBytes());
      p.gauge("sutazai_host_load1", "Host 1-minute load average", h.load1());
      p.gauge("sutazai_host_load1_per_core", "Host 1-minute load average per logical CPU",
          h.cpuCores() > 0 ? h.load1() / h.cpuCores() : 0);
      p.gauge("sutazai_host_cpu_cores", "Host logical CPU cores", h.cpuCores());
      p.gauge("sutazai_container_health_rate_ratio", "Healthy fraction of managed running containers (0-1)",
          h.containerHealthRatio());
    }
    var th = t.thresholds();
    if (th != null) {
      String n = "sutazai_alert_threshold";
      p.family(n, "gauge", "Alert threshold in force, in the unit of the metric it applies to");
      p.sample(n, "", th.memoryWarningRatio(), "metric", "sutazai_host_memory_utilisation_ratio", "severity", "warning");
      p.sample(n, "", th.memoryCriticalRatio(), "metric", "sutazai_host_memory_utilisation_ratio", "severity", "critical");
      p.sample(n, "", th.load1Warning(), "metric", "sutazai_host_load1", "severity", "warning");
      p.sample(n, "", th.load1Critical(), "metric", "sutazai_host_load1", "severity", "critical");
      p.sample(n, "", th.healthRateWarningRatio(), "metric", "sutazai_container_health_rate_ratio", "severity", "warning");
      p.sample(n, "", th.healthRateCriticalRatio(), "metric", "sutazai_container_health_rate_ratio", "severity", "critical");
      p.sample(n, "", th.responseTimeWarningSeconds(), "metric", "sutazai_agent_response_time_p95_seconds", "severity", "warning");
      p.sample(n, "", th.responseTimeCriticalSeconds(), "metric", "sutazai_agent_response_time_p95_seconds", "severity", "critical");
    }
    String rt = "sutazai_agent_response_time_seconds";
    p.family(rt, "summary", "Agent response times (recent quantiles; sum and count since start)");
    p.family("sutazai_agent_response_time_p95_seconds", "gauge", "95th percentile of an agent's recent response times");
    for (var e : new TreeMap<>(t.agentResponseTimes()).entrySet()) {
      summary(p, rt, e.getValue(), "agent", e.getKey());
      p.sample("sutazai_agent_response_time_p95_seconds", "", e.getValue().p95Seconds(), "agent", e.getKey());
    }
    String jw = "sutazai_journal_write_duration_seconds";
    p.family(jw, "summary", "Journal write latency of the pools' scaling decisions (handling to journalled), over the most recent decisions");
    summary(p, jw, t.journalWrites() == null ? LatencySummary.EMPTY : t.journalWrites());
    p.family("sutazai_journal_write_failures_total", "counter", "Event journal writes that failed")
        .sample("sutazai_journal_write_failures_total", "", t.journalFailuresTotal());
    String inf = "sutazai_inference_request_duration_seconds";
    p.family(inf, "summary", "Inference request latency through the router, by model");
    for (var e : new TreeMap<>(t.inferenceRequests()).entrySet()) {
      summary(p, inf, e.getValue(), "model", e.getKey());
    }
  }

  static void summary(PromText p, String name, LatencySummary s, String... labels) {
    p.sample(name, "", s.p50Seconds(), with(labels, "quantile", "0.5"));
    p.sample(name, "", s.p95Seconds(), with(labels, "quantile", "0.95"));
    p.sample(name, "", s.p99Seconds(), with(labels, "quantile", "0.99"));
    p.sample(name, "_sum", s.sumSeconds(), labels);
    p.sample(name, "_count", s.count(), labels);
  }

  static String[] with(String[] labels, String k, String v) {
    String[] out = java.util.Arrays.copyOf(labels, labels.length + 2);
    out[labels.length] = k;
    out[labels.length + 1] = v;
    return out;
  }

  private static void agents(PromText p, List<AgentView> agents) {
    Map<AgentState, Integer> byState = new EnumMap<>(AgentState.class);
    for (AgentState st : AgentState.values()) {
      byState.put(st, 0);
    }
    p.family("sutazai_agent_state", "gauge", "1 for the state each agent is in");
    p.family("sutazai_agent_restarts_total", "counter", "Restarts of an agent's container since the supervisor started");
    p.family("sutazai_agent_memory_request_bytes", "gauge", "Memory an agent requests");
    p.family("sutazai_agent_cpu_request_cores", "gauge", "CPU an agent requests, cores");
    p.family("sutazai_agent_queue_position", "gauge", "Position of a queued agent in its pool's activation queue");
    long memory = 0;
    double cpu = 0;
    for (AgentView a : agents.stream().sorted(java.util.Comparator.comparing(AgentView::name)).toList()) {
      byState.merge(a.state(), 1, Integer::sum);
      p.sample("sutazai_agent_state", "", 1, "agent", a.name(), "pool", a.pool(), "state", a.state().name());
      p.sample("sutazai_agent_restarts_total", "", a.restarts(), "agent", a.name(), "pool", a.pool());
      p.sample("sutazai_agent_memory_request_bytes", "", a.memoryRequestBytes(), "agent", a.name(), "pool", a.pool());
      p.sample("sutazai_agent_cpu_request_cores", "", a.cpuRequest(), "agent", a.name(), "pool", a.pool());
      if (a.queuePosition() != null) {
        p.sample("sutazai_agent_queue_position", "", a.queuePosition(), "agent", a.name(), "pool", a.pool());
      }
      memory += a.memoryRequestBytes();
      cpu += a.cpuRequest();
    }
    p.family("sutazai_agents", "gauge", "Agents by lifecycle state");
    byState.forEach((st, n) -> p.sample("sutazai_agents", "", n, "state", st.name()));
    p.gauge("sutazai_fleet_memory_request_bytes", "Memory all agents of the fleet request if all were active", memory);
    p.gauge("sutazai_fleet_cpu_request_cores", "CPU all agents of the fleet request if all were active, cores", cpu);
  }

  private void http(PromText p) {
    String n = "sutazai_http_request_duration_seconds";
    p.family(n, "histogram", "Management API request latency, by method, route template and status code");
    var snap = new TreeMap<HttpMetrics.Key, HttpMetrics.Series>(java.util.Comparator
        .comparing(HttpMetrics.Key::route).thenComparing(HttpMetrics.Key::method).thenComparingInt(HttpMetrics.Key::code));
    snap.putAll(http.snapshot());
    snap.forEach((k, s) -> {
      String[] labels = {"method", k.method(), "route", k.route(), "code", Integer.toString(k.code())};
      for (int i = 0; i < HttpMetrics.BUCKETS_SECONDS.length; i++) {
        p.sample(n, "_bucket", s.buckets[i].sum(), with(labels, "le", PromText.format(HttpMetrics.BUCKETS_SECONDS[i])));
      }
      long count = s.count.sum();
      p.sample(n, "_bucket", count, with(labels, "le", "+Inf"));
      p.sample(n, "_sum", s.sumSeconds.sum(), labels);
      p.sample(n, "_count", count, labels);
    });
  }

  private static void jvm(PromText p) {
    var mem = ManagementFactory.getMemoryMXBean();
    p.family("sutazai_jvm_memory_used_bytes", "gauge", "JVM memory in use, by area");
    p.family("sutazai_jvm_memory_committed_bytes", "gauge", "JVM memory committed, by area");
    p.family("sutazai_jvm_memory_max_bytes", "gauge", "JVM memory limit, by area (-1 = unbounded)");
    jvmArea(p, "heap", mem.getHeapMemoryUsage());
    jvmArea(p, "nonheap", mem.getNonHeapMemoryUsage());
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    p.gauge("sutazai_jvm_threads_live", "Live JVM threads", threads.getThreadCount());
    p.gauge("sutazai_jvm_threads_daemon", "Live JVM daemon threads", threads.getDaemonThreadCount());
    p.gauge("sutazai_jvm_threads_peak", "Most JVM threads alive at once", threads.getPeakThreadCount());
    p.family("sutazai_jvm_gc_collections_total", "counter", "Garbage collections, by collector");
    p.family("sutazai_jvm_gc_collection_seconds_total", "counter", "Time spent in garbage collection, by collector");
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      p.sample("sutazai_jvm_gc_collections_total", "", Math.max(0, gc.getCollectionCount()), "gc", gc.getName());
      p.sample("sutazai_jvm_gc_collection_seconds_total", "", Math.max(0, gc.getCollectionTime()) / 1000.0, "gc", gc.getName());
    }
    p.gauge("sutazai_process_uptime_seconds", "Seconds since the JVM started",
        ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
  }

  private static void jvmArea(PromText p, String area, MemoryUsage u) {
    p.sample("sutazai_jvm_memory_used_bytes", "", u.getUsed(), "area", area);
    p.sample("sutazai_jvm_memory_committed_bytes", "", u.getCommitted(), "area", area);
    p.sample("sutazai_jvm_memory_max_bytes", "", u.getMax(), "area", area);
  }
}
