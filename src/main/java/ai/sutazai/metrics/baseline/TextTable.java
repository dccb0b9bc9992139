package ai.sutazai.metrics.baseline;

import java.util.List;

/** A plain text table: left-aligned first column, right-aligned numbers, padded to the widest cell. */
final class TextTable {
  private TextTable() {}

  static String render(String[] header, List<String[]> rows) {
    int[] width = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      width[i] = header[i].length();
    }
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, header, width);
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < width.length; i++) {
      rule.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
    }
    out.append(rule).append('\n');
    for (String[] r : rows) {
      line(out, r, width);
    }
    return out.toString();
  }

  private static void line(StringBuilder out, String[] cells, int[] width) {
    for (int i = 0; i < cells.length; i++) {
      String cell = cells[i];
      String pad = " ".repeat(width[i] - cell.length());
      out.append(i == 0 ? "" : "  ").append(i == 0 ? cell + pad : pad + cell);
    }
    out.append('\n');
  }
}
