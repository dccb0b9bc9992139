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
  int starts;

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
    starts++;
  }

  boolean alive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** SIGKILL: no shutdown hook, nothing graceful. */
  synchronized void kill9() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Override
  public synchronized void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill9();
      }
    }
  }
}
