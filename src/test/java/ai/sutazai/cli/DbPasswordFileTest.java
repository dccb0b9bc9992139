package ai.sutazai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.Main;
import ai.sutazai.metrics.baseline.BaselineStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database password reaches a command from a file ({@code --db-password-file}), not from its command line, where
 * every user of the host sees it in {@code ps}; {@code --db-password} still works but warns.
 */
class DbPasswordFileTest {
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  /** Runs {@code sutazai args} in a new JVM (as a user does; RouterOnlyRunTest's way), capturing its output. */
  private static Run run(String... args) throws Exception {
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
        Main.class.getName()));
    command.addAll(java.util.List.of(args));
    Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
    java.util.concurrent.CompletableFuture<String> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (java.io.IOException e) {
        return e.toString();
      }
    });
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "sutazai " + String.join(" ", args) + " did not end");
    return new Run(p.exitValue(), out.get(), err);
  }

  @Test
  void thePasswordComesFromAFileAndTheCommandLineFormWarns() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("baselines");
    BaselineStore.open(url, "owner", "s3cret-pw", "");
    Path file = dir.resolve("db.password");
    Files.writeString(file, "s3cret-pw\n");

    Run ok = run("baseline", "list", "--db", url, "--db-user", "owner", "--db-password-file", file.toString());
    assertEquals(0, ok.exit(), ok.err());

    Run wrong = run("baseline", "list", "--db", url, "--db-user", "owner");
    assertNotEquals(0, wrong.exit(), "without the password the database refuses: " + wrong.out());

    Run missing = run("baseline", "list", "--db", url, "--db-user", "owner", "--db-password-file",
        dir.resolve("nope").toString());
    assertNotEquals(0, missing.exit());
    assertTrue(missing.err().contains("--db-password-file") && missing.err().contains("nope"), missing.err());

    Run old = run("baseline", "list", "--db", url, "--db-user", "owner", "--db-password", "s3cret-pw");
    assertEquals(0, old.exit(), old.err());
    assertTrue(old.err().contains("use --db-password-file"), old.err());
  }
}
