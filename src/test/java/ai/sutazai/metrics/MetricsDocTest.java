package ai.sutazai.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.metrics.stats.MetricNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** docs/metrics.md's table lists exactly MetricNames' families, each with its type and unit; README links it. */
class MetricsDocTest {
  @Test
  void theTableListsEveryExposedFamilyWithItsTypeAndUnit() throws Exception {
    Map<String, String[]> rows = new TreeMap<>();
    for (String line : Files.readAllLines(Path.of("docs/metrics.md"))) {
      if (line.startsWith("| `sutazai_")) {
        String[] cells = line.split("\\|");
        rows.put(cells[1].trim().replace("`", ""), new String[] {cells[2].trim(), cells[3].trim()});
      }
    }
    Map<String, String> types = new TreeMap<>();
    rows.forEach((n, c) -> types.put(n, c[0]));
    assertEquals(MetricNames.types(), types, "docs/metrics.md against MetricNames.ALL");
    for (MetricNames.Family f : MetricNames.ALL) {
      String unit = rows.get(f.name())[1];
      assertTrue(f.unit().isEmpty() ? !unit.isEmpty() : unit.contains(f.unit()), f.name() + ": unit " + unit);
    }
    assertTrue(Files.readString(Path.of("README.md")).contains("(docs/metrics.md)"), "README links docs/metrics.md");
  }
}
