package ai.sutazai.capacity;

import ai.sutazai.fleet.Sizes;
import java.util.Locale;

/** Number formats shared by the reports. */
final class Fmt {
  private Fmt() {}

  static String gib(long bytes) {
    return Sizes.gib(bytes);
  }

  /** Cores with at most two decimals and no trailing zeros: 12, 40.5, 0.25. */
  static String cores(double cpus) {
    String s = String.format(Locale.ROOT, "%.2f", cpus);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /** Whole percent, half up: 237.5 gives "238 %". */
  static String pct(double percent) {
    return Math.round(percent) + " %";
  }

  /** A price: "$1,500" for USD, else "1,500 EUR". */
  static String money(double amount, String currency) {
    String n = String.format(Locale.ROOT, "%,d", Math.round(amount));
    return "USD".equalsIgnoreCase(currency) ? "$" + n : n + " " + currency;
  }

  /** A unit price with cents: "$42.86". */
  static String unitPrice(double amount, String currency) {
    String n = String.format(Locale.ROOT, "%,.2f", amount);
    return "USD".equalsIgnoreCase(currency) ? "$" + n : n + " " + currency;
  }

  /** A HOCON size an operator can paste: whole MiB. */
  static String hoconMib(long bytes) {
    return (bytes / Sizes.MIB) + "MiB";
  }

  static String duration(java.time.Duration d) {
    if (d == null) {
      return "—";
    }
    long s = d.getSeconds();
    if (s >= 86_400) {
      return String.format(Locale.ROOT, "%.1f d", s / 86_400.0);
    }
    if (s >= 3_600) {
      return String.format(Locale.ROOT, "%.1f h", s / 3_600.0);
    }
    if (s >= 60) {
      return String.format(Locale.ROOT, "%.0f min", s / 60.0);
    }
    return s + " s";
  }

  static String num(double v) {
    return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
  }
}
