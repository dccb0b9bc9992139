package ai.sutazai.supervisor.pool;

import ai.sutazai.supervisor.pool.ledger.PoolEvent;
import ai.sutazai.supervisor.protocol.ScalingDecision;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.eventstream.EventStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A pool's journalled decisions as the outside sees them: logged, published on the event stream as
 * {@link ScalingDecision}, and the most recent kept for the API. The journal stays the source of truth.
 * Confined to the pool actor; not thread-safe.
 */
final class DecisionLog {
  private final String fleet;
  private final String pool;
  private final int keep;
  private final ActorSystem<?> system;
  private final Deque<ScalingDecision> recent = new ArrayDeque<>();

  DecisionLog(String fleet, String pool, int keep, ActorSystem<?> system) {
    this.fleet = fleet;
    this.pool = pool;
    this.keep = Math.max(1, keep);
    this.system = system;
  }

  void journalled(PoolEvent e, org.slf4j.Logger log) {
    ScalingDecision d = new ScalingDecision(fleet, pool, e.kind(), e.agent(), e.reason(), e.at());
    log.info("pool {}: {}", pool, d.reason());
    recent.addLast(d);
    if (recent.size() > keep) {
      recent.removeFirst();
    }
    system.eventStream().tell(new EventStream.Publish<>(d));
  }

  /** The last {@code limit} decisions, oldest first. */
  List<ScalingDecision> recent(int limit) {
    List<ScalingDecision> all = new ArrayList<>(recent);
    return List.copyOf(all.subList(Math.max(0, all.size() - Math.max(0, limit)), all.size()));
  }
}
