package ai.sutazai.metrics.baseline;

import ai.sutazai.common.SettingsException;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;

/**
 * {@code sutazai.metrics.baseline}: the baseline database and the recording cadence
 * (reference.conf documents each key).
 */
public record BaselineSettings(
    String dbUrl, String user, String password, String schema, Duration sampleInterval, Duration quickDuration) {

  public static final String PATH = "sutazai.metrics.baseline";

  public static BaselineSettings fromConfig(Config root) {
    try {
      Config c = root.getConfig(PATH);
      Duration interval = c.getDuration("sample-interval");
      Duration quick = c.getDuration("quick-duration");
      if (interval.isZero() || interval.isNegative()) {
        throw new SettingsException(PATH + ".sample-interval must be a positive duration, was " + interval);
      }
      if (quick.compareTo(interval) < 0) {
        throw new SettingsException(PATH + ".quick-duration " + quick + " is shorter than sample-interval " + interval);
      }
      return new BaselineSettings(c.getString("db-url"), c.getString("user"), c.getString("password"),
          c.getString("schema"), interval, quick);
    } catch (ConfigException e) {
      throw new SettingsException(e.getMessage());
    }
  }
}
