package ai.sutazai.cli.bench.chaos;

import ai.sutazai.runtime.DockerClients;
import com.github.dockerjava.api.DockerClient;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Docker engine of the bench's own, so that restarting it disturbs nobody: {@code dockerd} with the flags
 * of {@code cluster/dev/docker-engine.sh} (no bridge, no iptables, no IP forwarding: containers use host
 * networking or none) and its own socket, {@code --data-root} and {@code --exec-root} under {@code dir}.
 * Needs root. {@link #close} stops it; its data root is removed with the bench's temp dir.
 */
final class PrivateEngine implements AutoCloseable {
  static final String IMAGE = "sutazai/busybox:local";

  private final Path dir;
  private final String dockerd;
  private Process process;
  private DockerClient client;

  PrivateEngine(Path dir) throws IOException {
    this.dir = dir;
    this.dockerd = Shell.find("dockerd", List.of());
    if (dockerd == null) {
      throw new IllegalStateException("dockerd not found on the PATH (apt-get install docker.io; cluster/dev/docker-engine.sh does)");
    }
    Files.createDirectories(dir.resolve("data"));
    Files.createDirectories(dir.resolve("exec"));
  }

  /** {@code unix://...} of this engine's socket. */
  String host() {
    return "unix://" + dir.resolve("docker.sock");
  }

  DockerClient client() {
    return client;
  }

  long pid() {
    return process == null ? -1 : process.pid();
  }

  /** Starts dockerd and waits until it answers (60 s at most). */
  synchronized void start() throws IOException, InterruptedException {
    Files.deleteIfExists(dir.resolve("docker.sock"));
    Files.deleteIfExists(dir.resolve("docker.pid"));
    process = new ProcessBuilder(dockerd, "--host", host(), "--data-root", dir.resolve("data").toString(),
        "--exec-root", dir.resolve("exec").toString(), "--pidfile", dir.resolve("docker.pid").toString(),
        "--bridge=none", "--iptables=false", "--ip-forward=false", "--ip-masq=false", "--ip6tables=false")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile()))
        .start();
    if (client == null) {
      client = DockerClients.create(host(), Duration.ofSeconds(30));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("dockerd exited (" + process.exitValue() + "); see " + dir.resolve("dockerd.log"));
      }
      if (answers()) {
        return;
      }
      Thread.sleep(200); // polling a process that is starting; nothing to wait on
    }
    throw new IllegalStateException("dockerd did not answer within 60 s; see " + dir.resolve("dockerd.log"));
  }

  boolean answers() {
    try {
      client.pingCmd().exec();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** SIGTERM, as `systemctl stop docker` does (containers without live-restore are stopped), and waits. */
  synchronized void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Imports the busybox image as cluster/dev/busybox-image.sh builds it (a static busybox as the root fs). */
  void importBusybox() throws IOException, InterruptedException {
    String busybox = Shell.find("busybox", List.of(Path.of("/bin/busybox")));
    if (busybox == null) {
      throw new IllegalStateException("busybox not found (apt-get install busybox-static; cluster/dev/busybox-image.sh does)");
    }
    Path root = dir.resolve("busybox-root");
    String script = "set -e; r=\"$1\"; bb=\"$2\"; mkdir -p \"$r/bin\" \"$r/tmp\" \"$r/www\" \"$r/etc\"; cp \"$bb\" \"$r/bin/busybox\"; "
        + "for a in $(\"$r/bin/busybox\" --list); do [ \"$a\" = busybox ] || ln -sf busybox \"$r/bin/$a\"; done; "
        + "echo 'root:x:0:0:root:/:/bin/sh' > \"$r/etc/passwd\"; echo ok > \"$r/www/health\"; "
        + "tar -C \"$r\" -cf - . | docker import --change 'ENV PATH=/bin' --change 'CMD [\"/bin/sh\"]' - " + IMAGE;
    Shell.check(Duration.ofMinutes(2), Map.of("DOCKER_HOST", host()), List.of("sh", "-c", script, "sh", root.toString(), busybox));
  }

  @Override
  public void close() throws Exception {
    if (client != null) {
      // Every container of this engine is the bench's own: remove them all before the engine goes.
      try {
        client.listContainersCmd().withShowAll(true).exec().forEach(c -> {
          try {
            client.removeContainerCmd(c.getId()).withForce(true).exec();
          } catch (RuntimeException ignored) {
            // best effort; the engine and its data root go next
          }
        });
      } catch (RuntimeException ignored) {
        // the engine is down
      }
    }
    stop();
    if (client != null) {
      client.close();
    }
    // dockerd leaves its exec-root mounts (netns, shm) behind only when killed: unmount whatever is left.
    Shell.run(Duration.ofSeconds(30), List.of("sh", "-c",
        "grep -o ' " + dir + "[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null; true"));
  }

  File log() {
    return dir.resolve("dockerd.log").toFile();
  }
}
