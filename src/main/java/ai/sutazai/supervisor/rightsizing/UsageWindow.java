package ai.sutazai.supervisor.rightsizing;

import java.util.Arrays;

/**
 * The last N usage samples of one container: memory (bytes) and CPU (percent of one core), with their
 * p95 and peak. Confined to one actor; not thread-safe.
 */
final class UsageWindow {
  private final long[] memoryBytes;
  private final double[] cpuPercent;
  private int size;
  private int next;

  UsageWindow(int capacity) {
    this.memoryBytes = new long[Math.max(1, capacity)];
    this.cpuPercent = new double[Math.max(1, capacity)];
  }

  void add(long memory, double cpu) {
    memoryBytes[next] = memory;
    cpuPercent[next] = cpu;
    next = (next + 1) % memoryBytes.length;
    size = Math.min(size + 1, memoryBytes.length);
  }

  int size() {
    return size;
  }

  /** 95th percentile of memory in use (nearest rank), bytes. */
  long memoryP95() {
    long[] s = Arrays.copyOf(memoryBytes, size);
    Arrays.sort(s);
    return s[rank(size)];
  }

  long memoryPeak() {
    return Arrays.stream(memoryBytes, 0, size).max().orElse(0);
  }

  /** 95th percentile of CPU use (nearest rank), percent of one core. */
  double cpuP95() {
    double[] s = Arrays.copyOf(cpuPercent, size);
    Arrays.sort(s);
    return s[rank(size)];
  }

  double cpuPeak() {
    return Arrays.stream(cpuPercent, 0, size).max().orElse(0);
  }

  private static int rank(int n) {
    return Math.max(0, (int) Math.ceil(0.95 * n) - 1);
  }
}
