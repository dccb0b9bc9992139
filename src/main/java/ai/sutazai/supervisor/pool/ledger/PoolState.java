package ai.sutazai.supervisor.pool.ledger;

import ai.sutazai.supervisor.protocol.QueueEntry;

import ai.sutazai.common.CborSerializable;
import ai.sutazai.fleet.PoolSpec;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The durable part of a pool: which agents were admitted on request, the queue of acknowledged
 * requests, and the quota set at runtime. Immutable; every {@code apply} returns a new state.
 *
 * <p>The set and the queue are persistent collections ({@link AgentNameSet}, {@link PoolQueue}): an
 * {@code apply} costs O(log n) and shares everything else with the state before, and the queue is indexed
 * by agent, so that a decision never walks the queue nor copies the set. They serialize as the plain
 * array of names and array of entries they always were; the constructor takes any set and list (as
 * Jackson reads them from snapshots), the list in any order.
 *
 * @param quota the quota set at runtime; null = the fleet spec's
 * @param requested agents admitted on request (their dependencies are wanted with them)
 * @param queue waiting requests in queue order
 * @param nextSeq sequence number of the next request
 */
public record PoolState(PoolSpec quota, Set<String> requested, List<QueueEntry> queue, long nextSeq)
    implements CborSerializable {

  public static PoolState empty() {
    return new PoolState(null, AgentNameSet.empty(), PoolQueue.empty(), 1);
  }

  public PoolState {
    requested = AgentNameSet.of(requested);
    queue = PoolQueue.of(queue);
  }

  /** True when the agent waits in the queue; O(log n). */
  public boolean queued(String agent) {
    return entries().queued(agent);
  }

  /** 1-based place of the agent's first request in the queue, 0 when it is not queued; O(log n). */
  public int position(String agent) {
    return entries().position(agent);
  }

  /** The agent's waiting requests in queue order (nearly always none or one); O(log n). */
  public List<QueueEntry> queuedEntries(String agent) {
    return entries().entriesOf(agent);
  }

  /** The waiting requests whose deadline is not after {@code now}, soonest first; O(log n + found). */
  public List<QueueEntry> dueBy(Instant now) {
    return entries().dueBy(now);
  }

  private PoolQueue entries() {
    return (PoolQueue) queue;
  }

  private AgentNameSet names() {
    return (AgentNameSet) requested;
  }

  public PoolState apply(PoolEvent event) {
    if (event instanceof PoolEvent.Queued e) {
      return new PoolState(quota, requested, entries().with(e.entry()), Math.max(nextSeq, e.entry().seq() + 1));
    } else if (event instanceof PoolEvent.Admitted e) {
      return new PoolState(quota, names().with(e.agent()), without(e.seq()), nextSeq);
    } else if (event instanceof PoolEvent.Adopted e) {
      return new PoolState(quota, names().with(e.agent()), queue, nextSeq);
    } else if (event instanceof PoolEvent.Rejected e) {
      return new PoolState(quota, requested, without(e.seq()), nextSeq);
    } else if (event instanceof PoolEvent.Released e) {
      return new PoolState(quota, names().without(e.agent()), queue, nextSeq);
    } else if (event instanceof PoolEvent.QuotaChanged e) {
      String name = quota != null ? quota.name() : "";
      int min = quota != null ? quota.minActive() : 0;
      PoolSpec.RestartBudgetSpec restarts = quota != null ? quota.restartBudget() : null;
      return new PoolState(new PoolSpec(name, e.maxActive(), e.memoryBudgetBytes(), e.cpuBudget(), min, restarts), requested,
          queue, nextSeq);
    }
    return this; // decisions that change nothing durable: DependencyReleased, Resized
  }

  private PoolQueue without(long seq) {
    return seq < 0 ? entries() : entries().withoutSeq(seq);
  }
}
