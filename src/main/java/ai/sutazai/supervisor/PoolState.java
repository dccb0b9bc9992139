package ai.sutazai.supervisor;

import ai.sutazai.CborSerializable;
import ai.sutazai.fleet.PoolSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The durable part of a pool: which agents were admitted on request, the queue of acknowledged
 * requests, and the quota set at runtime. Immutable; every {@code apply} returns a new state.
 *
 * @param quota the quota set at runtime; null = the fleet spec's
 * @param requested agents admitted on request (their dependencies are wanted with them)
 * @param queue waiting requests in queue order
 * @param nextSeq sequence number of the next request
 */
public record PoolState(PoolSpec quota, Set<String> requested, List<QueueEntry> queue, long nextSeq)
    implements CborSerializable {

  public static PoolState empty() {
    return new PoolState(null, Set.of(), List.of(), 1);
  }

  public PoolState {
    requested = Collections.unmodifiableSet(requested);
    queue = Collections.unmodifiableList(queue);
  }

  public boolean queued(String agent) {
    return queue.stream().anyMatch(e -> e.agent().equals(agent));
  }

  public PoolState apply(PoolEvent event) {
    if (event instanceof PoolEvent.Queued e) {
      List<QueueEntry> q = new ArrayList<>(queue.size() + 1);
      q.addAll(queue);
      int i = Collections.binarySearch(q, e.entry(), QueueEntry::compare);
      q.add(i < 0 ? -i - 1 : i, e.entry());
      return new PoolState(quota, requested, q, Math.max(nextSeq, e.entry().seq() + 1));
    } else if (event instanceof PoolEvent.Admitted e) {
      return new PoolState(quota, with(requested, e.agent()), without(queue, e.seq()), nextSeq);
    } else if (event instanceof PoolEvent.Adopted e) {
      return new PoolState(quota, with(requested, e.agent()), queue, nextSeq);
    } else if (event instanceof PoolEvent.Rejected e) {
      return new PoolState(quota, requested, without(queue, e.seq()), nextSeq);
    } else if (event instanceof PoolEvent.Released e) {
      Set<String> r = new HashSet<>(requested);
      r.remove(e.agent());
      return new PoolState(quota, r, queue, nextSeq);
    } else if (event instanceof PoolEvent.QuotaChanged e) {
      String name = quota != null ? quota.name() : "";
      int min = quota != null ? quota.minActive() : 0;
      return new PoolState(new PoolSpec(name, e.maxActive(), e.memoryBudgetBytes(), e.cpuBudget(), min), requested, queue, nextSeq);
    }
    return this; // decisions that change nothing durable: DependencyReleased, Resized
  }

  private static Set<String> with(Set<String> set, String agent) {
    if (set.contains(agent)) {
      return set;
    }
    Set<String> s = new HashSet<>(set);
    s.add(agent);
    return s;
  }

  private static List<QueueEntry> without(List<QueueEntry> queue, long seq) {
    if (seq < 0) {
      return queue;
    }
    List<QueueEntry> q = new ArrayList<>(queue.size());
    for (QueueEntry e : queue) {
      if (e.seq() != seq) {
        q.add(e);
      }
    }
    return q;
  }
}
