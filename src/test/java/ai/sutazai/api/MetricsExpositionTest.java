package ai.sutazai.api;

import static ai.sutazai.api.TestServer.VIEWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** /metrics: valid text format 0.0.4, and every metric Grafana and the alert rules use is really exposed. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsExpositionTest {
  private static final Pattern METRIC = Pattern.compile("\\bsutazai_[a-zA-Z0-9_]+");
  private static final Pattern SAMPLE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"(\\\\.|[^\"\\\\])*\",?)*})? (NaN|[+-]Inf|-?[0-9.eE+-]+)");
  /** The alert rules' metrics (conf/prometheus/alerts.yml belongs to the metrics room). */
  private static final List<String> ALERT_METRICS = List.of("sutazai_host_memory_utilisation_ratio", "sutazai_host_load1",
      "sutazai_container_health_rate_ratio");

  private TestServer s;
  private String text;
  private Set<String> exposed;

  @BeforeAll
  void scrape() throws Exception {
    s = new TestServer();
    // The rooms that register their own metrics when they first work: a journalled decision, the journal's health.
    ai.sutazai.metrics.DecisionLatency.get(s.system).recordRequest(2_000_000);
    ai.sutazai.common.JournalHealth.get(s.system);
    s.get("/api/v1/agents", VIEWER);
    s.get("/api/v1/nothing", VIEWER);
    var r = s.get("/metrics", null);
    assertEquals(200, r.statusCode());
    assertEquals("text/plain; version=0.0.4; charset=UTF-8",
        r.headers().firstValue("Content-Type").orElse("").replace("utf-8", "UTF-8"));
    text = r.body();
    exposed = new HashSet<>();
    for (String line : text.split("\n")) {
      if (!line.startsWith("#") && !line.isEmpty()) {
        exposed.add(line.split("[{ ]", 2)[0]);
      }
    }
  }

  @AfterAll
  void stop() throws Exception {
    s.close();
  }

  @Test
  void isValidTextFormat() {
    Map<String, String> types = new HashMap<>();
    Set<String> helped = new HashSet<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# HELP ")) {
        assertTrue(helped.add(line.split(" ")[2]), "HELP twice: " + line);
      } else if (line.startsWith("# TYPE ")) {
        String[] p = line.split(" ");
        assertTrue(types.put(p[2], p[3]) == null, "TYPE twice: " + line);
        assertTrue(Set.of("gauge", "counter", "summary", "histogram").contains(p[3]), line);
        assertTrue(p[2].startsWith("sutazai_") || p[2].startsWith("jvm_") || p[2].startsWith("process_"), line);
        if (p[3].equals("counter")) {
          assertTrue(p[2].endsWith("_total"), "counters end in _total: " + line);
        }
      } else {
        assertTrue(SAMPLE.matcher(line).matches(), "not a sample line: " + line);
        String name = line.split("[{ ]", 2)[0];
        String family = types.containsKey(name) ? name : name.replaceAll("_(bucket|sum|count)$", "");
        assertTrue(types.containsKey(family), "sample before its TYPE: " + line);
      }
    }
    assertTrue(text.endsWith("\n"));
  }

  @Test
  void exposesEveryRoom() {
    for (String m : List.of("sutazai_host_cpu_utilisation_ratio", "sutazai_containers", "sutazai_agents",
        "sutazai_pool_queue_length", "sutazai_worker_in_flight_requests", "sutazai_worker_model_loaded",
        "sutazai_alerts_firing", "sutazai_journal_write_duration_seconds_count", "sutazai_journal_failures_total",
        "sutazai_http_request_duration_seconds_bucket", "sutazai_inference_request_duration_seconds_bucket",
        "sutazai_inference_time_to_first_token_seconds_bucket", "sutazai_inference_queue_depth",
        "sutazai_inference_rejected_requests_total", "sutazai_inference_generated_tokens_total",
        "jvm_memory_used_bytes", "jvm_threads_current", "process_cpu_seconds_total")) {
      assertTrue(exposed.contains(m), m + " missing");
    }
    assertTrue(text.contains("sutazai_agents{state=\"CRASH_LOOP\"} 1"), "agents by state");
    assertTrue(text.contains("sutazai_worker_up{simulated=\"true\",worker=\"sim-1\"} 1"));
    assertTrue(text.contains("code=\"200\",method=\"GET\",route=\"/api/v1/agents\""), "own HTTP latency by route template");
    assertTrue(text.contains("code=\"404\",method=\"GET\",route=\"other\""), "unknown paths do not become label values");
  }

  @Test
  void everyMetricOfTheGrafanaDashboardAndAlertRulesIsExposed() throws Exception {
    Set<String> wanted = new TreeSet<>(ALERT_METRICS);
    JsonNode dashboard = Json.MAPPER.readTree(Path.of("conf/grafana/sutazai-performance.json").toFile());
    List<String> exprs = new ArrayList<>();
    dashboard.findValues("expr").forEach(e -> exprs.add(e.asText()));
    assertTrue(exprs.size() > 30, "the dashboard has its panels");
    Path alerts = Path.of("conf/prometheus/alerts.yml");
    if (Files.exists(alerts)) {
      for (String line : Files.readAllLines(alerts)) {
        if (line.trim().startsWith("expr:")) {
          exprs.add(line);
        }
      }
    }
    for (String expr : exprs) {
      Matcher m = METRIC.matcher(expr);
      while (m.find()) {
        wanted.add(m.group());
      }
    }
    // Registered by the metrics collector (no collector behind this test server): checked against a live daemon.
    wanted.removeIf(n -> n.startsWith("sutazai_agent_response_time_seconds"));
    List<String> missing = wanted.stream().filter(n -> !exposed.contains(n)).toList();
    assertEquals(List.of(), missing, "named by Grafana/alert rules but not exposed by /metrics");
  }

  @Test
  void prometheusAndGrafanaProvisioningFilesAreValidYaml() throws Exception {
    var yaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
    JsonNode prom = yaml.readTree(Path.of("conf/prometheus/prometheus.yml").toFile());
    assertEquals("/metrics", prom.at("/scrape_configs/0/metrics_path").asText());
    assertEquals("127.0.0.1:8080", prom.at("/scrape_configs/0/static_configs/0/targets/0").asText());
    assertEquals("alerts.yml", prom.at("/rule_files/0").asText());
    JsonNode ds = yaml.readTree(Path.of("conf/grafana/provisioning/datasources/sutazai.yaml").toFile());
    assertEquals("prometheus", ds.at("/datasources/0/type").asText());
    JsonNode dashboards = yaml.readTree(Path.of("conf/grafana/provisioning/dashboards/sutazai.yaml").toFile());
    assertEquals("file", dashboards.at("/providers/0/type").asText());
  }

  @Test
  void grafanaDashboardCoversTheSeedsSections() throws Exception {
    JsonNode dashboard = Json.MAPPER.readTree(Path.of("conf/grafana/sutazai-performance.json").toFile());
    assertEquals("sutazai-performance", dashboard.get("uid").asText());
    List<String> rows = new ArrayList<>();
    dashboard.get("panels").forEach(p -> {
      if (p.get("type").asText().equals("row")) {
        rows.add(p.get("title").asText());
      }
    });
    assertTrue(rows.containsAll(List.of("System resources", "Container health overview", "Agent performance",
        "Workers and queues", "Capacity forecast", "Alerts")), rows.toString());
    String datasource = Files.readString(Path.of("conf/grafana/provisioning/datasources/sutazai.yaml"));
    dashboard.findValues("datasource").forEach(d -> {
      if (d.has("uid") && d.get("type").asText().equals("prometheus")) {
        assertTrue(datasource.contains("uid: " + d.get("uid").asText()), "provisioned datasource uid");
      }
    });
  }
}
