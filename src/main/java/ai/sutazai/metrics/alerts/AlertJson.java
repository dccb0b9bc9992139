package ai.sutazai.metrics.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * The JSON posted to webhooks for one alert event:
 * {@code {"status":"firing|changed|resolved","rule":..,"series":..,"severity":..,"previousSeverity":..,
 * "value":..,"threshold":..,"at":"ISO-8601","firedAt":"ISO-8601","source":"sutazai"}}.
 */
public final class AlertJson {
  private AlertJson() {}

  private static final ObjectMapper MAPPER = ai.sutazai.common.JsonMappers.plain();

  public static String render(AlertEvent event) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("source", "sutazai");
    n.put("rule", event.rule());
    n.put("series", event.series());
    n.put("at", Instant.ofEpochMilli(event.atMillis()).toString());
    if (event instanceof AlertEvent.AlertFired f) {
      n.put("status", "firing");
      n.put("severity", f.severity().name().toLowerCase());
      number(n, "value", f.value());
      n.put("threshold", f.threshold());
      n.put("firedAt", Instant.ofEpochMilli(f.atMillis()).toString());
    } else if (event instanceof AlertEvent.AlertSeverityChanged c) {
      n.put("status", "changed");
      n.put("severity", c.to().name().toLowerCase());
      n.put("previousSeverity", c.from().name().toLowerCase());
      number(n, "value", c.value());
      n.put("threshold", c.threshold());
    } else if (event instanceof AlertEvent.AlertResolved r) {
      n.put("status", "resolved");
      n.put("severity", "ok");
      number(n, "value", r.value());
      n.put("firedAt", Instant.ofEpochMilli(r.firedAtMillis()).toString());
    }
    try {
      return MAPPER.writeValueAsString(n);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** NaN (a series that disappeared) is not valid JSON: written as null. */
  private static void number(ObjectNode n, String key, double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      n.putNull(key);
    } else {
      n.put(key, v);
    }
  }
}
