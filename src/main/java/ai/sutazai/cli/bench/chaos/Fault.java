package ai.sutazai.cli.bench.chaos;

import java.util.Set;

/**
 * One fault the bench injected: its kind, when ({@code atMillis}, wall clock), the agents it hit (empty for a
 * fault that hits no agent in particular: the engine restart hits them all, the others none), and when the
 * bench saw it healed (every hit agent, or for the others every wanted agent, running and answering its probe
 * again). Written by the injecting thread, read by the observer's: fields are volatile.
 */
final class Fault {
  /** The kinds, in the order they are reported. */
  static final java.util.List<String> KINDS = java.util.List.of("kill", "oom", "cpu-hog", "engine-restart", "db-restart",
      "supervisor-kill");

  final String kind;
  final long atMillis;
  final Set<String> hit;
  /** The fault itself is over (engine back, database back, supervisor started again, hog stopped). */
  volatile long endMillis = -1;
  /** A hit agent was seen down after the fault (kill, oom): healing is counted from then on. */
  volatile boolean seenDown;
  volatile long healedMillis = -1;

  Fault(String kind, long atMillis, Set<String> hit) {
    this.kind = kind;
    this.atMillis = atMillis;
    this.hit = hit;
  }

  /** Agents this fault takes down, so that their restart is expected: its own victims, or all for the engine. */
  boolean explainsRestartOf(String agent, long tMillis, long graceMillis) {
    boolean hits = kind.equals("engine-restart") || hit.contains(agent);
    boolean during = tMillis >= atMillis - 1000 && (healedMillis < 0 || tMillis <= healedMillis + graceMillis);
    return hits && during && (kind.equals("kill") || kind.equals("oom") || kind.equals("engine-restart"));
  }

  /** The restart fell in this fault's window (used to name what an unexpected restart came with). */
  boolean window(long tMillis, long graceMillis) {
    long end = Math.max(endMillis, healedMillis);
    return tMillis >= atMillis - 1000 && (end < 0 || tMillis <= end + graceMillis);
  }
}
