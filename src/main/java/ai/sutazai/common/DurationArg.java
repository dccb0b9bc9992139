package ai.sutazai.common;

import ai.sutazai.common.UserError;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;

/** Parses {@code --duration}: a HOCON duration (90s, 30m, 1h, 2 hours) or a bare number of minutes. */
public final class DurationArg {
  private DurationArg() {}

  public static Duration parse(String option, String text) {
    String t = text == null ? "" : text.trim();
    Duration d;
    try {
      if (t.matches("\\d+(\\.\\d+)?")) {
        // A bare number means minutes, as the seed's `create-performance-baseline.py --duration 30`.
        d = Duration.ofMillis(Math.round(Double.parseDouble(t) * 60_000));
      } else {
        d = ConfigFactory.empty().withValue("d", ConfigValueFactory.fromAnyRef(t)).getDuration("d");
      }
    } catch (ConfigException | NumberFormatException e) {
      throw new UserError(option + " '" + text + "' is not a duration: use e.g. 30m, 90s, 1h, or a bare number of minutes");
    }
    if (d.isZero() || d.isNegative()) {
      throw new UserError(option + " '" + text + "' must be longer than zero");
    }
    return d;
  }

  /** 1h02m03s style, for progress and tables. */
  public static String format(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s >= 3600) {
      return String.format("%dh%02dm%02ds", s / 3600, s % 3600 / 60, s % 60);
    }
    if (s >= 60) {
      return String.format("%dm%02ds", s / 60, s % 60);
    }
    return s + "s";
  }
}
