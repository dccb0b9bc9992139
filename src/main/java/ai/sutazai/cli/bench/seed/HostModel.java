package ai.sutazai.cli.bench.seed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed's host in miniature: a parent cgroup (cgroup v1, cgroupfs driver) with a memory limit (swap
 * included, so over-commit ends in OOM kills) and a CPU quota; every container of a run is placed under it
 * with {@code --cgroup-parent}. Read from outside: memory in use, CPU used, CPU periods throttled.
 */
final class HostModel implements AutoCloseable {
  static final Path ROOT = Path.of(System.getProperty("sutazai.cgroup-root", "/sys/fs/cgroup"));
  /** The seed's host: 29 GiB, 12 cores. */
  static final long SEED_MEMORY = 29L << 30;
  static final double SEED_CPUS = 12;

  final String name;
  final long memoryBytes;
  final double cpus;
  private final Path memory;
  private final Path cpu;
  private final Path cpuacct;

  private HostModel(String name, long memoryBytes, double cpus) {
    this.name = name;
    this.memoryBytes = memoryBytes;
    this.cpus = cpus;
    this.memory = ROOT.resolve("memory").resolve(name);
    this.cpu = ROOT.resolve("cpu").resolve(name);
    this.cpuacct = ROOT.resolve("cpuacct").resolve(name);
  }

  /** Creates the group {@code /name}; fails plainly when cgroup v1 is not writable here. */
  static HostModel create(String name, long memoryBytes, double cpus) {
    HostModel h = new HostModel(name, memoryBytes, cpus);
    if (!Files.isDirectory(ROOT.resolve("memory")) || !Files.isDirectory(ROOT.resolve("cpu"))) {
      throw new IllegalStateException("bench seed needs cgroup v1 with memory and cpu controllers under " + ROOT
          + " (found none): the host model is a parent cgroup");
    }
    try {
      for (Path p : h.dirs()) {
        Files.createDirectories(p);
      }
      write(h.memory.resolve("memory.limit_in_bytes"), memoryBytes);
      Path memsw = h.memory.resolve("memory.memsw.limit_in_bytes");
      if (Files.exists(memsw)) {
        write(memsw, memoryBytes); // no swap: over-commit ends in OOM kills
      }
      write(h.memory.resolve("memory.swappiness"), 0);
      long period = 100_000;
      write(h.cpu.resolve("cpu.cfs_period_us"), period);
      write(h.cpu.resolve("cpu.cfs_quota_us"), Math.round(cpus * period));
    } catch (IOException | RuntimeException e) {
      h.close();
      throw new IllegalStateException("could not set up the parent cgroup " + name + " under " + ROOT + ": " + e.getMessage(), e);
    }
    return h;
  }

  private List<Path> dirs() {
    List<Path> d = new ArrayList<>(List.of(memory, cpu));
    if (!cpuacct.equals(cpu) && Files.isDirectory(ROOT.resolve("cpuacct"))) {
      d.add(cpuacct);
    }
    return d;
  }

  /** The {@code --cgroup-parent} value (cgroupfs driver: an absolute path). */
  String parent() {
    return "/" + name;
  }

  long memoryUsage() {
    return read(memory.resolve("memory.usage_in_bytes"));
  }

  /** CPU time used by the group, nanoseconds. */
  long cpuNanos() {
    Path p = cpuacct.resolve("cpuacct.usage");
    return read(Files.exists(p) ? p : cpu.resolve("cpuacct.usage"));
  }

  /** {nr_periods, nr_throttled} of the group's CFS quota. */
  long[] throttling() {
    long[] r = new long[2];
    try {
      for (String line : Files.readAllLines(cpu.resolve("cpu.stat"))) {
        String[] kv = line.split(" ");
        if (kv[0].equals("nr_periods")) {
          r[0] = Long.parseLong(kv[1]);
        } else if (kv[0].equals("nr_throttled")) {
          r[1] = Long.parseLong(kv[1]);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return r;
  }

  private static long read(Path p) {
    try {
      return Long.parseLong(Files.readString(p).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path p, long v) throws IOException {
    Files.writeString(p, Long.toString(v));
  }

  /**
   * Lifts the CPU quota: a container being killed must run to exit, and a starved group makes the engine's
   * kill time out. Called before the run's containers are removed.
   */
  void release() {
    try {
      write(cpu.resolve("cpu.cfs_quota_us"), -1);
    } catch (IOException | RuntimeException e) {
      // gone already
    }
  }

  /** True while a container's group exists under this group (the engine made one for it, and it is not gone yet). */
  boolean holdsContainers() {
    try (var controllers = Files.list(ROOT)) {
      for (Path c : controllers.toList()) {
        Path g = c.resolve(name);
        if (Files.isDirectory(g)) {
          try (var children = Files.list(g)) {
            if (children.anyMatch(Files::isDirectory)) {
              return true;
            }
          }
        }
      }
    } catch (IOException e) {
      return false; // nothing readable left to wait for
    }
    return false;
  }

  /**
   * Removes the group under every controller (the engine creates it under all of them for its containers);
   * empty once the containers are gone, retried briefly while the kernel lets go.
   */
  @Override
  public void close() {
    release();
    try (var controllers = Files.list(ROOT)) {
      for (Path c : controllers.toList()) {
        removeTree(c.resolve(name));
      }
    } catch (IOException e) {
      System.err.println("bench seed: could not list " + ROOT + ": " + e.getMessage());
    }
  }

  static void removeTree(Path p) {
    if (!Files.isDirectory(p)) {
      return;
    }
    for (int attempt = 0; attempt < 50; attempt++) {
      try (var children = Files.list(p)) {
        for (Path c : children.filter(Files::isDirectory).toList()) {
          removeTree(c);
        }
      } catch (IOException e) {
        // listed again below
      }
      try {
        Files.delete(p);
        return;
      } catch (IOException e) {
        try {
          Thread.sleep(100); // the kernel frees a group only once its last task has exited
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    System.err.println("bench seed: could not remove cgroup " + p + " (still in use?)");
  }
}
