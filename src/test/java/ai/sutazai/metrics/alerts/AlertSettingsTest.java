package ai.sutazai.metrics.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.common.Settings;
import ai.sutazai.common.SettingsException;
import ai.sutazai.metrics.stats.CollectorSeries;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertSettingsTest {

  static AlertRule rule(AlertSettings s, String name) {
    return s.rules().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void eachThresholdCanBeChangedAndLoadHasAPerCoreForm() {
    AlertSettings s = AlertSettings.fromConfig(Settings.load(null, Settings.of(Map.of(
        "sutazai.metrics.alerts.rules.memory-utilisation.warning", 0.6,
        "sutazai.metrics.alerts.rules.memory-utilisation.for", "30s",
        "sutazai.metrics.alerts.rules.load-average.per-core", true,
        "sutazai.metrics.alerts.webhooks", java.util.List.of("http://127.0.0.1:9/hook")))));
    assertEquals(0.6, rule(s, "memory-utilisation").warning());
    assertEquals(Duration.ofSeconds(30), rule(s, "memory-utilisation").forDuration());
    assertEquals(Duration.ofMinutes(2), rule(s, "memory-utilisation").holdDown());
    AlertRule load = rule(s, "load-average");
    assertEquals(CollectorSeries.HOST_LOAD1_PER_CORE, load.metric());
    assertEquals(0.67, load.warning());
    assertEquals(0.83, load.critical());
    assertEquals(1, s.webhooks().size());
  }

  @Test
  void badValuesNameTheirKey() {
    SettingsException direction = assertThrows(SettingsException.class, () -> AlertSettings.fromConfig(Settings.load(null,
        Settings.of(Map.of("sutazai.metrics.alerts.rules.load-average.direction", "sideways")))));
    assertTrue(direction.getMessage().contains("sutazai.metrics.alerts.rules.load-average.direction"), direction.getMessage());
    SettingsException order = assertThrows(SettingsException.class, () -> AlertSettings.fromConfig(Settings.load(null,
        Settings.of(Map.of("sutazai.metrics.alerts.rules.memory-utilisation.warning", 0.9)))));
    assertTrue(order.getMessage().contains("sutazai.metrics.alerts.rules.memory-utilisation"), order.getMessage());
    SettingsException url = assertThrows(SettingsException.class, () -> AlertSettings.fromConfig(Settings.load(null,
        Settings.of(Map.of("sutazai.metrics.alerts.webhooks", java.util.List.of("ftp://x"))))));
    assertTrue(url.getMessage().contains("sutazai.metrics.alerts.webhooks"), url.getMessage());
  }
}
