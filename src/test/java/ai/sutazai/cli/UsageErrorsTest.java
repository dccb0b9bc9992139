package ai.sutazai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command line's conventions: {@code --version} is the pom's, usage errors (no subcommand, an unknown
 * option, a bad value) go to stderr with exit status 2, and {@code --format} names its valid values.
 */
class UsageErrorsTest {

  /** One run of the real command line: exit status, stdout, stderr. */
  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int status = cli.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  /** The project's own version, read from pom.xml (the first <version> after the artifactId). */
  static String pomVersion() throws Exception {
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher m = Pattern.compile("<artifactId>sutazai-supervisor</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
    assertTrue(m.find(), "pom.xml names the project's version");
    return m.group(1).strip();
  }

  @Test
  void versionIsThePoms() throws Exception {
    Run r = run("--version");
    assertEquals(0, r.status(), r.err());
    assertEquals("sutazai " + pomVersion(), r.out().strip());
    assertEquals(pomVersion(), ai.sutazai.common.Version.current());
  }

  @Test
  void noSubcommandIsAUsageErrorOnStderr() {
    for (String[] args : new String[][] {{}, {"bench"}}) {
      Run r = run(args);
      assertEquals(2, r.status(), String.join(" ", args) + ": " + r.err());
      assertEquals("", r.out(), "nothing on stdout for " + String.join(" ", args));
      assertTrue(r.err().contains("Missing required subcommand"), r.err());
      assertTrue(r.err().contains("Usage:"), r.err());
    }
  }

  @Test
  void unknownOptionAndBadValueAreUsageErrorsOnStderr() {
    Run unknown = run("analyze", "--no-such-option");
    assertEquals(2, unknown.status(), unknown.err());
    assertEquals("", unknown.out());
    assertTrue(unknown.err().contains("Unknown option: '--no-such-option'"), unknown.err());

    Run badValue = run("health-fix", "--limit", "many");
    assertEquals(2, badValue.status(), badValue.err());
    assertEquals("", badValue.out());
    assertTrue(badValue.err().contains("'many' is not an int"), badValue.err());
  }

  @Test
  void badFormatIsAUsageErrorListingTheValidValues() {
    String[][] cases = {
      {"analyze", "[md, html, json]"},
      {"baseline", "[table, json]"},
      {"baseline list", "[table, json]"},
      {"baseline show 1", "[table, json, md]"},
      {"baseline compare 1 2", "[table, json]"},
      {"health-fix", "[table, json]"},
    };
    for (String[] c : cases) {
      String[] words = (c[0] + " --format xml").split(" ");
      Run r = run(words);
      assertEquals(2, r.status(), c[0] + ": " + r.err());
      assertEquals("", r.out(), c[0]);
      assertTrue(r.err().contains("Invalid value for option '--format': expected one of " + c[1]), c[0] + ": " + r.err());
      assertTrue(r.err().contains("but was 'xml'"), r.err());
    }
    String help = run("analyze", "--help").out();
    assertTrue(help.contains("Output format: md, html, json (default: md)"), help);
  }
}
