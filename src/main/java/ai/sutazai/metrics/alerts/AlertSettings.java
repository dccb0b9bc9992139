package ai.sutazai.metrics.alerts;

import ai.sutazai.common.SettingsException;
import ai.sutazai.metrics.stats.CollectorSeries;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code sutazai.metrics.alerts}: the rules, and where alert events go (reference.conf documents
 * each key).
 *
 * @param enabled whether the collector evaluates rules
 * @param rules the rules, in config order
 * @param webhooks URLs receiving every alert event as JSON
 * @param webhookTimeout timeout of one delivery attempt
 * @param webhookMinBackoff first retry delay
 * @param webhookMaxBackoff largest retry delay
 * @param webhookMaxAttempts attempts before a delivery is given up
 * @param webhookQueueSize most deliveries waiting per webhook
 */
public record AlertSettings(
    boolean enabled,
    List<AlertRule> rules,
    List<String> webhooks,
    Duration webhookTimeout,
    Duration webhookMinBackoff,
    Duration webhookMaxBackoff,
    int webhookMaxAttempts,
    int webhookQueueSize) {

  public static final String PATH = "sutazai.metrics.alerts";

  public AlertSettings {
    rules = List.copyOf(rules);
    webhooks = List.copyOf(webhooks);
  }

  /** Reads {@code sutazai.metrics.alerts} from the resolved root config; a bad value names its key. */
  public static AlertSettings fromConfig(Config root) {
    try {
      Config c = root.getConfig(PATH);
      Duration defaultFor = c.getDuration("for");
      Duration defaultHoldDown = c.getDuration("hold-down");
      List<AlertRule> rules = new ArrayList<>();
      Config rulesConfig = c.getConfig("rules");
      for (String name : rulesConfig.root().keySet().stream().sorted().toList()) {
        rules.add(rule(name, rulesConfig.getConfig(name), defaultFor, defaultHoldDown));
      }
      List<String> webhooks = c.getStringList("webhooks");
      for (int i = 0; i < webhooks.size(); i++) {
        String url = webhooks.get(i);
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
          // Not the value itself: a webhook URL may hold a secret.
          throw new SettingsException(PATH + ".webhooks[" + i + "] is not an http:// or https:// URL");
        }
      }
      int attempts = c.getInt("webhook.max-attempts");
      int queue = c.getInt("webhook.queue-size");
      if (attempts < 1 || queue < 1) {
        throw new SettingsException(PATH + ".webhook.max-attempts and queue-size must be at least 1");
      }
      return new AlertSettings(c.getBoolean("enabled"), rules, webhooks, c.getDuration("webhook.timeout"),
          c.getDuration("webhook.min-backoff"), c.getDuration("webhook.max-backoff"), attempts, queue);
    } catch (ConfigException e) {
      throw new SettingsException(e.getMessage());
    }
  }

  private static AlertRule rule(String name, Config r, Duration defaultFor, Duration defaultHoldDown) {
    String key = PATH + ".rules." + name;
    String directionText = r.getString("direction").toUpperCase(Locale.ROOT);
    AlertRule.Direction direction;
    try {
      direction = AlertRule.Direction.valueOf(directionText);
    } catch (IllegalArgumentException e) {
      throw new SettingsException(key + ".direction must be 'above' or 'below', was '" + r.getString("direction") + "'");
    }
    String metric = r.getString("metric");
    double warning = r.getDouble("warning");
    double critical = r.getDouble("critical");
    if (r.hasPath("per-core") && r.getBoolean("per-core")) {
      // Per-core form of the load rule: load1 / logical CPUs against per-core thresholds.
      metric = CollectorSeries.HOST_LOAD1_PER_CORE;
      warning = r.getDouble("warning-per-core");
      critical = r.getDouble("critical-per-core");
    }
    Duration forDuration = r.hasPath("for") ? r.getDuration("for") : defaultFor;
    Duration holdDown = r.hasPath("hold-down") ? r.getDuration("hold-down") : defaultHoldDown;
    try {
      return new AlertRule(name, metric, direction, warning, critical, forDuration, holdDown);
    } catch (IllegalArgumentException e) {
      throw new SettingsException(key + ": " + e.getMessage());
    }
  }
}
