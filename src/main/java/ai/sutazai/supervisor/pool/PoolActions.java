package ai.sutazai.supervisor.pool;

import ai.sutazai.supervisor.agent.AgentEntity;
import ai.sutazai.supervisor.pool.ledger.IdleTracker;
import ai.sutazai.supervisor.pool.ledger.PoolEvent;
import ai.sutazai.supervisor.pool.ledger.PoolState;
import ai.sutazai.supervisor.pool.ledger.PoolWants;

import akka.actor.typed.javadsl.ActorContext;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an {@link AgentPool} does once its decisions are journalled: records them in its {@link DecisionLog},
 * then carries them out (admitted agents and their dependencies started, adoptions counted, the new quota
 * taken, released agents stopped). Never before the write: a decision lost with a crash was never acted on.
 * Used only from the pool's actor thread.
 */
final class PoolActions {
  private final ActorContext<AgentPool.Command> ctx;
  private final DecisionLog decisions;
  private final PoolWants wants;
  private final PoolAgents agents;
  private final PoolQuota quota;
  private final IdleTracker idle;

  PoolActions(ActorContext<AgentPool.Command> ctx, DecisionLog decisions, PoolWants wants, PoolAgents agents,
      PoolQuota quota, IdleTracker idle) {
    this.ctx = ctx;
    this.decisions = decisions;
    this.wants = wants;
    this.agents = agents;
    this.quota = quota;
    this.idle = idle;
  }

  /** Publishes and carries out {@code events}, just journalled, which led to {@code after}. */
  void journalled(PoolState after, List<PoolEvent> events) {
    for (PoolEvent e : events) {
      decisions.journalled(e, ctx.getLog());
      carryOut(after, e);
    }
    Map<String, String> released = new HashMap<>();
    events.stream().filter(e -> e instanceof PoolEvent.Released).forEach(e -> released.put(e.agent(), e.reason()));
    released.keySet().stream().filter(a -> !wants.knows(a)).forEach(agents::removeIfLeftTheFleet);
    if (!released.isEmpty()) {
      for (Map.Entry<String, String> gone : wants.reset(after.requested()).entrySet()) {
        String reason = released.getOrDefault(gone.getKey(), gone.getValue());
        agents.tell(gone.getKey(), new AgentEntity.Deactivate(reason, ctx.getSystem().ignoreRef()));
      }
    }
  }

  /** After recovery (also after a journal failure, when the entities kept running): carry out what the ledger says. */
  void recovered(PoolState state) {
    quota.refresh(state);
    // Agents the ledger names that are no longer the pool's are left alone; BOOT journals their release.
    Set<String> requested = state.requested().stream().filter(wants::knows).collect(Collectors.toSet());
    agents.deactivate(wants.reset(requested));
    agents.startAllReady();
    // A request for a dependency in another pool may have been lost with a crash: ask again (idempotent).
    requested.forEach(agents::requestOtherPoolDependencies);
  }

  private void carryOut(PoolState after, PoolEvent e) {
    if (e instanceof PoolEvent.Admitted a) {
      idle.touch(a.agent(), Instant.now());
      agents.requestOtherPoolDependencies(a.agent());
      wants.add(a.agent()).forEach(agents::startIfReady);
    } else if (e instanceof PoolEvent.Adopted a) {
      wants.add(a.agent());
    } else if (e instanceof PoolEvent.QuotaChanged) {
      quota.refresh(after);
    }
  }
}
