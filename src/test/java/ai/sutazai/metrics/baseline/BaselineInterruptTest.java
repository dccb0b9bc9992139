package ai.sutazai.metrics.baseline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.metrics.stats.CollectorSeries;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C of {@code sutazai baseline --duration 10m}, as a real process: the samples recorded until then are
 * stored as it goes, and on SIGINT the baseline is kept, marked incomplete; list, show and analyze say so.
 */
class BaselineInterruptTest {

  @Test
  void ctrlCKeepsWhatWasRecordedMarkedIncomplete(@TempDir Path dir) throws Exception {
    Path conf = BaselineCommandTest.config(dir);
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), "ai.sutazai.Main",
        "baseline", "--duration", "10m", "--label", "ctrl-c", "--config", conf.toString());
    Path log = dir.resolve("out.log");
    Process p = new ProcessBuilder(cmd).directory(new File(System.getProperty("user.dir")))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    String url = "jdbc:h2:file:" + dir.resolve("data/baselines");
    // The process's account: user sutazai with the password it generated into its data directory.
    Path passwordFile = dir.resolve("data").resolve(ai.sutazai.common.H2Account.PASSWORD_FILE);
    try {
      // The H2 file is shared with the recording process, which holds it while it writes: retry on "in use".
      await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> {
        assertTrue(p.isAlive(), Files.readString(log));
        List<BaselineInfo> all = BaselineStore.openIfExists(url, "sutazai", Files.readString(passwordFile).trim(), null)
            .orElseThrow().list();
        return all.size() == 1 && all.get(0).samples() >= 5;
      });
      new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).inheritIO().start().waitFor();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "baseline did not stop on SIGINT: " + Files.readString(log));
    } finally {
      p.destroyForcibly();
    }
    String out = Files.readString(log);
    assertTrue(out.contains("interrupted: baseline 1 stored, incomplete:"), out);

    BaselineStore store = BaselineStore.open(url, "sutazai", Files.readString(passwordFile).trim(), null);
    BaselineInfo info = store.list().get(0);
    assertFalse(info.complete(), "marked incomplete");
    assertEquals(Duration.ofMinutes(10), info.plannedDuration());
    Baseline b = store.get(info.id()).orElseThrow();
    assertFalse(b.complete());
    assertTrue(b.samples() >= 5, "the samples recorded before Ctrl-C: " + b.samples());
    assertTrue(b.duration().compareTo(Duration.ofMinutes(1)) < 0, "recorded duration, not the planned one: " + b.duration());
    MetricBaseline memory = b.metric("sutazai_host_memory_utilisation_ratio").orElseThrow();
    assertEquals(b.samples(), memory.summary().count(), "statistics over every sample recorded");
    assertEquals(b.samples(), b.history().get(CollectorSeries.HOST_MEMORY_USED_BYTES).size(), "the kept samples, each one");

    String c = conf.toString();
    BaselineCommandTest.Run list = BaselineCommandTest.run("baseline", "list", "--config", c);
    assertEquals(0, list.exit(), list.err());
    assertTrue(list.out().contains("INCOMPLETE") && list.out().contains(" of 10m"), list.out());
    JsonNode listed = BaselineCommandTest.JSON.readTree(BaselineCommandTest.run("baseline", "list", "--format", "json",
        "--config", c).out());
    assertFalse(listed.get(0).get("complete").asBoolean());
    BaselineCommandTest.Run show = BaselineCommandTest.run("baseline", "show", "1", "--config", c);
    assertTrue(show.out().contains("Incomplete: ") && show.out().contains("of the planned 10m"), show.out());

    // analyze uses it, the only baseline there is, and says it is incomplete
    BaselineCommandTest.Run analyze = BaselineCommandTest.run("analyze", "--fleet", "conf/fleets/demo.conf",
        "--host-memory", "29GiB", "--host-cpus", "12", "--config", c);
    assertEquals(0, analyze.exit(), analyze.err());
    assertTrue(analyze.out().contains("Baseline `1`") && analyze.out().contains("It is incomplete: "), analyze.out());
  }
}
