package ai.sutazai.capacity;

import java.util.List;

/** Renders a {@link ReportDocument} as GitHub-flavoured Markdown. Charts are left out (HTML only). */
public final class MarkdownReport {
  private MarkdownReport() {}

  public static String render(ReportDocument doc) {
    StringBuilder sb = new StringBuilder();
    sb.append("# ").append(doc.title()).append("\n\n");
    for (ReportDocument.Block block : doc.blocks()) {
      if (block instanceof ReportDocument.Heading h) {
        sb.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
      } else if (block instanceof ReportDocument.Paragraph p) {
        sb.append(p.text()).append("\n\n");
      } else if (block instanceof ReportDocument.Bullets b) {
        b.items().forEach(i -> sb.append("- ").append(i).append('\n'));
        sb.append('\n');
      } else if (block instanceof ReportDocument.Table t) {
        table(sb, t);
      } else if (block instanceof ReportDocument.CodeBlock c) {
        sb.append("```").append(c.language()).append('\n').append(c.text()).append("\n```\n\n");
      }
    }
    return sb.toString();
  }

  private static void table(StringBuilder sb, ReportDocument.Table t) {
    row(sb, t.headers());
    sb.append('|');
    for (int i = 0; i < t.headers().size(); i++) {
      sb.append(t.numeric().get(i) ? "---:|" : "---|");
    }
    sb.append('\n');
    t.rows().forEach(r -> row(sb, r));
    sb.append('\n');
  }

  private static void row(StringBuilder sb, List<String> cells) {
    sb.append('|');
    for (String c : cells) {
      sb.append(' ').append(c.replace("|", "\\|")).append(" |");
    }
    sb.append('\n');
  }
}
