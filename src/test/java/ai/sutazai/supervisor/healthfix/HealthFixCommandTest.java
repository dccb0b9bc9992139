package ai.sutazai.supervisor.healthfix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** User errors of {@code sutazai health-fix}: one clear line and exit status 2, no stack trace. */
class HealthFixCommandTest {
  private static String[] run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new String[] {String.valueOf(exit), err.toString()};
  }

  @Test
  void unknownFormatIsAUserError() {
    String[] result = run("health-fix", "--format", "xml");
    assertEquals("2", result[0]);
    assertTrue(result[1].contains("Invalid value for option '--format': expected one of [table, json]"), result[1]);
  }

  @Test
  void aHistoryLimitBelowOneIsAUserError() {
    String[] result = run("health-fix", "--history", "--limit", "-3");
    assertEquals("2", result[0]);
    assertEquals("error: --limit: expected 1 or more, got -3", result[1].trim());
  }

  @Test
  void unreachableEngineNamesTheHost(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("c.conf");
    String host = "unix://" + dir.resolve("no-docker.sock");
    Files.writeString(conf, "sutazai.docker.host = \"" + host + "\"\n");
    String[] result = run("health-fix", "--config", conf.toString());
    assertEquals("2", result[0]);
    assertTrue(result[1].startsWith("error: Docker engine not reachable at " + host), result[1]);
    assertTrue(!result[1].contains("\tat "), "no stack trace: " + result[1]);
  }
}
