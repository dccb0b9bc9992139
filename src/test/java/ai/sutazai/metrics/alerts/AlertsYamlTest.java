package ai.sutazai.metrics.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.common.Settings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * conf/prometheus/alerts.yml must state the same thresholds as reference.conf (same metric, comparison,
 * threshold and `for` for every rule and severity).
 */
class AlertsYamlTest {

  record PromRule(String alert, String metric, String op, double threshold, Duration forDuration, Map<String, String> labels) {}

  static final Pattern EXPR = Pattern.compile("^([a-z_0-9]+)\\s*([<>])\\s*([0-9.]+)$");
  /**
   * A percentile of an exposed histogram, {@code histogram_quantile(0.95, sum by (agent, le) (rate(M_bucket[5m]))) > N}:
   * the built-in rule's series for it is the collector's {@code M} with {@code _p95} before the unit.
   */
  static final Pattern QUANTILE = Pattern.compile(
      "^histogram_quantile\\(0\\.(\\d+), sum by \\(agent, le\\) \\(rate\\(([a-z_0-9]+)_seconds_bucket\\[5m]\\)\\)\\)\\s*([<>])\\s*([0-9.]+)$");

  static List<PromRule> parse(Path file) throws Exception {
    JsonNode root = new YAMLMapper().readTree(file.toFile());
    List<PromRule> rules = new ArrayList<>();
    for (JsonNode group : root.get("groups")) {
      for (JsonNode r : group.get("rules")) {
        String alert = r.get("alert").asText();
        String expr = r.get("expr").asText().trim();
        Matcher q = QUANTILE.matcher(expr);
        if (q.matches()) {
          expr = q.group(2) + "_p" + q.group(1) + "_seconds " + q.group(3) + " " + q.group(4);
        }
        Matcher m = EXPR.matcher(expr);
        assertTrue(m.matches(), alert + ": expr '" + expr + "' is not 'metric > number', 'metric < number' or a histogram quantile");
        Map<String, String> labels = new HashMap<>();
        r.get("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        Duration forDuration = ConfigFactory.empty()
            .withValue("d", ConfigValueFactory.fromAnyRef(r.get("for").asText())).getDuration("d");
        rules.add(new PromRule(alert, m.group(1), m.group(2), Double.parseDouble(m.group(3)), forDuration, labels));
      }
    }
    return rules;
  }

  @Test
  void prometheusRulesMatchTheConfiguredThresholds() throws Exception {
    List<PromRule> prom = parse(Path.of("conf/prometheus/alerts.yml"));
    AlertSettings settings = AlertSettings.fromConfig(Settings.load(null));
    assertEquals(4, settings.rules().size(), "the seed's four rules");
    assertEquals(settings.rules().size() * 2, prom.size(), "one warning and one critical Prometheus rule per config rule");
    for (AlertRule rule : settings.rules()) {
      for (Severity severity : List.of(Severity.WARNING, Severity.CRITICAL)) {
        String sev = severity.name().toLowerCase();
        List<PromRule> matching = prom.stream()
            .filter(p -> rule.name().equals(p.labels().get("rule")) && sev.equals(p.labels().get("severity"))).toList();
        assertEquals(1, matching.size(), "alerts.yml: one rule labelled rule=" + rule.name() + ", severity=" + sev);
        PromRule p = matching.get(0);
        assertEquals(rule.metric(), p.metric(), p.alert() + " metric");
        assertEquals(rule.direction() == AlertRule.Direction.ABOVE ? ">" : "<", p.op(), p.alert() + " comparison");
        assertEquals(rule.threshold(severity), p.threshold(), 1e-12, p.alert() + " threshold");
        assertEquals(rule.forDuration(), p.forDuration(), p.alert() + " for");
      }
    }
  }

  @Test
  void theSeedsThresholdsAreTheDefaults() {
    AlertSettings s = AlertSettings.fromConfig(Settings.load(null));
    Map<String, AlertRule> byName = new HashMap<>();
    s.rules().forEach(r -> byName.put(r.name(), r));
    assertEquals(0.70, byName.get("memory-utilisation").warning());
    assertEquals(0.85, byName.get("memory-utilisation").critical());
    assertEquals(8.0, byName.get("load-average").warning());
    assertEquals(10.0, byName.get("load-average").critical());
    assertEquals(0.90, byName.get("container-health-rate").warning());
    assertEquals(0.80, byName.get("container-health-rate").critical());
    assertEquals(AlertRule.Direction.BELOW, byName.get("container-health-rate").direction());
    assertEquals(5.0, byName.get("agent-response-time-p95").warning());
    assertEquals(10.0, byName.get("agent-response-time-p95").critical());
  }
}
