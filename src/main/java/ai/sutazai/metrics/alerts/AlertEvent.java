package ai.sutazai.metrics.alerts;

import ai.sutazai.common.CborSerializable;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What happened to an alert; persisted by {@link AlertJournal}, logged, and posted to webhooks. The key
 * of an alert is {@code rule + "|" + series}, one alert per rule and series (for example per agent).
 * Times are epoch milliseconds on the collector's clock. The type names are part of the journal format:
 * never rename them.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = AlertEvent.AlertFired.class, name = "fired"),
  @JsonSubTypes.Type(value = AlertEvent.AlertSeverityChanged.class, name = "changed"),
  @JsonSubTypes.Type(value = AlertEvent.AlertResolved.class, name = "resolved")
})
public sealed interface AlertEvent extends CborSerializable
    permits AlertEvent.AlertFired, AlertEvent.AlertSeverityChanged, AlertEvent.AlertResolved {

  String key();

  String rule();

  String series();

  long atMillis();

  static String key(String rule, String series) {
    return rule + "|" + series;
  }

  /** A breach held for the rule's {@code for}: the alert fires. */
  record AlertFired(String key, String rule, String series, Severity severity, double value, double threshold,
      long atMillis) implements AlertEvent {}

  /** A firing alert went up (at once) or down (after the hold-down) a severity. */
  record AlertSeverityChanged(String key, String rule, String series, Severity from, Severity to, double value,
      double threshold, long atMillis) implements AlertEvent {}

  /** The value stayed clear for the rule's hold-down: the alert resolves. */
  record AlertResolved(String key, String rule, String series, double value, long firedAtMillis, long atMillis)
      implements AlertEvent {}
}
