package ai.sutazai.supervisor.pool;

import java.util.ArrayList;

import java.util.List;

import ai.sutazai.supervisor.protocol.Notice;

import ai.sutazai.supervisor.agent.AgentEntity;
import ai.sutazai.supervisor.pool.ledger.RestartBudget;
import ai.sutazai.supervisor.settings.SupervisorSettings;

import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An {@link AgentPool}'s rationing of restarts: entities ask ({@link Notice.RestartWanted}) and wait,
 * in arrival order, until the pool's {@link RestartBudget} has room. Confined to the pool actor.
 */
final class PoolRestarts {
  private final RestartBudget budget;
  private final Deque<Notice.RestartWanted> waiting = new ArrayDeque<>();
  private final ActorContext<AgentPool.Command> ctx;
  private final TimerScheduler<AgentPool.Command> timers;
  private final String pool;

  PoolRestarts(SupervisorSettings s, ActorContext<AgentPool.Command> ctx, TimerScheduler<AgentPool.Command> timers,
      String pool) {
    this.budget = new RestartBudget(s.poolRestartBudget(), s.poolRestartWindow());
    this.ctx = ctx;
    this.timers = timers;
    this.pool = pool;
  }

  void want(Notice.RestartWanted w) {
    waiting.addLast(w);
  }

  /** How many restarts wait for the budget. */
  int waiting() {
    return waiting.size();
  }

  /**
   * Takes the waiting restarts the budget has room for, in arrival order, for the pool to permit; when some
   * still wait, tries again once it has room.
   */
  List<Notice.RestartWanted> grant(Instant now) {
    List<Notice.RestartWanted> granted = new ArrayList<>();
    while (!waiting.isEmpty() && budget.tryTake(now)) {
      granted.add(waiting.removeFirst());
    }
    if (!waiting.isEmpty()) {
      Duration wait = budget.untilRoom(now);
      ctx.getLog().warn("pool {}: restart budget spent, {} restart(s) wait {} ms", pool, waiting.size(), wait.toMillis());
      timers.startSingleTimer(AgentPool.Internal.GRANT_RESTARTS, AgentPool.Internal.GRANT_RESTARTS, wait.plusMillis(10));
    }
    return granted;
  }
}
