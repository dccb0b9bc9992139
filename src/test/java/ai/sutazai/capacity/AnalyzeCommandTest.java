package ai.sutazai.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.Main;
import ai.sutazai.fleet.Sizes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sutazai analyze} through the real command line, without exiting the JVM. */
class AnalyzeCommandTest {
  static final String SEED = "conf/fleets/sutazai-69.conf";

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void seedFleetOnSeedHostAsJson() throws Exception {
    Run r = run("analyze", "--fleet", SEED, "--host-memory", "29GiB", "--host-cpus", "12", "--format", "json");
    assertEquals(0, r.exit(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals(29 * Sizes.GIB, j.at("/host/memoryBytes").asLong());
    assertEquals(12.0, j.at("/host/cpus").asDouble());
    assertEquals(69, j.at("/fleet/agents").asInt());
    assertEquals(40.5, j.at("/fleet/cpuRequest").asDouble());
    assertEquals(18.3, Math.round(j.at("/shortfall/memoryBytes").asLong() * 10.0 / Sizes.GIB) / 10.0);
    assertEquals(63, Math.round(j.at("/shortfall/memoryPercent").asDouble()));
    assertEquals(238, Math.round(j.at("/shortfall/cpuPercent").asDouble()));
    assertTrue(j.at("/maxConcurrentAgents").asInt() > 0 && j.at("/maxConcurrentAgents").asInt() < 69);
  }

  @Test
  void markdownToStdoutShowsTheSeedsFigures() {
    Run r = run("analyze", "--fleet", SEED, "--host-memory", "29GiB", "--host-cpus", "12");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("18.3 GiB shortfall (63 % over capacity) when all 69 agents are active"), r.out());
    assertTrue(r.out().contains("238 % over capacity (40.5 cores needed, 12 available)"), r.out());
  }

  @Test
  void htmlToAFile() throws Exception {
    Path out = dir.resolve("reports/analysis.html");
    Run r = run("analyze", "--fleet", SEED, "--host-memory", "29GiB", "--host-cpus", "12", "--format", "html", "--out", out.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(Files.readString(out).startsWith("<!DOCTYPE html>"));
    assertTrue(r.out().isEmpty());
  }

  @Test
  void badHostMemoryIsAClearErrorWithStatusTwo() {
    Run r = run("analyze", "--fleet", SEED, "--host-memory", "lots", "--host-cpus", "12");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--host-memory 'lots' is not a size"), r.err());
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r.err());
    Run negative = run("analyze", "--fleet", SEED, "--host-memory", "-29GiB", "--host-cpus", "12");
    assertEquals(2, negative.exit());
    assertTrue(negative.err().contains("negative"), negative.err());
  }

  @Test
  void otherUserErrorsExitWithTwo() throws Exception {
    assertEquals(2, run("analyze", "--fleet", SEED, "--host-memory", "29GiB", "--host-cpus", "zero").exit());
    assertEquals(2, run("analyze", "--fleet", SEED, "--host-memory", "29GiB", "--host-cpus", "12", "--format", "pdf").exit());
    Path bad = dir.resolve("bad.conf");
    Files.writeString(bad, "sutazai.fleet.agents { a { memory = 1GiB, cpus = 1 } }\n");
    Run r = run("analyze", "--fleet", bad.toString(), "--host-memory", "29GiB", "--host-cpus", "12");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains(bad + ": agent 'a': key 'image': missing"), r.err());
  }

  @Test
  void withoutHostFlagsTheRealHostIsUsed() throws Exception {
    Run r = run("analyze", "--fleet", "conf/fleets/demo.conf", "--format", "json");
    assertEquals(0, r.exit(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals("detected", j.at("/host/source").asText());
    assertEquals(Runtime.getRuntime().availableProcessors() > 0, j.at("/host/cpus").asDouble() >= 1);
    assertTrue(j.at("/host/memoryBytes").asLong() > 256 * Sizes.MIB);
    assertEquals("demo", j.at("/fleet/name").asText());
  }
}
