package ai.sutazai.capacity;

import java.util.ArrayList;
import java.util.List;

/**
 * The analysis report as a list of blocks, built once from data and rendered as Markdown or HTML, so
 * both formats always say the same thing. Text may use {@code `code`} and {@code **bold**}.
 */
public record ReportDocument(String title, List<Block> blocks) {

  public ReportDocument {
    blocks = List.copyOf(blocks);
  }

  /** One piece of the report. */
  public sealed interface Block permits Heading, Paragraph, Bullets, Table, CodeBlock, Chart {}

  /** A section heading; {@code anchor} is a stable id for links and tests. */
  public record Heading(int level, String text, String anchor) implements Block {}

  public record Paragraph(String text) implements Block {}

  public record Bullets(List<String> items) implements Block {
    public Bullets {
      items = List.copyOf(items);
    }
  }

  /** A table; {@code numeric[i]} right-aligns column i. */
  public record Table(List<String> headers, List<Boolean> numeric, List<List<String>> rows) implements Block {
    public Table {
      headers = List.copyOf(headers);
      numeric = List.copyOf(numeric);
      rows = rows.stream().map(List::copyOf).toList();
    }
  }

  public record CodeBlock(String language, String text) implements Block {}

  /** A chart; only the HTML report draws it (inline SVG). */
  public record Chart(ChartKind kind) implements Block {}

  /** The charts the HTML report knows how to draw. */
  public enum ChartKind {
    CAPACITY,
    ADMISSION,
    HEALTH
  }

  /** Collects blocks in order. */
  public static final class Builder {
    private final String title;
    private final List<Block> blocks = new ArrayList<>();

    public Builder(String title) {
      this.title = title;
    }

    public Builder heading(int level, String text, String anchor) {
      blocks.add(new Heading(level, text, anchor));
      return this;
    }

    public Builder paragraph(String text) {
      blocks.add(new Paragraph(text));
      return this;
    }

    public Builder bullets(List<String> items) {
      blocks.add(new Bullets(items));
      return this;
    }

    public Builder table(List<String> headers, List<Boolean> numeric, List<List<String>> rows) {
      blocks.add(new Table(headers, numeric, rows));
      return this;
    }

    public Builder code(String language, String text) {
      blocks.add(new CodeBlock(language, text));
      return this;
    }

    public Builder chart(ChartKind kind) {
      blocks.add(new Chart(kind));
      return this;
    }

    public ReportDocument build() {
      return new ReportDocument(title, blocks);
    }
  }
}
