package ai.sutazai.metrics.forecast;

import ai.sutazai.common.SettingsException;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;

/** {@code sutazai.metrics.forecast} (reference.conf documents each key). */
public record ForecastSettings(
    Duration horizon, int minPoints, double holtAlpha, double holtBeta, double holtWintersGamma, double confidence,
    boolean preActivation, double preActivationRequests) {

  public static final String PATH = "sutazai.metrics.forecast";

  /** The defaults of reference.conf, for tests and callers without config. */
  public static ForecastSettings defaults() {
    return new ForecastSettings(Duration.ofHours(1), 12, 0.5, 0.3, 0.3, 0.95, false, 1.0);
  }

  public static ForecastSettings fromConfig(Config root) {
    try {
      Config c = root.getConfig(PATH);
      ForecastSettings s = new ForecastSettings(c.getDuration("horizon"), c.getInt("min-points"),
          c.getDouble("holt-alpha"), c.getDouble("holt-beta"), c.getDouble("holt-winters-gamma"),
          c.getDouble("confidence"), c.getBoolean("pre-activation"), c.getDouble("pre-activation-requests"));
      if (s.horizon().isNegative() || s.horizon().isZero()) {
        throw new SettingsException(PATH + ".horizon must be a positive duration");
      }
      if (s.minPoints() < 3) {
        throw new SettingsException(PATH + ".min-points must be at least 3, was " + s.minPoints());
      }
      for (String key : new String[] {"holt-alpha", "holt-beta", "holt-winters-gamma"}) {
        double v = c.getDouble(key);
        if (!(v > 0 && v <= 1)) {
          throw new SettingsException(PATH + "." + key + " must be within (0, 1], was " + v);
        }
      }
      try {
        StudentT.level(s.confidence());
      } catch (IllegalArgumentException e) {
        throw new SettingsException(PATH + ".confidence: " + e.getMessage());
      }
      return s;
    } catch (ConfigException e) {
      throw new SettingsException(e.getMessage());
    }
  }
}
