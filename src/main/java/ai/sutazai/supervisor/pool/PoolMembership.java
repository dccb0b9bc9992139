package ai.sutazai.supervisor.pool;

import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.ClusterEvent;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import java.time.Duration;

/**
 * An {@link AgentPool}'s answer to cluster membership: when a node is removed its agents are registered
 * again (which restarts a lost node's entities on the survivors), when one joins the statuses are published
 * again (it learns those of agents that do not change only so). Confined to the pool actor.
 */
final class PoolMembership {
  /** Delay of the repeated registration after a node is removed. */
  private static final Duration REREGISTER_AFTER = Duration.ofSeconds(2);
  /** When, after a node is removed, its agents are registered again (seconds). */
  private static final int[] REGISTER_AFTER_SECONDS = {2, 6, 15, 30, 60};

  private final ActorContext<AgentPool.Command> ctx;
  private final TimerScheduler<AgentPool.Command> timers;
  private final String pool;
  private final PoolAgents agents;
  /** Addresses of the nodes removed within the last registration rounds. */
  private final java.util.Set<String> lostNodes = new java.util.HashSet<>();
  private int roundsDone;

  PoolMembership(ActorContext<AgentPool.Command> ctx, TimerScheduler<AgentPool.Command> timers, String pool,
      PoolAgents agents) {
    this.ctx = ctx;
    this.timers = timers;
    this.pool = pool;
    this.agents = agents;
  }

  /** Subscribes the pool to MemberRemoved and MemberUp. */
  void subscribe() {
    Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
        ctx.messageAdapter(ClusterEvent.MemberRemoved.class, AgentPool.MemberRemoved::new), ClusterEvent.MemberRemoved.class));
    Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
        ctx.messageAdapter(ClusterEvent.MemberUp.class, AgentPool.MemberUp::new), ClusterEvent.MemberUp.class));
  }

  /**
   * A node was removed: register its agents (those whose last status came from it, and any that has not
   * reported) now and again over the next minute, since the shard coordinator may not yet have released
   * the lost node's shards when the first registration arrives. An agent drops out of the later rounds
   * once it reports from another node. Agents on the other nodes are left alone.
   */
  void removed(ClusterEvent.MemberRemoved event) {
    lostNodes.add(event.member().address().toString());
    roundsDone = 0;
    int n = agents.registerLost(lostNodes);
    ctx.getLog().info("pool {}: node {} left the cluster; registering its {} agent(s) again so they restart elsewhere",
        pool, event.member().address(), n);
    // Until the coordinator has released the lost node's shards (its Distributed Data update may be retried
    // for a while), a registration may go to the dead region and be lost: keep registering for a minute.
    for (int i = 0; i < REGISTER_AFTER_SECONDS.length; i++) {
      timers.startSingleTimer("register-" + i, AgentPool.Internal.REGISTER, Duration.ofSeconds(REGISTER_AFTER_SECONDS[i]));
    }
  }

  /** A repeated registration round (see {@link #removed}); the last one forgets the lost nodes. */
  void registerAgain() {
    agents.registerLost(lostNodes);
    roundsDone++;
    if (roundsDone >= REGISTER_AFTER_SECONDS.length) {
      lostNodes.clear();
      roundsDone = 0;
    }
  }

  /** A node joined: publish the statuses again, twice. */
  void up() {
    // Twice: the new node's topic subscriber becomes known here through the receptionist, a little later.
    timers.startSingleTimer("republish-1", AgentPool.Internal.REPUBLISH, REREGISTER_AFTER.multipliedBy(2));
    timers.startSingleTimer("republish-2", AgentPool.Internal.REPUBLISH, REREGISTER_AFTER.multipliedBy(6));
  }
}
