package ai.sutazai.metrics;

import ai.sutazai.common.SettingsException;
import ai.sutazai.metrics.stats.TierSpec;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code sutazai.metrics} settings the collector needs (reference.conf documents each one).
 *
 * @param sampleInterval time between two samples
 * @param tiers ring-buffer tiers, finest first
 * @param maxSeries most series kept in memory
 * @param ewmaAlpha EWMA weight of the newest sample
 * @param deviceRefresh how long OSHI's device lists are memoized
 * @param containersEnabled whether containers are sampled
 * @param containersFleet fleet whose containers are sampled ("" = all managed)
 * @param containerStatsParallelism how many container stats calls run at once
 * @param latencyWindow window of the per-agent response-time p95
 * @param maxLatenciesPerAgent most latency samples kept per agent
 */
public record MetricsSettings(
    Duration sampleInterval,
    List<TierSpec> tiers,
    int maxSeries,
    double ewmaAlpha,
    Duration deviceRefresh,
    boolean containersEnabled,
    String containersFleet,
    int containerStatsParallelism,
    Duration latencyWindow,
    int maxLatenciesPerAgent) {

  public static final String PATH = "sutazai.metrics";

  public MetricsSettings {
    tiers = List.copyOf(tiers);
  }

  /** Reads {@code sutazai.metrics} from the resolved root config; a bad value names its key. */
  public static MetricsSettings fromConfig(Config root) {
    try {
      Config c = root.getConfig(PATH);
      List<TierSpec> tiers = new ArrayList<>();
      List<? extends Config> tierList = c.getConfigList("tiers");
      for (int i = 0; i < tierList.size(); i++) {
        Config t = tierList.get(i);
        try {
          tiers.add(new TierSpec(t.getDuration("resolution"), t.getDuration("retention")));
        } catch (IllegalArgumentException e) {
          throw new SettingsException(PATH + ".tiers[" + i + "]: " + e.getMessage());
        }
      }
      if (tiers.isEmpty()) {
        throw new SettingsException(PATH + ".tiers: at least one tier is needed");
      }
      return new MetricsSettings(
          positive(c, "sample-interval"),
          tiers,
          atLeast(c, "max-series", 1),
          fraction(c, "ewma-alpha"),
          positive(c, "host.device-refresh"),
          c.getBoolean("containers.enabled"),
          c.getString("containers.fleet"),
          atLeast(c, "containers.stats-parallelism", 1),
          positive(c, "agents.latency-window"),
          atLeast(c, "agents.max-latencies-per-agent", 1));
    } catch (ConfigException e) {
      throw new SettingsException(e.getMessage());
    }
  }

  /** Copy with another sample interval (the baseline recorder uses its own). */
  public MetricsSettings withSampleInterval(Duration interval) {
    return new MetricsSettings(interval, tiers, maxSeries, ewmaAlpha, deviceRefresh, containersEnabled,
        containersFleet, containerStatsParallelism, latencyWindow, maxLatenciesPerAgent);
  }

  static Duration positive(Config c, String key) {
    Duration d = c.getDuration(key);
    if (d.isZero() || d.isNegative()) {
      throw new SettingsException(PATH + "." + key + " must be a positive duration, was " + d);
    }
    return d;
  }

  static int atLeast(Config c, String key, int min) {
    int v = c.getInt(key);
    if (v < min) {
      throw new SettingsException(PATH + "." + key + " must be at least " + min + ", was " + v);
    }
    return v;
  }

  static double fraction(Config c, String key) {
    double v = c.getDouble(key);
    if (!(v > 0 && v <= 1)) {
      throw new SettingsException(PATH + "." + key + " must be within (0, 1], was " + v);
    }
    return v;
  }
}
