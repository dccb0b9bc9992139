package ai.sutazai.fleet;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.Locale;

/** HOCON sizes in and out: "29GiB" to bytes, bytes to "29.0 GiB". Powers of 1024 throughout. */
public final class Sizes {
  public static final long MIB = 1024L * 1024;
  public static final long GIB = 1024L * MIB;

  private Sizes() {}

  /**
   * Parses a size as HOCON does ({@code 512MiB}, {@code 29GiB}, {@code 29G}, {@code 1.5GiB} or a number
   * of bytes; note {@code GB} means 10^9 bytes there).
   *
   * @throws IllegalArgumentException with a readable message when the text is not a non-negative size
   */
  public static long parseBytes(String text) {
    String t = text == null ? "" : text.trim();
    if (t.startsWith("-")) {
      throw new IllegalArgumentException("'" + t + "' is negative");
    }
    try {
      long bytes = ConfigFactory.empty().withValue("v", ConfigValueFactory.fromAnyRef(t)).getBytes("v");
      if (bytes < 0) {
        throw new IllegalArgumentException("'" + t + "' is negative");
      }
      return bytes;
    } catch (ConfigException e) {
      throw new IllegalArgumentException(
          "'" + t + "' is not a size (use e.g. 29GiB, 512MiB, 1.5GiB or a number of bytes)", e);
    }
  }

  /** Bytes as GiB with one decimal, e.g. {@code 47.3 GiB}. */
  public static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) GIB);
  }

  /** Bytes in the largest unit that keeps a whole-ish number: {@code 512 MiB}, {@code 1.5 GiB}. */
  public static String human(long bytes) {
    if (bytes >= GIB) {
      double g = bytes / (double) GIB;
      return trim(String.format(Locale.ROOT, "%.2f", g)) + " GiB";
    }
    if (bytes >= MIB) {
      double m = bytes / (double) MIB;
      return trim(String.format(Locale.ROOT, "%.1f", m)) + " MiB";
    }
    return bytes + " B";
  }

  private static String trim(String decimal) {
    String s = decimal.contains(".") ? decimal.replaceAll("0+$", "") : decimal;
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
