package ai.sutazai.metrics.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.Main;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `sutazai baseline` end to end on an H2 file in a temp dir, with a 200 ms sample interval. */
class BaselineCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static Path config(Path dir) throws Exception {
    Path conf = dir.resolve("test.conf");
    Files.writeString(conf, "sutazai.data-dir = \"" + dir.resolve("data") + "\"\n"
        + "sutazai.metrics.baseline.sample-interval = 200ms\n"
        + "sutazai.metrics.baseline.quick-duration = 1s\n"
        + "sutazai.metrics.containers.enabled = off\n");
    return conf;
  }

  @Test
  void recordsStoresListsShowsAndCompares(@TempDir Path dir) throws Exception {
    String conf = config(dir).toString();
    Run first = run("baseline", "--duration", "2s", "--format", "json", "--config", conf, "--label", "first");
    assertEquals(0, first.exit(), first.err());
    JsonNode b = JSON.readTree(first.out());
    assertEquals(1, b.get("id").asLong());
    assertEquals("first", b.get("label").asText());
    int samples = b.get("samples").asInt();
    assertTrue(samples >= 5 && samples <= 12, "2 s at 200 ms: about 10 samples, got " + samples);
    // stderr is not a terminal here: one line saying what is recorded, no \r-redrawn progress bar
    assertTrue(first.err().contains("recording a baseline for 2s"), first.err());
    assertTrue(!first.err().contains("\r") && !first.err().contains("left"), "no progress bar off a terminal: " + first.err());
    assertTrue(b.get("complete").asBoolean(), first.out());
    JsonNode memory = null;
    for (JsonNode m : b.get("metrics")) {
      if (m.get("series").asText().equals("sutazai_host_memory_utilisation_ratio")) {
        memory = m;
      }
    }
    assertTrue(memory != null, "memory utilisation recorded");
    assertEquals(samples, memory.get("count").asInt());
    assertTrue(memory.get("min").asDouble() <= memory.get("p50").asDouble());
    assertTrue(memory.get("p99").asDouble() <= memory.get("max").asDouble());
    assertTrue(memory.get("warningThreshold").asDouble() <= 0.70 + 1e-12, "never above the static warning");
    assertTrue(memory.get("criticalThreshold").asDouble() <= 0.85 + 1e-12, "never above the static critical");
    assertTrue(Files.exists(dir.resolve("data/baselines.mv.db")), "H2 file under the data dir");

    Run quick = run("baseline", "--quick", "--quiet", "--config", conf);
    assertEquals(0, quick.exit(), quick.err());
    assertEquals("", quick.err(), "--quiet: nothing on stderr");
    assertTrue(quick.out().startsWith("baseline 2:"), quick.out());
    assertTrue(quick.out().contains("sutazai_host_load1"), quick.out());

    Run list = run("baseline", "list", "--format", "json", "--config", conf);
    assertEquals(0, list.exit(), list.err());
    JsonNode all = JSON.readTree(list.out());
    assertEquals(2, all.size());
    assertEquals(2, all.get(0).get("id").asLong());

    Run show = run("baseline", "show", "1", "--format", "md", "--config", conf);
    assertEquals(0, show.exit(), show.err());
    assertTrue(show.out().startsWith("# Performance baseline 1"), show.out());
    assertTrue(show.out().contains("| `sutazai_host_memory_utilisation_ratio` |"), show.out());

    Run compare = run("baseline", "compare", "1", "2", "--format", "json", "--config", conf);
    assertEquals(0, compare.exit(), compare.err());
    JsonNode drift = JSON.readTree(compare.out());
    assertEquals(1, drift.get("from").asLong());
    assertTrue(drift.get("series").size() > 5);
  }

  @Test
  void userErrorsAreClearAndExitTwo(@TempDir Path dir) throws Exception {
    String conf = config(dir).toString();
    Run bad = run("baseline", "--duration", "soon", "--config", conf);
    assertEquals(2, bad.exit());
    assertTrue(bad.err().contains("--duration 'soon' is not a duration"), bad.err());
    assertTrue(!bad.err().contains("Exception"), bad.err());

    Run tooShort = run("baseline", "--duration", "100ms", "--config", conf);
    assertEquals(2, tooShort.exit());
    assertTrue(tooShort.err().contains("shorter than the sample interval"), tooShort.err());

    Run noDb = run("baseline", "--quick", "--db", "jdbc:postgresql://127.0.0.1:1/none", "--config", conf);
    assertEquals(2, noDb.exit());
    assertTrue(noDb.err().contains("cannot open the baseline database jdbc:postgresql://127.0.0.1:1/none"), noDb.err());

    Run missing = run("baseline", "show", "42", "--config", conf);
    assertEquals(2, missing.exit());
    assertTrue(missing.err().contains("no baseline with id 42"), missing.err());
  }
}
