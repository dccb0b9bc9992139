package ai.sutazai.metrics.alerts;

import ai.sutazai.metrics.stats.CollectorSeries;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pure, immutable alert evaluation with hysteresis: {@link #evaluate} returns the next engine and the
 * events of this round. Time comes in with every call, so tests drive it with any clock.
 *
 * <p>Per rule and series: a breach starts PENDING; when some breach has held for {@code for} the alert
 * FIRES at the severity breached then. While firing, a worse severity is taken at once; a milder one
 * only after the value stayed below the current severity for {@code hold-down}; and the alert RESOLVES
 * once the value has been clear (or missing) for {@code hold-down} without interruption.
 */
public record AlertEngine(List<AlertRule> rules, Map<String, Tracker> trackers) {

  /**
   * State of one rule × series. {@code firedAtMillis} < 0 while pending. {@code belowSinceMillis}:
   * since when the value is milder than {@code severity}; {@code clearSinceMillis}: since when it is
   * not breached at all (-1 = not so).
   */
  public record Tracker(String rule, String series, Severity severity, long pendingSinceMillis, long firedAtMillis,
      long belowSinceMillis, long clearSinceMillis) {
    boolean firing() {
      return firedAtMillis >= 0;
    }
  }

  /** Outcome of one round. */
  public record Result(AlertEngine engine, List<AlertEvent> events) {}

  public AlertEngine {
    rules = List.copyOf(rules);
    trackers = Map.copyOf(trackers);
  }

  public static AlertEngine of(List<AlertRule> rules) {
    return new AlertEngine(rules, Map.of());
  }

  /** An engine that knows these alerts are firing already (after a restart, from the journal). */
  public AlertEngine withFiring(List<AlertEvent.AlertFired> firing) {
    Map<String, Tracker> next = new HashMap<>(trackers);
    for (AlertEvent.AlertFired f : firing) {
      next.put(f.key(), new Tracker(f.rule(), f.series(), f.severity(), f.atMillis(), f.atMillis(), -1, -1));
    }
    return new AlertEngine(rules, next);
  }

  /** Evaluates every rule on the series of {@code values} at time {@code nowMillis}. */
  public Result evaluate(Map<String, Double> values, long nowMillis) {
    Map<String, Tracker> next = new HashMap<>();
    List<AlertEvent> events = new ArrayList<>();
    Map<String, Boolean> seen = new HashMap<>();
    for (AlertRule rule : rules) {
      for (Map.Entry<String, Double> e : values.entrySet()) {
        if (CollectorSeries.metricOf(e.getKey()).equals(rule.metric())) {
          String key = AlertEvent.key(rule.name(), e.getKey());
          seen.put(key, true);
          step(rule, e.getKey(), e.getValue(), trackers.get(key), nowMillis, next, events);
        }
      }
    }
    // Series that went missing (agent gone, engine unreachable) count as clear.
    for (Map.Entry<String, Tracker> t : trackers.entrySet()) {
      if (!seen.containsKey(t.getKey())) {
        AlertRule rule = rules.stream().filter(r -> r.name().equals(t.getValue().rule())).findFirst().orElse(null);
        if (rule != null) {
          step(rule, t.getValue().series(), Double.NaN, t.getValue(), nowMillis, next, events);
        }
      }
    }
    return new Result(new AlertEngine(rules, next), events);
  }

  private static void step(AlertRule rule, String series, double value, Tracker t, long now,
      Map<String, Tracker> next, List<AlertEvent> events) {
    String key = AlertEvent.key(rule.name(), series);
    Severity breached = rule.severityOf(value);
    if (t == null || !t.firing()) {
      if (breached == Severity.OK) {
        return; // clear, or a pending breach that did not hold: forget it
      }
      long since = t == null ? now : t.pendingSinceMillis();
      if (now - since >= rule.forDuration().toMillis()) {
        events.add(new AlertEvent.AlertFired(key, rule.name(), series, breached, value, rule.threshold(breached), now));
        next.put(key, new Tracker(rule.name(), series, breached, since, now, -1, -1));
      } else {
        next.put(key, new Tracker(rule.name(), series, breached, since, -1, -1, -1));
      }
      return;
    }
    long holdDown = rule.holdDown().toMillis();
    if (breached == Severity.OK) {
      long clearSince = t.clearSinceMillis() >= 0 ? t.clearSinceMillis() : now;
      long belowSince = t.belowSinceMillis() >= 0 ? t.belowSinceMillis() : now;
      if (now - clearSince >= holdDown) {
        events.add(new AlertEvent.AlertResolved(key, rule.name(), series, value, t.firedAtMillis(), now));
        return;
      }
      next.put(key, new Tracker(rule.name(), series, t.severity(), t.pendingSinceMillis(), t.firedAtMillis(), belowSince, clearSince));
      return;
    }
    if (breached.compareTo(t.severity()) > 0) {
      events.add(new AlertEvent.AlertSeverityChanged(key, rule.name(), series, t.severity(), breached, value,
          rule.threshold(breached), now));
      next.put(key, new Tracker(rule.name(), series, breached, t.pendingSinceMillis(), t.firedAtMillis(), -1, -1));
    } else if (breached.compareTo(t.severity()) < 0) {
      long belowSince = t.belowSinceMillis() >= 0 ? t.belowSinceMillis() : now;
      if (now - belowSince >= holdDown) {
        events.add(new AlertEvent.AlertSeverityChanged(key, rule.name(), series, t.severity(), breached, value,
            rule.threshold(breached), now));
        next.put(key, new Tracker(rule.name(), series, breached, t.pendingSinceMillis(), t.firedAtMillis(), -1, -1));
      } else {
        next.put(key, new Tracker(rule.name(), series, t.severity(), t.pendingSinceMillis(), t.firedAtMillis(), belowSince, -1));
      }
    } else {
      next.put(key, new Tracker(rule.name(), series, t.severity(), t.pendingSinceMillis(), t.firedAtMillis(), -1, -1));
    }
  }

  /** Keys of the alerts firing now. */
  public List<String> firing() {
    return trackers.entrySet().stream().filter(e -> e.getValue().firing()).map(Map.Entry::getKey).sorted().toList();
  }
}
