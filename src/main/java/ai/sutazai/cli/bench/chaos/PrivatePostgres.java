package ai.sutazai.cli.bench.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A PostgreSQL cluster of the bench's own, so that restarting it disturbs nobody: {@code initdb} and
 * {@code pg_ctl} run as the {@code postgres} user on a temp dir and a free loopback port, with a role and
 * database {@code sutazai} (password {@code sutazai}) for the journal. Needs root (to run as postgres).
 */
final class PrivatePostgres implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final String bin;
  private boolean initialised;

  PrivatePostgres(Path dir, int port) {
    this.dir = dir;
    this.port = port;
    try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      this.bin = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))))
          .map(Path::toString).orElseThrow();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("PostgreSQL not found under /usr/lib/postgresql (apt-get install postgresql; "
          + "cluster/dev/postgres.sh does)");
    }
  }

  String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/sutazai";
  }

  int port() {
    return port;
  }

  private static List<String> asPostgres(String... cmd) {
    List<String> all = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    all.addAll(List.of(cmd));
    return all;
  }

  void init() throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Shell.check(Duration.ofSeconds(30), Map.of(), List.of("chown", "postgres", dir.toString()));
    Shell.check(Duration.ofMinutes(2), Map.of(), asPostgres(bin + "/initdb", "-D", dir.resolve("data").toString(),
        "--auth=trust", "-U", "postgres", "--no-sync"));
    initialised = true;
    start();
    String psql = bin + "/psql";
    Shell.check(Duration.ofSeconds(30), Map.of(), asPostgres(psql, "-h", dir.toString(), "-p", String.valueOf(port), "-U",
        "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c", "create role sutazai login createdb password 'sutazai'", "-c",
        "create database sutazai owner sutazai"));
  }

  void start() throws IOException, InterruptedException {
    Shell.check(Duration.ofMinutes(1), Map.of(), asPostgres(bin + "/pg_ctl", "-D", dir.resolve("data").toString(), "-w",
        "-l", dir.resolve("postgres.log").toString(), "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start"));
  }

  /** A fast shutdown: sessions are cut, as a database restart does to the supervisor's connections. */
  void stop() throws IOException, InterruptedException {
    Shell.run(Duration.ofMinutes(1), asPostgres(bin + "/pg_ctl", "-D", dir.resolve("data").toString(), "-w", "-m", "fast",
        "stop"));
  }

  @Override
  public void close() throws Exception {
    if (initialised) {
      Shell.run(Duration.ofMinutes(1), asPostgres(bin + "/pg_ctl", "-D", dir.resolve("data").toString(), "-w", "-m",
          "immediate", "stop"));
    }
  }
}
