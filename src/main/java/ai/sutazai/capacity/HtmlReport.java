package ai.sutazai.capacity;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Renders a {@link ReportDocument} as one self-contained HTML page: inline CSS and SVG charts, no network. */
public final class HtmlReport {
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");
  private static final Pattern BOLD = Pattern.compile("\\*\\*([^*]+)\\*\\*");
  private static final String CSS = """
      body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}
      h1{border-bottom:2px solid #3a6ea5;padding-bottom:.3rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}
      table{border-collapse:collapse;margin:.8rem 0;font-size:.92rem}th,td{border:1px solid #ccc;padding:.25rem .6rem}
      th{background:#f0f4f8;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
      code{background:#f3f3f3;padding:0 .2rem;border-radius:3px}pre{background:#f6f8fa;padding:.8rem;overflow:auto}
      figure{margin:1rem 0}svg{max-width:100%;height:auto}
      """;

  private HtmlReport() {}

  /** The page; charts are drawn from {@code r} and {@code in}. */
  public static String render(ReportDocument doc, CapacityAnalysis.Result r, ReportInputs in) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(doc.title()))
        .append("</title><style>").append(CSS).append("</style></head>\n<body>\n<h1>").append(escape(doc.title())).append("</h1>\n");
    for (ReportDocument.Block block : doc.blocks()) {
      if (block instanceof ReportDocument.Heading h) {
        sb.append("<h").append(h.level()).append(" id=\"").append(escape(h.anchor())).append("\">")
            .append(inline(h.text())).append("</h").append(h.level()).append(">\n");
      } else if (block instanceof ReportDocument.Paragraph p) {
        sb.append("<p>").append(inline(p.text())).append("</p>\n");
      } else if (block instanceof ReportDocument.Bullets b) {
        sb.append("<ul>");
        b.items().forEach(i -> sb.append("<li>").append(inline(i)).append("</li>"));
        sb.append("</ul>\n");
      } else if (block instanceof ReportDocument.Table t) {
        table(sb, t);
      } else if (block instanceof ReportDocument.CodeBlock c) {
        sb.append("<pre><code>").append(escape(c.text())).append("</code></pre>\n");
      } else if (block instanceof ReportDocument.Chart c) {
        String svg = switch (c.kind()) {
          case CAPACITY -> SvgCharts.capacity(r);
          case ADMISSION -> SvgCharts.admission(r);
          case HEALTH -> in.health().map(SvgCharts::health).orElse("");
        };
        if (!svg.isEmpty()) {
          sb.append("<figure class=\"chart\">").append(svg).append("</figure>\n");
        }
      }
    }
    return sb.append("</body></html>\n").toString();
  }

  private static void table(StringBuilder sb, ReportDocument.Table t) {
    sb.append("<table><thead><tr>");
    t.headers().forEach(h -> sb.append("<th>").append(inline(h)).append("</th>"));
    sb.append("</tr></thead><tbody>");
    for (List<String> row : t.rows()) {
      sb.append("<tr>");
      for (int i = 0; i < row.size(); i++) {
        sb.append(t.numeric().get(i) ? "<td class=\"num\">" : "<td>").append(inline(row.get(i))).append("</td>");
      }
      sb.append("</tr>");
    }
    sb.append("</tbody></table>\n");
  }

  /** Escapes, then turns {@code `code`} and {@code **bold**} into tags. */
  static String inline(String text) {
    String s = escape(text);
    Matcher m = CODE.matcher(s);
    s = m.replaceAll(mr -> Matcher.quoteReplacement("<code>" + mr.group(1) + "</code>"));
    m = BOLD.matcher(s);
    return m.replaceAll(mr -> Matcher.quoteReplacement("<strong>" + mr.group(1) + "</strong>"));
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
