package ai.sutazai.cli.bench.seed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** The seed's success-metrics table, one column per run, as text, JSON or HTML with charts. */
final class SeedReport {
  /** Seed: load average 5.42 now, warning at 8, on 12 cores; scaled per core. */
  static final double SEED_LOAD_NOW = 5.42 / 12;
  static final double SEED_LOAD_TARGET = 8.0 / 12;

  /** What the table is about: host model, parameters, capacity analysis. */
  record Context(String command, List<String> hostLines, ObjectNode host, ObjectNode parameters, int agents, int fit) {}

  private record Row(String metric, String current, String target, Function<RunResult, String> value,
      Function<RunResult, Boolean> met) {}

  private final Context ctx;
  private final List<RunResult> runs;

  SeedReport(Context ctx, List<RunResult> runs) {
    this.ctx = ctx;
    this.runs = runs;
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.0f %%", v * 100);
  }

  private static String secs(double ms) {
    return Double.isNaN(ms) ? "n/a" : String.format(Locale.ROOT, "%.2f s", ms / 1000);
  }

  private List<Row> rows() {
    List<Row> r = new ArrayList<>();
    r.add(new Row("Container health rate", "24 %", ">= 95 %", x -> pct(x.healthRate()), x -> x.healthRate() >= 0.95));
    r.add(new Row("  agents restarted at least once", "46 %", "-", x -> pct(x.restartingShare()), null));
    r.add(new Row("Concurrent agent utilisation (mean)", "~10 %", ">= 60 %", x -> pct(x.utilisationMean()),
        x -> x.utilisationMean() >= 0.6));
    r.add(new Row("  peak (agents healthy at once)", "", "", x -> pct(x.utilisationPeak()) + " (" + x.agentsHealthyPeak()
        + ")", null));
    r.add(new Row("Average response time", "unknown", "< 2 s", x -> secs(x.tasks().meanMs()),
        x -> x.tasks().ok() > 0 && x.tasks().meanMs() < 2000));
    r.add(new Row("  p50 / p95 / p99", "", "", x -> secs(x.tasks().p50Ms()) + " / " + secs(x.tasks().p95Ms()) + " / "
        + secs(x.tasks().p99Ms()), null));
    r.add(new Row("  tasks sent / answered / failed", "", "", x -> x.tasks().sent() + " / " + x.tasks().ok() + " / "
        + x.tasks().failed(), null));
    r.add(new Row("Memory utilisation efficiency (mean)", "34 %", "70-80 %", x -> pct(x.memoryEfficiencyMean()),
        x -> x.memoryEfficiencyMean() >= 0.7 && x.memoryEfficiencyMean() <= 0.8));
    r.add(new Row("  peak", "", "", x -> pct(x.memoryEfficiencyPeak()), null));
    r.add(new Row("Load: CPU used / host-model cores", String.format(Locale.ROOT, "%.2f", SEED_LOAD_NOW),
        String.format(Locale.ROOT, "< %.2f", SEED_LOAD_TARGET), x -> String.format(Locale.ROOT, "%.2f", x.cpuUsedRatio()),
        x -> x.cpuUsedRatio() < SEED_LOAD_TARGET));
    r.add(new Row("  CPU periods throttled", "", "", x -> pct(x.throttledShare()), null));
    r.add(new Row("OOM kills (engine events)", "", "", x -> String.valueOf(x.oomKills()), null));
    r.add(new Row("Restarts (engine events)", "", "", x -> String.valueOf(x.restarts()), null));
    return r;
  }

  private static String cell(Row row, RunResult x) {
    String v = row.value().apply(x);
    return row.met() == null ? v : v + (row.met().apply(x) ? " met" : " NOT met");
  }

  void table(PrintStream out) {
    out.println(ctx.command());
    ctx.hostLines().forEach(l -> out.println("  " + l));
    for (RunResult x : runs) {
      out.println("  run " + x.name() + ": " + x.description());
    }
    out.println();
    StringBuilder f = new StringBuilder("%-38s %-9s %-9s");
    runs.forEach(x -> f.append(" %-26s"));
    f.append("%n");
    List<Object> head = new ArrayList<>(List.of("Metric", "seed now", "target"));
    runs.forEach(x -> head.add("run " + x.name()));
    out.printf(Locale.ROOT, f.toString(), head.toArray());
    for (Row row : rows()) {
      List<Object> cells = new ArrayList<>(List.of(row.metric(), row.current(), row.target()));
      runs.forEach(x -> cells.add(cell(row, x)));
      out.printf(Locale.ROOT, f.toString(), cells.toArray());
    }
    out.println();
    definitions().forEach(l -> out.println("  " + l));
  }

  /** The README form: a Markdown table. */
  void markdown(PrintStream out) {
    StringBuilder h = new StringBuilder("| Metric | seed now | target |");
    StringBuilder s = new StringBuilder("|---|---|---|");
    runs.forEach(x -> {
      h.append(" run ").append(x.name()).append(" |");
      s.append("---|");
    });
    out.println(h);
    out.println(s);
    for (Row row : rows()) {
      StringBuilder l = new StringBuilder("| " + row.metric().trim() + " | " + row.current() + " | " + row.target() + " |");
      runs.forEach(x -> l.append(" ").append(cell(row, x)).append(" |"));
      out.println(l);
    }
  }

  List<String> definitions() {
    List<String> d = new ArrayList<>();
    d.add("Definitions (the same for every run, all measured from outside the supervisor):");
    d.add("health rate: running containers answering the bench's GET /health within " + Observer.PROBE_TIMEOUT.toSeconds()
        + " s / running containers, sampled each second;");
    d.add("utilisation: agents running and healthy at once / agents in the fleet; restarted: agents started again "
        + "after an exit nobody asked for, or by docker restart;");
    d.add("response time: at the task client, cold starts included, answered tasks only; a task not answered with 200 "
        + "within " + Observer.TASK_TIMEOUT.toSeconds() + " s failed;");
    d.add("memory: the parent cgroup's memory.usage_in_bytes / its limit, each second; load: the group's cpuacct.usage "
        + "/ (wall time x model cores), seed thresholds per core (5.42 and 8 on 12 cores);");
    d.add("OOM kills: containers that exited on a SIGKILL (137) that neither Docker nor the supervisor sent, after the "
        + "engine's oom notice for them (engine events).");
    d.add(String.format(Locale.ROOT, "capacity analysis (sutazai analyze on the scaled fleet and host model): %d of %d agents"
        + " fit at once = %.0f %% utilisation at most.", ctx.fit(), ctx.agents(), 100.0 * ctx.fit() / ctx.agents()));
    if (ctx.fit() < 0.6 * ctx.agents()) {
      d.add("So the seed's 60 % utilisation target is NOT reachable on this host model by any scheduler: it needs "
          + (int) Math.ceil(0.6 * ctx.agents()) + " agents up at once (the seed's hardware upgrade).");
    }
    return d;
  }

  String json() throws Exception {
    ObjectMapper m = new ObjectMapper();
    ObjectNode root = m.createObjectNode();
    root.set("host", ctx.host());
    root.set("parameters", ctx.parameters());
    ArrayNode arr = root.putArray("runs");
    for (RunResult x : runs) {
      ObjectNode r = arr.addObject();
      r.put("name", x.name());
      r.put("description", x.description());
      r.put("startedAt", x.startedAt().toString());
      r.put("endedAt", x.endedAt().toString());
      num(r, "healthRate", x.healthRate());
      num(r, "restartingShare", x.restartingShare());
      num(r, "agentsHealthyMean", x.agentsHealthyMean());
      r.put("agentsHealthyPeak", x.agentsHealthyPeak());
      ObjectNode t = r.putObject("tasks");
      t.put("sent", x.tasks().sent());
      t.put("ok", x.tasks().ok());
      t.put("failed", x.tasks().failed());
      num(t, "meanMs", x.tasks().meanMs());
      num(t, "p50Ms", x.tasks().p50Ms());
      num(t, "p95Ms", x.tasks().p95Ms());
      num(t, "p99Ms", x.tasks().p99Ms());
      num(r, "memoryEfficiencyMean", x.memoryEfficiencyMean());
      num(r, "memoryEfficiencyPeak", x.memoryEfficiencyPeak());
      num(r, "cpuUsedRatio", x.cpuUsedRatio());
      num(r, "throttledShare", x.throttledShare());
      r.put("oomKills", x.oomKills());
      r.put("restarts", x.restarts());
    }
    return m.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }

  private static void num(ObjectNode n, String k, double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      n.putNull(k);
    } else {
      n.put(k, Math.round(v * 10000) / 10000.0);
    }
  }

  private static final String[] COLOURS = {"#c0392b", "#2471a3", "#1e8449"};

  String html() {
    StringBuilder b = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>sutazai bench seed</title>"
        + "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
        + "padding:4px 8px;text-align:left}.met{color:#1e8449}.not{color:#c0392b}svg{border:1px solid #ddd;margin:4px}"
        + "</style></head><body><h1>sutazai bench seed</h1><p><code>" + esc(ctx.command()) + "</code></p><ul>");
    ctx.hostLines().forEach(l -> b.append("<li>").append(esc(l)).append("</li>"));
    runs.forEach(x -> b.append("<li>run ").append(esc(x.name())).append(": ").append(esc(x.description())).append("</li>"));
    b.append("</ul><table><tr><th>Metric</th><th>seed now</th><th>target</th>");
    runs.forEach(x -> b.append("<th>run ").append(esc(x.name())).append("</th>"));
    b.append("</tr>");
    for (Row row : rows()) {
      b.append("<tr><td>").append(esc(row.metric())).append("</td><td>").append(esc(row.current())).append("</td><td>")
          .append(esc(row.target())).append("</td>");
      for (RunResult x : runs) {
        String cls = row.met() == null ? "" : row.met().apply(x) ? " class=\"met\"" : " class=\"not\"";
        b.append("<td").append(cls).append(">").append(esc(cell(row, x))).append("</td>");
      }
      b.append("</tr>");
    }
    b.append("</table><p>");
    definitions().forEach(l -> b.append(esc(l)).append("<br>"));
    b.append("</p><h2>Over time</h2><p>");
    for (int i = 0; i < runs.size(); i++) {
      b.append("<span style=\"color:").append(COLOURS[i % 3]).append("\">&#9632; run ").append(esc(runs.get(i).name()))
          .append("</span> ");
    }
    b.append("</p>");
    b.append(chart("Container health rate", 1.0, RunResult.Sample::healthRate, true));
    b.append(chart("Memory in use / limit (parent cgroup)", 1.0, RunResult.Sample::memory, true));
    double maxAnswered = runs.stream().flatMap(x -> x.samples().stream()).mapToDouble(RunResult.Sample::answered).max().orElse(1);
    b.append(chart("Tasks answered (cumulative)", Math.max(1, maxAnswered), RunResult.Sample::answered, false));
    return b.append("</body></html>\n").toString();
  }

  private String chart(String title, double max, ToDoubleFunction<RunResult.Sample> f, boolean ratio) {
    int w = 640;
    int h = 200;
    double maxT = runs.stream().flatMap(x -> x.samples().stream()).mapToDouble(RunResult.Sample::seconds).max().orElse(1);
    StringBuilder b = new StringBuilder("<h3>" + esc(title) + "</h3><svg width=\"" + (w + 60) + "\" height=\"" + (h + 30)
        + "\" xmlns=\"http://www.w3.org/2000/svg\">");
    b.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"12\" font-size=\"11\">%s</text><text x=\"0\" y=\"%d\" "
        + "font-size=\"11\">0</text><text x=\"%d\" y=\"%d\" font-size=\"11\">%.0f s</text>",
        ratio ? "100 %" : String.format(Locale.ROOT, "%.0f", max), h, w, h + 20, maxT));
    for (int i = 0; i < runs.size(); i++) {
      StringBuilder pts = new StringBuilder();
      for (RunResult.Sample s : runs.get(i).samples()) {
        double v = f.applyAsDouble(s);
        if (Double.isNaN(v)) {
          continue;
        }
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", 40 + s.seconds() / maxT * w, h - Math.min(1, v / max) * (h - 10)));
      }
      b.append("<polyline fill=\"none\" stroke=\"").append(COLOURS[i % 3]).append("\" stroke-width=\"1.5\" points=\"")
          .append(pts).append("\"/>");
    }
    return b.append("</svg>").toString();
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
