package ai.sutazai.testsupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sutazai run} as a real process in a router-only deployment (a fleet of no agents, one worker): its own
 * data directory, an engine address where nothing listens and no DOCKER_HOST (the run must not need an engine),
 * a free inference port; started once its banner names the management port. Closing it kills what is left.
 */
public final class RouterOnlyProcess implements AutoCloseable {
  public final Process process;
  public final int inferencePort;
  public final int managementPort;
  public final Path log;

  private RouterOnlyProcess(Process process, int inferencePort, int managementPort, Path log) {
    this.process = process;
    this.inferencePort = inferencePort;
    this.managementPort = managementPort;
    this.log = log;
  }

  /**
   * Starts {@code launcher} (the java command up to the main class or jar) with {@code run} for a fleet named
   * {@code fleetName} in {@code dir}, and waits up to {@code startTimeout} for its banner.
   */
  public static RouterOnlyProcess start(List<String> launcher, Path dir, String fleetName, String workerUrl,
      Duration startTimeout) throws Exception {
    Path fleet = dir.resolve("fleet.conf");
    Files.writeString(fleet, "sutazai.fleet {\n  name = \"" + fleetName + "\"\n  agents {}\n}\n");
    Path conf = dir.resolve("test.conf");
    Files.writeString(conf, "sutazai.data-dir = \"" + dir.resolve("data") + "\"\n"
        + "sutazai.docker.host = \"tcp://127.0.0.1:" + DockerTestSupport.freePort() + "\"\n");
    int inferencePort = DockerTestSupport.freePort();
    List<String> cmd = new ArrayList<>(launcher);
    cmd.addAll(List.of("run", "--config", conf.toString(), "--fleet", fleet.toString(), "--worker", workerUrl));
    Path log = dir.resolve("out.log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(new File(System.getProperty("user.dir")))
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("DOCKER_HOST");
    pb.environment().put("SUTAZAI_INFERENCE_PORT", String.valueOf(inferencePort));
    Process p = pb.start();
    try {
      Pattern started = Pattern.compile("router-only deployment '" + Pattern.quote(fleetName)
          + "'.*API on http://[^:]+:(\\d+)/");
      int[] managementPort = {-1};
      await().atMost(startTimeout).until(() -> {
        assertTrue(p.isAlive(), "run exited: " + Files.readString(log));
        Matcher m = started.matcher(Files.readString(log));
        if (m.find()) {
          managementPort[0] = Integer.parseInt(m.group(1));
        }
        return managementPort[0] > 0;
      });
      return new RouterOnlyProcess(p, inferencePort, managementPort[0], log);
    } catch (Exception | Error e) {
      p.destroyForcibly();
      throw e;
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
