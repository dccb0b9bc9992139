package ai.sutazai.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.fleet.Sizes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnalysisReportTest {
  static final Instant NOW = Instant.parse("2026-11-27T03:00:00Z");

  private static CapacityAnalysis.Result small() {
    return CapacityAnalysis.analyze(CapacityAnalysisTest.small(), CapacityAnalysisTest.SMALL_HOST, CapacityAnalysisTest.SMALL_TARGETS);
  }

  private static ReportInputs allInputs() {
    return ReportInputs.none()
        .withHealth(new ReportInputs.HealthSummary(NOW.minus(Duration.ofHours(1)), NOW, 4, 1, 2, 0, 1, 0, 17, 1,
            List.of(new ReportInputs.AgentHealth("c", "CrashLoop", 9, 1, 80.0, "exit 137 (OOM killed)"))))
        .withUtilisation(new ReportInputs.Utilisation("b-42", NOW, Duration.ofMinutes(30),
            List.of(new ReportInputs.MetricStat("host.memory.utilisation", "%", 34.2, 41.0, 47.5, 70.0, 85.0))))
        .withForecast(new ReportInputs.Forecast(NOW, "baseline 42", List.of(new ReportInputs.ForecastLine("host.memory.used", "GiB",
            "holt", Duration.ofHours(24), 10.1, 12.3, 11.0, 13.6, Duration.ofDays(3)))));
  }

  @Test
  void markdownHasEverySectionAndSaysWhatIsMissing() {
    CapacityAnalysis.Result r = small();
    String md = MarkdownReport.render(AnalysisReport.build(r, Recommendations.of(r, Recommendations.Prices.DEFAULT),
        ReportInputs.none(), NOW));
    for (String h : List.of("# SutazAI system performance analysis", "## Summary", "## Capacity", "## Shortfall",
        "## Agents that fit, by priority", "## Container health", "## Utilisation (latest baseline)", "## Forecast",
        "## Recommendations", "### Quota", "### Hardware")) {
      assertTrue(md.contains(h + "\n"), "missing " + h + " in\n" + md);
    }
    assertTrue(md.contains("| memory | 4.0 GiB | 3.0 GiB (75 %) | 4.5 GiB |"), md);
    assertTrue(md.contains("0.5 GiB shortfall (13 % over capacity)"), md);
    assertTrue(md.contains("| 1 | a | 10 |") && md.contains("| 2 | b | 5 |"), "admitted list in order");
    assertTrue(md.contains("max-active = 2"), md);
    assertTrue(md.contains("100 % of the fleet") && md.contains("60 % concurrency"), md);
    assertTrue(md.contains(AnalysisReport.NO_HEALTH) && md.contains("run `sutazai baseline --quick`")
        && md.contains(AnalysisReport.NO_FORECAST), md);
  }

  @Test
  void suppliedInputsAreRenderedInsteadOfNoData() {
    CapacityAnalysis.Result r = small();
    Recommendations rec = Recommendations.of(r, Recommendations.Prices.DEFAULT);
    String md = MarkdownReport.render(AnalysisReport.build(r, rec, allInputs(), NOW));
    assertFalse(md.contains("no data yet"), md);
    assertTrue(md.contains("| 4 | 1 | 2 | 0 | 1 | 17 | 1 | 25 % | 75 % |"), md);
    assertTrue(md.contains("| c | CrashLoop | 9 | 1 | 80 % | exit 137 (OOM killed) |"), md);
    assertTrue(md.contains("exit 137 (OOM killed)"));
    assertTrue(md.contains("Baseline `b-42`") && md.contains("| host.memory.utilisation | % | 34.20 | 41.00 | 47.50 | 70.00 | 85.00 |"), md);
    assertTrue(md.contains("| host.memory.used | GiB | holt | 1.0 d | 10.10 | 12.30 | 11.00 – 13.60 | 3.0 d |"), md);
    assertTrue(md.contains("**Container health**: 25 % healthy"), md);
  }

  @Test
  void htmlIsSelfContainedWithSvgCharts() {
    CapacityAnalysis.Result r = small();
    Recommendations rec = Recommendations.of(r, Recommendations.Prices.DEFAULT);
    String html = HtmlReport.render(AnalysisReport.build(r, rec, allInputs(), NOW), r, allInputs());
    assertEquals(3, html.split("<svg ", -1).length - 1, "capacity, admission and health charts");
    String withoutNamespace = html.replace("http://www.w3.org/2000/svg", "");
    assertFalse(withoutNamespace.contains("http://") || withoutNamespace.contains("https://") || withoutNamespace.contains("<script"),
        "no network, no script");
    for (String id : List.of("summary", "capacity", "shortfall", "admission", "health", "utilisation", "forecast", "recommendations")) {
      assertTrue(html.contains("id=\"" + id + "\""), id);
    }
    assertTrue(html.contains("<code>sutazai analyze</code>") && html.contains("<strong>"), "inline markup converted");
    String noInputs = HtmlReport.render(AnalysisReport.build(r, rec, ReportInputs.none(), NOW), r, ReportInputs.none());
    assertEquals(2, noInputs.split("<svg ", -1).length - 1, "no health chart without health data");
    assertTrue(noInputs.contains("no data yet: run <code>sutazai baseline --quick</code>"));
  }

  @Test
  void jsonHasTheDocumentedFields() throws Exception {
    CapacityAnalysis.Result r = small();
    Recommendations rec = Recommendations.of(r, Recommendations.Prices.DEFAULT);
    JsonNode j = new ObjectMapper().readTree(JsonReport.render(r, rec, ReportInputs.none(), NOW));
    assertEquals(4 * Sizes.GIB, j.at("/host/memoryBytes").asLong());
    assertEquals(2.0, j.at("/host/cpus").asDouble());
    assertEquals("small", j.at("/fleet/name").asText());
    assertEquals(4, j.at("/fleet/agents").asInt());
    assertEquals(4 * Sizes.GIB + Sizes.GIB / 2, j.at("/fleet/memoryRequestBytes").asLong());
    assertEquals(3.75, j.at("/fleet/cpuRequest").asDouble());
    assertEquals(Sizes.GIB / 2, j.at("/shortfall/memoryBytes").asLong());
    assertEquals(12.5, j.at("/shortfall/memoryPercent").asDouble());
    assertEquals(1.75, j.at("/shortfall/cpuCores").asDouble());
    assertEquals(87.5, j.at("/shortfall/cpuPercent").asDouble());
    assertEquals(2, j.at("/maxConcurrentAgents").asInt());
    assertEquals("a", j.at("/admitted/0/name").asText());
    assertEquals(2, j.at("/recommendations/quota/maxActive").asInt());
    assertTrue(j.get("health").isNull());
    JsonNode withInputs = new ObjectMapper().readTree(JsonReport.render(r, rec, allInputs(), NOW));
    assertEquals(17, withInputs.at("/health/restarts").asInt());
    assertEquals("b-42", withInputs.at("/utilisation/baselineId").asText());
  }
}
