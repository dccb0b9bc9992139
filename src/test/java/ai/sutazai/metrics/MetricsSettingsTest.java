package ai.sutazai.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.common.Settings;
import ai.sutazai.common.SettingsException;
import ai.sutazai.metrics.baseline.BaselineSettings;
import ai.sutazai.metrics.forecast.ForecastSettings;
import ai.sutazai.metrics.stats.TierSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** reference.conf parses into the documented defaults, and a bad value names its key. */
class MetricsSettingsTest {

  @Test
  void defaultsFromConf() {
    var config = Settings.load(null, Settings.of(Map.of("sutazai.data-dir", "/tmp/sutazai-test-data")));
    MetricsSettings m = MetricsSettings.fromConfig(config);
    assertEquals(Duration.ofSeconds(5), m.sampleInterval());
    assertEquals(List.of(new TierSpec(Duration.ofSeconds(5), Duration.ofHours(1)),
        new TierSpec(Duration.ofMinutes(1), Duration.ofDays(7))), m.tiers());
    BaselineSettings b = BaselineSettings.fromConfig(config);
    assertEquals("jdbc:h2:file:/tmp/sutazai-test-data/baselines", b.dbUrl());
    assertEquals(Duration.ofSeconds(60), b.quickDuration());
    ForecastSettings f = ForecastSettings.fromConfig(config);
    assertFalse(f.preActivation(), "pre-activation is off by default");
    assertEquals(0.95, f.confidence());
  }

  @Test
  void badValuesNameTheirKey() {
    SettingsException interval = assertThrows(SettingsException.class, () -> MetricsSettings.fromConfig(
        Settings.load(null, Settings.of(Map.of("sutazai.metrics.sample-interval", "0s")))));
    assertTrue(interval.getMessage().contains("sutazai.metrics.sample-interval"), interval.getMessage());
    SettingsException alpha = assertThrows(SettingsException.class, () -> MetricsSettings.fromConfig(
        Settings.load(null, Settings.of(Map.of("sutazai.metrics.ewma-alpha", 1.5)))));
    assertTrue(alpha.getMessage().contains("sutazai.metrics.ewma-alpha"), alpha.getMessage());
    SettingsException confidence = assertThrows(SettingsException.class, () -> ForecastSettings.fromConfig(
        Settings.load(null, Settings.of(Map.of("sutazai.metrics.forecast.confidence", 0.5)))));
    assertTrue(confidence.getMessage().contains("sutazai.metrics.forecast.confidence"), confidence.getMessage());
  }
}
