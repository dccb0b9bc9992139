package ai.sutazai.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds Prometheus text exposition format 0.0.4: samples are grouped by family, each family written
 * once with its HELP and TYPE lines, label values escaped.
 */
final class PromText {
  private record Family(String name, String type, String help, List<String> samples) {}

  private final Map<String, Family> families = new LinkedHashMap<>();

  /** Declares a family (idempotent); samples may follow with {@link #sample}. */
  PromText family(String name, String type, String help) {
    families.computeIfAbsent(name, n -> new Family(n, type, help, new ArrayList<>()));
    return this;
  }

  /**
   * Adds a sample to family {@code family}; {@code suffix} is "" or "_bucket"/"_sum"/"_count";
   * {@code labels} alternate name, value.
   */
  PromText sample(String family, String suffix, double value, String... labels) {
    Family f = families.get(family);
    if (f == null) {
      throw new IllegalArgumentException("undeclared family " + family);
    }
    StringBuilder sb = new StringBuilder(family).append(suffix);
    if (labels.length > 0) {
      sb.append('{');
      for (int i = 0; i + 1 < labels.length; i += 2) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
      }
      sb.append('}');
    }
    sb.append(' ').append(format(value));
    f.samples().add(sb.toString());
    return this;
  }

  /** A one-sample gauge. */
  PromText gauge(String name, String help, double value, String... labels) {
    return family(name, "gauge", help).sample(name, "", value, labels);
  }

  String render() {
    StringBuilder out = new StringBuilder(16 * 1024);
    for (Family f : families.values()) {
      out.append("# HELP ").append(f.name()).append(' ').append(f.help().replace("\\", "\\\\").replace("\n", "\\n"))
          .append('\n');
      out.append("# TYPE ").append(f.name()).append(' ').append(f.type()).append('\n');
      for (String s : f.samples()) {
        out.append(s).append('\n');
      }
    }
    return out.toString();
  }

  static String escape(String v) {
    if (v == null) {
      return "";
    }
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}
