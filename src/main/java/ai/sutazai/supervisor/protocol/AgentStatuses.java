package ai.sutazai.supervisor.protocol;

import ai.sutazai.supervisor.NoticeRouter;
import ai.sutazai.supervisor.pool.AgentPool;

import ai.sutazai.common.CborSerializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Status changes of several agents in one message, since on a cluster every message is serialized for
 * each node it goes to (a failover's thousands of restarts otherwise spend much of their CPU on
 * messaging). A pool publishes its agents' latest statuses on the fleet's status topic once per batch of
 * notices; a node's {@link NoticeRouter} sends a pool the changes that arrived together, every one, in
 * order ({@link AgentPool.StatusBatch}). {@link #chunked} keeps a message well under Artery's 256 KiB frame.
 */
public record AgentStatuses(List<AgentStatus> statuses) implements CborSerializable {

  /** Most statuses in one message (count). */
  static final int MAX_PER_MESSAGE = 100;
  /** Most characters of text (names, reasons, ids) in one message: a bound on its serialized size. */
  static final int MAX_CHARS_PER_MESSAGE = 64 * 1024;

  public AgentStatuses {
    statuses = List.copyOf(statuses);
  }

  /**
   * {@code statuses}, in order, in messages of at most {@link #MAX_PER_MESSAGE} statuses and about
   * {@link #MAX_CHARS_PER_MESSAGE} characters of text (a single larger status gets a message of its own);
   * none when empty.
   */
  public static List<AgentStatuses> chunked(Collection<AgentStatus> statuses) {
    List<AgentStatuses> out = new ArrayList<>();
    List<AgentStatus> chunk = new ArrayList<>();
    int chars = 0;
    for (AgentStatus s : statuses) {
      int size = textChars(s);
      if (!chunk.isEmpty() && (chunk.size() == MAX_PER_MESSAGE || chars + size > MAX_CHARS_PER_MESSAGE)) {
        out.add(new AgentStatuses(chunk));
        chunk.clear();
        chars = 0;
      }
      chunk.add(s);
      chars += size;
    }
    if (!chunk.isEmpty()) {
      out.add(new AgentStatuses(chunk));
    }
    return out;
  }

  /** The characters of a status's text fields (its numbers and enums add a few dozen bytes). */
  static int textChars(AgentStatus s) {
    int n = len(s.name()) + len(s.pool()) + len(s.containerId()) + len(s.lastReason()) + len(s.node());
    if (s.degradedBy() != null) {
      for (String d : s.degradedBy()) {
        n += len(d);
      }
    }
    return n;
  }

  private static int len(String s) {
    return s == null ? 0 : s.length();
  }
}
