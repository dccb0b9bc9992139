package ai.sutazai.cli.bench.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the commands the chaos bench needs (dockerd, initdb, pg_ctl, docker import), each bounded in time. */
final class Shell {
  private Shell() {}

  /** Output of a finished command. */
  record Result(int exit, String output) {
    boolean ok() {
      return exit == 0;
    }
  }

  static Result run(Duration timeout, Map<String, String> env, List<String> cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    byte[][] out = new byte[1][];
    Thread reader = new Thread(() -> {
      try {
        out[0] = p.getInputStream().readAllBytes();
      } catch (IOException e) {
        out[0] = new byte[0];
      }
    });
    reader.setDaemon(true);
    reader.start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      return new Result(-1, String.join(" ", cmd) + ": timed out after " + timeout.toSeconds() + " s");
    }
    reader.join(5000);
    return new Result(p.exitValue(), out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8));
  }

  static Result run(Duration timeout, List<String> cmd) throws IOException, InterruptedException {
    return run(timeout, Map.of(), cmd);
  }

  /** Runs it and fails with its output when it does not exit 0. */
  static String check(Duration timeout, Map<String, String> env, List<String> cmd) throws IOException, InterruptedException {
    Result r = run(timeout, env, cmd);
    if (!r.ok()) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed (exit " + r.exit() + "): " + r.output().strip());
    }
    return r.output();
  }

  /** The first executable found: {@code name} on the PATH, else the given candidates (globs not expanded). */
  static String find(String name, List<Path> candidates) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
      Path p = Path.of(dir, name);
      if (p.toFile().canExecute()) {
        return p.toString();
      }
    }
    for (Path c : candidates) {
      if (c.toFile().canExecute()) {
        return c.toString();
      }
    }
    return null;
  }
}
