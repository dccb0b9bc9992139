package ai.sutazai.metrics.baseline;

import ai.sutazai.common.DurationArg;

import ai.sutazai.metrics.stats.Summary;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/** Renders baselines, baseline lists and drift reports as a text table, JSON or Markdown. */
public final class BaselineFormat {
  private BaselineFormat() {}

  private static final ObjectMapper JSON = ai.sutazai.common.JsonMappers.pretty();
  private static final String[] COLUMNS =
      {"series", "count", "min", "max", "mean", "stddev", "p50", "p90", "p95", "p99", "ewma", "warning", "critical"};

  /** Numbers with up to 6 significant digits, no exponent below 1e12 (bytes stay readable). */
  static String num(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    if (v != 0 && Math.abs(v) < 1e-4) {
      return String.format(Locale.ROOT, "%.3e", v);
    }
    String s = String.format(Locale.ROOT, Math.abs(v) >= 1e6 ? "%.0f" : "%.6g", v);
    if (s.contains(".") && !s.contains("e")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s;
  }

  private static String[] row(MetricBaseline m) {
    Summary s = m.summary();
    return new String[] {m.series(), Long.toString(s.count()), num(s.min()), num(s.max()), num(s.mean()),
        num(s.stddev()), num(s.p50()), num(s.p90()), num(s.p95()), num(s.p99()), num(s.ewma()),
        num(m.warningThreshold()) + (m.capped() ? "*" : ""), num(m.criticalThreshold()) + (m.capped() ? "*" : "")};
  }

  private static String header(Baseline b) {
    return "baseline " + b.id() + ": " + b.createdAt() + ", " + DurationArg.format(b.duration()) + " at "
        + DurationArg.format(b.sampleInterval()) + ", " + b.samples() + " samples, " + b.metrics().size()
        + " series, label '" + b.label() + "'" + b.incompleteNote().map(n -> "\n" + n.toUpperCase(Locale.ROOT).charAt(0)
        + n.substring(1)).orElse("");
  }

  public static String table(Baseline b) {
    StringBuilder out = new StringBuilder(header(b)).append('\n');
    out.append(TextTable.render(COLUMNS, b.metrics().stream().map(BaselineFormat::row).toList()));
    out.append("warning = mean + 2σ, critical = mean + 3σ (sample σ); * = limited by the static threshold in conf\n");
    return out.toString();
  }

  public static String markdown(Baseline b) {
    StringBuilder out = new StringBuilder("# Performance baseline ").append(b.id()).append("\n\n");
    out.append("- recorded: ").append(b.createdAt()).append('\n');
    out.append("- duration: ").append(DurationArg.format(b.duration())).append(", sample interval ")
        .append(DurationArg.format(b.sampleInterval())).append(", ").append(b.samples()).append(" samples\n");
    out.append("- label: ").append(b.label()).append('\n');
    b.incompleteNote().ifPresent(n -> out.append("- **").append(n).append("**\n"));
    out.append('\n');
    out.append("| ").append(String.join(" | ", COLUMNS)).append(" |\n|");
    out.append("---|".repeat(COLUMNS.length)).append('\n');
    for (MetricBaseline m : b.metrics()) {
      String[] r = row(m);
      r[0] = "`" + r[0] + "`";
      out.append("| ").append(String.join(" | ", r).replace("*", "\\*")).append(" |\n");
    }
    out.append("\nWarning = mean + 2σ, critical = mean + 3σ (sample standard deviation), never looser than the "
        + "static thresholds in reference.conf (marked \\*). Percentiles interpolate linearly between closest ranks.\n");
    return out.toString();
  }

  public static String json(Baseline b) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", b.id());
    root.put("createdAt", b.createdAt().toString());
    root.put("durationSeconds", b.duration().toMillis() / 1000.0);
    root.put("sampleIntervalSeconds", b.sampleInterval().toMillis() / 1000.0);
    root.put("label", b.label());
    root.put("samples", b.samples());
    root.put("complete", b.complete());
    root.put("plannedDurationSeconds", b.plannedDuration().toMillis() / 1000.0);
    ArrayNode metrics = root.putArray("metrics");
    for (MetricBaseline m : b.metrics()) {
      Summary s = m.summary();
      ObjectNode n = metrics.addObject();
      n.put("series", m.series());
      n.put("count", s.count());
      n.put("min", s.min());
      n.put("max", s.max());
      n.put("mean", s.mean());
      n.put("stddev", s.stddev());
      n.put("p50", s.p50());
      n.put("p90", s.p90());
      n.put("p95", s.p95());
      n.put("p99", s.p99());
      n.put("ewma", s.ewma());
      n.put("warningThreshold", m.warningThreshold());
      n.put("criticalThreshold", m.criticalThreshold());
      n.put("capped", m.capped());
    }
    return write(root);
  }

  public static String listTable(List<BaselineInfo> list) {
    if (list.isEmpty()) {
      return "no baselines yet: record one with `sutazai baseline --quick`\n";
    }
    return TextTable.render(new String[] {"id", "created", "duration", "samples", "series", "state", "label"},
        list.stream().map(i -> new String[] {Long.toString(i.id()), i.createdAt().toString(),
            DurationArg.format(i.duration()) + (i.complete() ? "" : " of " + DurationArg.format(i.plannedDuration())),
            Integer.toString(i.samples()), Integer.toString(i.metrics()), i.complete() ? "complete" : "INCOMPLETE",
            i.label()}).toList());
  }

  public static String listJson(List<BaselineInfo> list) {
    ArrayNode arr = JSON.createArrayNode();
    for (BaselineInfo i : list) {
      ObjectNode n = arr.addObject();
      n.put("id", i.id());
      n.put("createdAt", i.createdAt().toString());
      n.put("durationSeconds", i.duration().toMillis() / 1000.0);
      n.put("samples", i.samples());
      n.put("series", i.metrics());
      n.put("label", i.label());
      n.put("complete", i.complete());
      n.put("plannedDurationSeconds", i.plannedDuration().toMillis() / 1000.0);
    }
    return write(arr);
  }

  public static String driftTable(BaselineDrift d) {
    String[] cols = {"series", "mean " + d.from(), "mean " + d.to(), "change %", "p95 " + d.from(), "p95 " + d.to(), "drift"};
    List<String[]> rows = d.series().stream().map(r -> new String[] {r.series(), opt(r.fromMean()), opt(r.toMean()),
        Double.isNaN(r.meanChangePercent()) ? "-" : String.format(Locale.ROOT, "%+.1f", r.meanChangePercent()),
        opt(r.fromP95()), opt(r.toP95()), r.drifted() ? "DRIFT" : ""}).toList();
    return "baseline " + d.from() + " -> " + d.to() + ": " + d.driftedCount() + " of " + d.series().size()
        + " series drifted (mean moved more than 2σ of baseline " + d.from() + ")\n" + TextTable.render(cols, rows);
  }

  public static String driftJson(BaselineDrift d) {
    ObjectNode root = JSON.createObjectNode();
    root.put("from", d.from());
    root.put("to", d.to());
    root.put("drifted", d.driftedCount());
    ArrayNode arr = root.putArray("series");
    for (BaselineDrift.Row r : d.series()) {
      ObjectNode n = arr.addObject();
      n.put("series", r.series());
      put(n, "fromMean", r.fromMean());
      put(n, "toMean", r.toMean());
      put(n, "fromP95", r.fromP95());
      put(n, "toP95", r.toP95());
      put(n, "fromStddev", r.fromStddev());
      put(n, "toStddev", r.toStddev());
      put(n, "meanChangePercent", Double.isNaN(r.meanChangePercent()) ? null : r.meanChangePercent());
      n.put("drifted", r.drifted());
    }
    return write(root);
  }

  private static void put(ObjectNode n, String key, Double v) {
    if (v == null || v.isNaN()) {
      n.putNull(key);
    } else {
      n.put(key, v);
    }
  }

  private static String opt(Double v) {
    return v == null ? "-" : num(v);
  }

  private static String write(Object node) {
    try {
      return JSON.writeValueAsString(node) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
