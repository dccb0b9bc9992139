package ai.sutazai.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.Main;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * {@code sutazai bench supervisor} and {@code bench quota} run end to end at a small scale (the figures are
 * for the README, not asserted): every agent is activated, the queue drains, and the table names each
 * kind of decision latency and the targets.
 */
class BenchCommandsTest {
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private Level rootLevel;
  private PrintStream stdout;

  @BeforeEach
  void keepLogging() {
    rootLevel = root.getLevel();
    stdout = System.out;
  }

  /** The benchmarks quiet the root logger for their own output; other tests of this JVM keep theirs. */
  @AfterEach
  void restore() {
    root.setLevel(rootLevel);
    System.setOut(stdout);
  }

  /** {@code sutazai bench <args>}, as the jar's Main runs it; its table on stdout. */
  private static String run(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    int status;
    try {
      String[] all = new String[args.length + 1];
      all[0] = "bench";
      System.arraycopy(args, 0, all, 1, args.length);
      status = Main.commandLine().execute(all);
    } finally {
      System.setOut(previous);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, out);
    return out;
  }

  private static String value(String out, String row) {
    Matcher m = Pattern.compile("(?m)^  " + Pattern.quote(row) + "\\s+(.+)$").matcher(out);
    assertTrue(m.find(), "no row '" + row + "' in:\n" + out);
    return m.group(1).trim();
  }

  @Test
  void supervisorBenchActivatesEveryAgent() {
    String out = run("supervisor", "--agents", "30");

    assertEquals("30", value(out, "active agents (pool status)"));
    assertTrue(value(out, "activation request, handling to journalled p50 / p99").matches("[0-9.]+ ms / [0-9.]+ ms"), out);
    assertTrue(value(out, "target: activation decision p99 (request to reply) < 5 ms").matches("met|NOT met"), out);
    assertTrue(value(out, "container runtime").startsWith("SimulatedRuntime"), "the table says the runtime is simulated");
  }

  @Test
  void quotaBenchDrainsTheQueue() {
    String out = run("quota", "--agents", "40", "--max-active", "5");

    assertEquals("40 / 40", value(out, "requests in the burst / distinct agents"));
    assertEquals("0", value(out, "pool afterwards: active / queued").replaceAll(".*/\\s*", ""), "nothing left queued");
    assertTrue(value(out, "activation request, handling to journalled p50 / p99").matches("[0-9.]+ ms / [0-9.]+ ms"), out);
    assertTrue(value(out, "pool's own decisions, handling to journalled p50 / p99")
        .matches("[0-9.]+ ms / [0-9.]+ ms \\([0-9]+\\)"), "admissions from the queue are the pool's own decisions: " + out);
  }

  @Test
  void badArgumentsGetAClearError() {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    int status = cli.execute("bench", "quota", "--agents", "0");

    assertEquals(2, status);
    assertEquals("error: --agents: expected 1 to 1000000, got 0", err.toString().trim());
  }
}
