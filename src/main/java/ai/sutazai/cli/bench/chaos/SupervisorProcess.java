package ai.sutazai.cli.bench.chaos;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code sutazai run} as a child process ({@code java -cp <this JVM's class path> ai.sutazai.Main run ...}),
 * so that the bench can {@code kill -9} it and start it again on the same journal. Its output is appended to
 * {@code supervisor.log} in the bench's temp dir.
 */
final class SupervisorProcess implements AutoCloseable {
  private final Path dir;
  private final List<String> args;
  private final String dockerHost;
  private final String token;
  private Process process;
  private boolean killing;
  int starts;
  /** Times it exited by itself (not killed by the bench) and was started again, as a service manager would. */
  int exits;

  SupervisorProcess(Path dir, Path conf, Path fleet, String dockerHost, String token) {
    this.dir = dir;
    this.dockerHost = dockerHost;
    this.token = token;
    this.args = List.of("run", "--config", conf.toString(), "--fleet", fleet.toString());
  }

  synchronized void start() throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "ai.sutazai.Main"));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("supervisor.log").toFile()));
    pb.environment().put("DOCKER_HOST", dockerHost);
    pb.environment().put("SUTAZAI_OPERATOR_TOKEN", token);
    process = pb.start();
    killing = false;
    starts++;
  }

  boolean alive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** SIGKILL: no shutdown hook, nothing graceful. Until {@link #start} again, its absence is the bench's doing. */
  synchronized void kill9() throws InterruptedException {
    killing = true;
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /**
   * As systemd's {@code Restart=on-failure} would: a supervisor that exited by itself (e.g. status 3 when it
   * started while the journal's database was down) is started again; returns its exit status, or null when
   * it runs or the bench stopped it.
   */
  synchronized Integer restartIfExited() throws IOException {
    if (killing || closed || process == null || process.isAlive()) {
      return null;
    }
    int status = process.exitValue();
    exits++;
    start();
    return status;
  }

  private boolean closed;

  @Override
  public synchronized void close() throws InterruptedException {
    closed = true;
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill9();
      }
    }
  }
}
