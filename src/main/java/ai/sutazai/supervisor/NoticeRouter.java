package ai.sutazai.supervisor;

import ai.sutazai.supervisor.protocol.Notice;

import ai.sutazai.supervisor.agent.AgentEntity;
import ai.sutazai.supervisor.pool.AgentPool;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.protocol.AgentStatuses;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Node-local: the {@code pool} of every {@link AgentEntity} hosted on this node. It passes the notices
 * to the proxy of the agent's pool singleton, wherever that singleton runs now (the proxy buffers during
 * a handover). Entities share one router per node because their {@link AgentEntity.Deps} are per node.
 *
 * <p>Status changes go in batches ({@link AgentPool.StatusBatch}): those that arrive before the router
 * turns to its own flush message, sent when the first of them arrived, go as one message per pool, so
 * that a burst (a failover restarts thousands of agents) crosses the network in few messages, and a
 * lone change still goes at once. A restart request goes alone, after the changes before it: each pool
 * hears its agents' notices in the order they were sent.
 *
 * <p>Sharding must be initialised before the pool singletons (a pool reaches its entities at once), and
 * the entities need this router: so it is created first and told the proxies with {@link Pools} once
 * the singletons exist; notices arriving before that wait.
 */
public final class NoticeRouter {
  private NoticeRouter() {}

  /** What the router accepts: notices, and once, the pools' proxies. */
  interface Command {}

  /** The singleton proxy of each pool, by pool name. */
  record Pools(Map<String, ActorRef<AgentPool.Command>> proxies) implements Command {}

  record Forward(Notice notice) implements Command {}

  enum Flush implements Command { INSTANCE }

  /** The router as the entities see it: an {@code ActorRef<Notice>}. */
  static ActorRef<Notice> notices(akka.actor.typed.javadsl.ActorContext<?> ctx, ActorRef<Command> router) {
    return ctx.spawn(Behaviors.<Notice>receiveMessage(n -> {
      router.tell(new Forward(n));
      return Behaviors.same();
    }), "notice-adapter");
  }

  /** @param poolOfAgent pool name of each agent of the fleet */
  static Behavior<Command> create(Map<String, String> poolOfAgent) {
    Map<String, String> pools = Map.copyOf(poolOfAgent);
    return Behaviors.withStash(100_000, stash -> Behaviors.receive(Command.class)
        .onMessage(Pools.class, p -> stash.unstashAll(routing(pools, Map.copyOf(p.proxies()))))
        .onMessage(Forward.class, f -> {
          stash.stash(f);
          return Behaviors.same();
        })
        .build());
  }

  private static Behavior<Command> routing(Map<String, String> poolOfAgent, Map<String, ActorRef<AgentPool.Command>> proxies) {
    return Behaviors.setup(ctx -> {
      /* Status changes not sent yet, by pool, in arrival order. */
      Map<String, List<AgentStatus>> pending = new LinkedHashMap<>();
      return Behaviors.receive(Command.class)
          .onMessage(Forward.class, f -> {
            Notice n = f.notice();
            String agent = n instanceof Notice.StatusChanged c ? c.status().name()
                : n instanceof Notice.RestartWanted w ? w.agent() : null;
            String pool = agent == null ? null : poolOfAgent.get(agent);
            ActorRef<AgentPool.Command> proxy = pool == null ? null : proxies.get(pool);
            if (proxy == null) {
              return Behaviors.same();
            }
            if (n instanceof Notice.StatusChanged c) {
              if (pending.isEmpty()) {
                ctx.getSelf().tell(Flush.INSTANCE);
              }
              pending.computeIfAbsent(pool, p -> new ArrayList<>()).add(c.status());
            } else {
              List<AgentStatus> before = pending.remove(pool);
              if (before != null) {
                send(proxy, before);
              }
              proxy.tell(new AgentPool.Noticed(n));
            }
            return Behaviors.same();
          })
          .onMessageEquals(Flush.INSTANCE, () -> {
            pending.forEach((pool, statuses) -> send(proxies.get(pool), statuses));
            pending.clear();
            return Behaviors.same();
          })
          .build();
    });
  }

  private static void send(ActorRef<AgentPool.Command> proxy, List<AgentStatus> statuses) {
    AgentStatuses.chunked(statuses).forEach(batch -> proxy.tell(new AgentPool.StatusBatch(batch)));
  }
}
