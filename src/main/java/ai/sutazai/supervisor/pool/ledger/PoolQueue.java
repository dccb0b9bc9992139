package ai.sutazai.supervisor.pool.ledger;

import ai.sutazai.supervisor.protocol.QueueEntry;

import java.util.AbstractList;
import java.util.ArrayList;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * A pool's queue of waiting requests in queue order ({@link QueueEntry#compare}), immutable and
 * persistent: adding or removing an entry returns a new queue in O(log n) that shares the rest with this
 * one. Indexed by agent and by sequence number, so that "is this agent queued", its position and its
 * entries, and the removal of the entry an event names, cost O(log n) instead of a walk over the queue.
 *
 * <p>A plain {@link List} to everyone else (serialized by Jackson as the array of entries it always was);
 * {@code get(i)} costs O(log n), iteration O(1) per entry. An agent may be queued more than once (the event
 * handler does not forbid it): the agent index keeps all its entries, in queue order.
 */
final class PoolQueue extends AbstractList<QueueEntry> {
  /** Entries with a deadline, soonest first. */
  private static final Comparator<QueueEntry> BY_DEADLINE =
      Comparator.comparing(QueueEntry::deadline).thenComparingLong(QueueEntry::seq);
  private static final PoolQueue EMPTY = new PoolQueue(RankedTree.empty(QueueEntry::compare),
      RankedTree.empty(Long::compare), RankedTree.empty(String::compareTo), RankedTree.empty(BY_DEADLINE));

  private final RankedTree<QueueEntry, QueueEntry> order;
  private final RankedTree<Long, QueueEntry> bySeq;
  /** Each queued agent's entries in queue order (nearly always one). */
  private final RankedTree<String, List<QueueEntry>> byAgent;
  private final RankedTree<QueueEntry, QueueEntry> byDeadline;

  private PoolQueue(RankedTree<QueueEntry, QueueEntry> order, RankedTree<Long, QueueEntry> bySeq,
      RankedTree<String, List<QueueEntry>> byAgent, RankedTree<QueueEntry, QueueEntry> byDeadline) {
    this.order = order;
    this.bySeq = bySeq;
    this.byAgent = byAgent;
    this.byDeadline = byDeadline;
  }

  public static PoolQueue empty() {
    return EMPTY;
  }

  /** The queue of {@code entries} (in any order; null = none), sorted into queue order. */
  public static PoolQueue of(Collection<QueueEntry> entries) {
    if (entries instanceof PoolQueue q) {
      return q;
    }
    PoolQueue q = EMPTY;
    if (entries != null) {
      for (QueueEntry e : entries) {
        q = q.with(e);
      }
    }
    return q;
  }

  /** This queue with {@code e} in its place. An entry with the same sequence number is replaced. */
  public PoolQueue with(QueueEntry e) {
    PoolQueue q = withoutSeq(e.seq());
    List<QueueEntry> mine = q.byAgent.get(e.agent());
    List<QueueEntry> next;
    if (mine == null) {
      next = List.of(e);
    } else {
      List<QueueEntry> l = new ArrayList<>(mine.size() + 1);
      l.addAll(mine);
      int i = 0;
      while (i < l.size() && QueueEntry.compare(l.get(i), e) < 0) {
        i++;
      }
      l.add(i, e);
      next = List.copyOf(l);
    }
    return new PoolQueue(q.order.put(e, e), q.bySeq.put(e.seq(), e), q.byAgent.put(e.agent(), next),
        e.deadline() != null ? q.byDeadline.put(e, e) : q.byDeadline);
  }

  /** This queue without the entry numbered {@code seq}; this very queue when there is none. */
  public PoolQueue withoutSeq(long seq) {
    QueueEntry e = bySeq.get(seq);
    if (e == null) {
      return this;
    }
    List<QueueEntry> mine = byAgent.get(e.agent());
    RankedTree<String, List<QueueEntry>> agents;
    if (mine.size() == 1) {
      agents = byAgent.remove(e.agent());
    } else {
      List<QueueEntry> l = new ArrayList<>(mine);
      l.removeIf(x -> x.seq() == seq);
      agents = byAgent.put(e.agent(), List.copyOf(l));
    }
    return new PoolQueue(order.remove(e), bySeq.remove(seq), agents, e.deadline() != null ? byDeadline.remove(e) : byDeadline);
  }

  public boolean queued(String agent) {
    return byAgent.containsKey(agent);
  }

  /** The agent's entries in queue order; empty when it is not queued. */
  public List<QueueEntry> entriesOf(String agent) {
    List<QueueEntry> mine = byAgent.get(agent);
    return mine != null ? mine : List.of();
  }

  /** 1-based place of the agent's first entry; 0 when it is not queued. */
  public int position(String agent) {
    List<QueueEntry> mine = byAgent.get(agent);
    return mine == null ? 0 : order.rank(mine.get(0)) + 1;
  }

  /** The entries whose deadline is not after {@code now}, soonest deadline first; O(log n + found). */
  public List<QueueEntry> dueBy(Instant now) {
    List<QueueEntry> due = new ArrayList<>();
    for (Iterator<QueueEntry> it = byDeadline.keys(); it.hasNext(); ) {
      QueueEntry e = it.next();
      if (e.deadline().isAfter(now)) {
        break;
      }
      due.add(e);
    }
    return due;
  }

  @Override
  public QueueEntry get(int index) {
    return order.keyAt(index);
  }

  @Override
  public int size() {
    return order.size();
  }

  @Override
  public boolean isEmpty() {
    return order.isEmpty();
  }

  @Override
  public Iterator<QueueEntry> iterator() {
    return order.keys();
  }
}
