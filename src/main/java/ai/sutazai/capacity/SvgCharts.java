package ai.sutazai.capacity;

import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.Sizes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The HTML report's charts, as inline SVG: no script, no network, readable when printed. */
final class SvgCharts {
  private static final String RED = "#c0392b";
  private static final String GREEN = "#2e8b57";
  private static final String BLUE = "#3a6ea5";
  private static final String LIGHT = "#9dbbdc";
  private static final String ORANGE = "#d9822b";
  private static final String GREY = "#b0b0b0";

  private SvgCharts() {}

  /** Host, budget and fleet requests, for memory (GiB) and CPU (cores). */
  static String capacity(CapacityAnalysis.Result r) {
    StringBuilder sb = open(680, 250, "Capacity: host, budget and fleet requests");
    double gib = Sizes.GIB;
    int y = bars(sb, 20, "Memory (GiB)", new String[] {"host", "budget", "fleet requests"},
        new double[] {r.host().memoryBytes() / gib, r.memoryBudgetBytes() / gib, r.memoryRequestBytes() / gib},
        r.memoryRequestBytes() > r.host().memoryBytes());
    bars(sb, y + 16, "CPU (cores)", new String[] {"host", "budget", "fleet requests"},
        new double[] {r.host().cpus(), r.cpuBudget(), r.cpuRequest()}, r.cpuRequest() > r.host().cpus());
    return close(sb);
  }

  private static int bars(StringBuilder sb, int top, String title, String[] labels, double[] values, boolean over) {
    double max = 0;
    for (double v : values) {
      max = Math.max(max, v);
    }
    int left = 130;
    int width = 460;
    sb.append(text(10, top + 12, title, "font-weight:bold"));
    int y = top + 22;
    String[] colours = {BLUE, LIGHT, over ? RED : GREEN};
    for (int i = 0; i < values.length; i++) {
      double w = max <= 0 ? 0 : values[i] / max * width;
      sb.append(text(20, y + 13, labels[i], ""));
      sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>",
          left, y, w, colours[i]));
      sb.append(text((int) (left + w + 6), y + 13, Fmt.num(values[i]), ""));
      y += 24;
    }
    return y;
  }

  /**
   * Cumulative requests of the agents in admission order, as a percentage of the host, for memory and
   * CPU, against the budgets (dashed) and the host (100 %). Ticks under the axis mark admitted agents.
   */
  static String admission(CapacityAnalysis.Result r) {
    List<AgentSpec> order = new ArrayList<>(r.fleet().agents().values());
    order.sort(CapacityAnalysis.admissionOrder());
    Set<String> admitted = new HashSet<>();
    r.admission().admitted().forEach(a -> admitted.add(a.name()));
    int n = order.size();
    double[] mem = new double[n];
    double[] cpu = new double[n];
    long m = 0;
    double c = 0;
    for (int i = 0; i < n; i++) {
      m += order.get(i).memoryBytes();
      c += order.get(i).cpus();
      mem[i] = m * 100.0 / r.host().memoryBytes();
      cpu[i] = c * 100.0 / r.host().cpus();
    }
    double top = 100;
    for (int i = 0; i < n; i++) {
      top = Math.max(top, Math.max(mem[i], cpu[i]));
    }
    top *= 1.05;
    int w = 680;
    int h = 300;
    int left = 50;
    int right = w - 20;
    int plotTop = 30;
    int bottom = h - 50;
    StringBuilder sb = open(w, h, "Cumulative requests in admission order, % of host");
    double yScale = (bottom - plotTop) / top;
    double xStep = n <= 1 ? 0 : (right - left) / (double) (n - 1);
    for (int p = 0; p <= top; p += top > 400 ? 100 : 50) {
      double y = bottom - p * yScale;
      sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>", left, y, right, y));
      sb.append(text(8, (int) y + 4, p + " %", "font-size:10px"));
    }
    hline(sb, left, right, bottom - 100 * yScale, "#333", "", "host 100 %");
    hline(sb, left, right, bottom - r.targets().memoryUtilisation() * 100 * yScale, BLUE, "stroke-dasharray=\"5,4\"", "memory budget");
    if (Math.abs(r.targets().cpuUtilisation() - 1.0) > 1e-9) {
      hline(sb, left, right, bottom - r.targets().cpuUtilisation() * 100 * yScale, ORANGE, "stroke-dasharray=\"5,4\"", "CPU budget");
    }
    sb.append(polyline(mem, left, xStep, bottom, yScale, BLUE));
    sb.append(polyline(cpu, left, xStep, bottom, yScale, ORANGE));
    for (int i = 0; i < n; i++) {
      boolean in = admitted.contains(order.get(i).name());
      sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"8\" fill=\"%s\"><title>%s</title></rect>",
          left + i * xStep - Math.max(1, xStep / 2 - 0.5), bottom + 6, Math.max(2, xStep - 1), in ? GREEN : GREY,
          HtmlReport.escape(order.get(i).name() + (in ? " (admitted)" : " (left out)"))));
    }
    int ly = h - 16;
    sb.append(legend(left, ly, BLUE, "memory")).append(legend(left + 110, ly, ORANGE, "CPU"))
        .append(legend(left + 200, ly, GREEN, "admitted")).append(legend(left + 310, ly, GREY, "left out"));
    return close(sb);
  }

  /** Healthy, degraded, unhealthy and crash-looping agents as one stacked bar. */
  static String health(ReportInputs.HealthSummary hs) {
    StringBuilder sb = open(680, 90, "Agent health");
    int total = Math.max(1, hs.agents());
    int[] counts = {hs.healthy(), hs.degraded(), hs.unhealthy(), hs.crashLooping()};
    String[] colours = {GREEN, ORANGE, RED, "#7b1c12"};
    String[] labels = {"healthy", "degraded", "unhealthy", "crash loop"};
    double x = 20;
    for (int i = 0; i < counts.length; i++) {
      double w = counts[i] * 640.0 / total;
      sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"15\" width=\"%.1f\" height=\"26\" fill=\"%s\"><title>%s: %d</title></rect>",
          x, w, colours[i], labels[i], counts[i]));
      x += w;
    }
    for (int i = 0; i < counts.length; i++) {
      sb.append(legend(20 + i * 150, 68, colours[i], labels[i] + " " + counts[i]));
    }
    return close(sb);
  }

  private static StringBuilder open(int w, int h, String title) {
    return new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
            + "font-family=\"sans-serif\" font-size=\"12\"><title>%s</title>", w, h, w, h, HtmlReport.escape(title)));
  }

  private static String close(StringBuilder sb) {
    return sb.append("</svg>").toString();
  }

  private static String text(int x, int y, String s, String style) {
    return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\"%s>%s</text>", x, y,
        style.isEmpty() ? "" : " style=\"" + style + "\"", HtmlReport.escape(s));
  }

  private static void hline(StringBuilder sb, int x1, int x2, double y, String colour, String extra, String label) {
    sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" %s/>",
        x1, y, x2, y, colour, extra));
    sb.append(text(x2 - 100, (int) y - 4, label, "font-size:10px"));
  }

  private static String polyline(double[] ys, int left, double xStep, int bottom, double yScale, String colour) {
    StringBuilder pts = new StringBuilder();
    for (int i = 0; i < ys.length; i++) {
      pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", left + i * xStep, bottom - ys[i] * yScale));
    }
    return "<polyline fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"2\" points=\"" + pts.toString().trim() + "\"/>";
  }

  private static String legend(int x, int y, String colour, String label) {
    return String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>", x, y - 10, colour)
        + text(x + 16, y, label, "");
  }
}
