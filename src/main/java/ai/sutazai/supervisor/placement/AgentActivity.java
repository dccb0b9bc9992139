package ai.sutazai.supervisor.placement;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Which agents are busy, as far as this node knows: each pool singleton running here registers the busy
 * test of its traffic tracker for its agents, and the shard coordinator's rebalance
 * ({@link CapacityAllocationStrategy#rebalance}) reads it. Both are singletons on the oldest node, so the
 * coordinator knows every agent's traffic without a message; an agent whose pool does not run on this node
 * (a singleton handover in progress) is unknown, and the rebalance treats it as busy (it is not moved).
 *
 * <p>Hazard: the predicates are called from the coordinator's thread while their pools update them; they
 * must be safe to read concurrently ({@code IdleTracker.busyNow}).
 */
public final class AgentActivity implements Extension {
  private final Map<String, Predicate<String>> busyByAgent = new ConcurrentHashMap<>();

  private AgentActivity() {}

  /** The extension's id. */
  public static final class Id extends ExtensionId<AgentActivity> {
    @Override
    public AgentActivity createExtension(ActorSystem<?> system) {
      return new AgentActivity();
    }
  }

  private static final Id ID = new Id();

  public static AgentActivity get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  /** A pool starting on this node: {@code busy} answers for {@code agents}. */
  public void register(Collection<String> agents, Predicate<String> busy) {
    agents.forEach(a -> busyByAgent.put(a, busy));
  }

  /** The pool that registered {@code busy} stopped on this node. */
  public void unregister(Collection<String> agents, Predicate<String> busy) {
    agents.forEach(a -> busyByAgent.remove(a, busy));
  }

  /** True when the agent is busy or its pool does not run on this node (unknown counts as busy). */
  public boolean busyOrUnknown(String agent) {
    Predicate<String> busy = busyByAgent.get(agent);
    return busy == null || busy.test(agent);
  }
}
