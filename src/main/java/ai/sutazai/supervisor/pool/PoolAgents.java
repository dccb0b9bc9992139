package ai.sutazai.supervisor.pool;

import ai.sutazai.supervisor.agent.AgentEntity;
import ai.sutazai.supervisor.pool.ledger.ActivationDecider;
import ai.sutazai.supervisor.pool.ledger.PoolEvent;
import ai.sutazai.supervisor.pool.ledger.PoolGraph;
import ai.sutazai.supervisor.pool.ledger.PoolState;
import ai.sutazai.supervisor.pool.ledger.PoolWants;
import ai.sutazai.supervisor.protocol.ActivationSource;
import ai.sutazai.supervisor.protocol.AgentEvent;
import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.protocol.AgentStatuses;

import ai.sutazai.fleet.AgentSpec;
import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.pubsub.Topic;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.pattern.StatusReply;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An {@link AgentPool}'s side of its agents' entities: registers them, tells them what the pool decided,
 * follows the statuses of every agent of the fleet (degradation of dependents, starts that became possible,
 * adoptions) and starts wanted agents whose dependencies are healthy. Used only from the pool's actor
 * thread; the status map is shared with the pool's {@link PoolWants} and {@link ActivationDecider}.
 */
public final class PoolAgents {
  /** The reason journalled with {@link AgentEvent.Removed} for an agent taken out of the fleet spec. */
  public static final String LEFT_THE_FLEET = "left the fleet";

  private final ActorSystem<?> system;
  private final AgentPool.Setup in;
  private final Map<String, AgentSpec> specs;
  private final PoolGraph graph;
  private final PoolWants wants;
  /** Latest status of every agent of the fleet, this pool's and others'. */
  private final Map<String, AgentStatus> statuses;
  private final Map<String, EntityRef<AgentEntity.Command>> entities = new HashMap<>();
  /** This pool's agents' status changes not published yet, by agent: the latest of each (see {@link #publish}). */
  private final Map<String, AgentStatus> unpublished = new java.util.LinkedHashMap<>();
  /** Where entities' answers to GetStatus go (the pool passes them to its notice inbox, as status changes). */
  private final ActorRef<AgentStatus> statusReplies;

  PoolAgents(ActorSystem<?> system, AgentPool.Setup in, Map<String, AgentSpec> specs, PoolGraph graph, PoolWants wants,
      Map<String, AgentStatus> statuses, ActorRef<AgentStatus> statusReplies) {
    this.system = system;
    this.in = in;
    this.specs = specs;
    this.graph = graph;
    this.wants = wants;
    this.statuses = statuses;
    ClusterSharding sharding = ClusterSharding.get(system);
    for (AgentSpec a : in.agents()) {
      entities.put(a.name(), sharding.entityRefFor(AgentEntity.TYPE_KEY, a.name()));
    }
    this.statusReplies = statusReplies;
  }

  /**
   * Registers every agent of the pool with its entity, which starts the entity (on the node its shard is
   * allocated to) if it is not running, and asks for its status.
   */
  void registerAll() {
    register(in.agents());
  }

  /**
   * Registers this pool's agents that last reported from one of {@code nodes} (which left the cluster), or
   * have not reported at all: the entities of a lost node start on the survivors. Returns how many.
   */
  int registerLost(Set<String> nodes) {
    List<AgentSpec> lost = new ArrayList<>();
    for (AgentSpec a : in.agents()) {
      AgentStatus st = statuses.get(a.name());
      if (st == null || st.node() == null || nodes.contains(st.node())) {
        lost.add(a);
      }
    }
    register(lost);
    return lost.size();
  }

  private void register(List<AgentSpec> agents) {
    ActorRef<StatusReply<Done>> ignore = system.ignoreRef();
    for (AgentSpec a : agents) {
      EntityRef<AgentEntity.Command> e = entities.get(a.name());
      e.tell(new AgentEntity.Register(a, ignore));
      e.tell(new AgentEntity.GetStatus(statusReplies));
    }
  }

  /** The entity of an agent of this pool, or null. */
  EntityRef<AgentEntity.Command> entity(String agent) {
    return entities.get(agent);
  }

  void tell(String agent, AgentEntity.Command c) {
    EntityRef<AgentEntity.Command> e = entities.get(agent);
    if (e != null) {
      e.tell(c);
    }
  }

  /** The engine came back: every entity checks its container. */
  void resync() {
    entities.values().forEach(e -> e.tell(new AgentEntity.ResyncContainer()));
  }

  /** Stops the agents the ledger no longer wants (reason by agent). */
  void deactivate(Map<String, String> reasons) {
    reasons.forEach((agent, why) -> tell(agent, new AgentEntity.Deactivate(why, system.ignoreRef())));
  }

  /** The statuses of this pool's agents, in spec order. */
  List<AgentStatus> statusesOfPool() {
    List<AgentStatus> out = new ArrayList<>();
    for (String name : specs.keySet()) {
      AgentStatus st = statuses.get(name);
      if (st != null) {
        out.add(st);
      }
    }
    return out;
  }

  /** Publishes the statuses of this pool's agents again (for nodes that joined). */
  void republish() {
    statusesOfPool().forEach(st -> unpublished.put(st.name(), st));
    publish();
  }

  /** Publishes the status changes observed since the last call, each agent's latest, in few messages. */
  void publish() {
    if (!unpublished.isEmpty()) {
      AgentStatuses.chunked(unpublished.values()).forEach(batch -> in.statusTopic().tell(Topic.publish(batch)));
      unpublished.clear();
    }
  }

  /** A status change: degradation to dependents, starts that became possible, adoptions; true when quota was freed. */
  boolean observe(PoolState s, AgentStatus status, boolean mine, List<PoolEvent> events) {
    AgentStatus previous = statuses.put(status.name(), status);
    if (mine) {
      unpublished.put(status.name(), status);
    }
    boolean wasUp = previous != null && previous.phase() == AgentPhase.HEALTHY;
    boolean isUp = status.phase() == AgentPhase.HEALTHY;
    if (wasUp != isUp || previous == null) {
      for (String dependent : graph.fleet().dependentsOf(status.name())) {
        EntityRef<AgentEntity.Command> e = entities.get(dependent);
        if (e != null && isUp) {
          e.tell(new AgentEntity.DependencyUp(status.name()));
          startIfReady(dependent);
        } else if (e != null && wasUp) {
          e.tell(new AgentEntity.DependencyDown(status.name()));
        }
      }
    }
    if (!specs.containsKey(status.name())) {
      return false;
    }
    boolean freed = wants.observe(status);
    startIfReady(status.name());
    boolean adopting = events.stream().anyMatch(e -> e instanceof PoolEvent.Adopted && e.agent().equals(status.name()));
    if (!adopting && wants.shouldAdopt(status, s)) {
      events.add(new PoolEvent.Adopted(status.name(), "adopted " + status.name() + ": found " + status.phase()
          + " without an admission in the ledger", Instant.now()));
    }
    return freed;
  }

  /**
   * An agent the ledger names that has left the fleet spec altogether (not one moved to another pool): its
   * entity journals {@link AgentEvent.Removed} and removes its container, if one is left.
   */
  void removeIfLeftTheFleet(String agent) {
    if (!graph.fleet().agents().contains(agent)) {
      ClusterSharding.get(system).entityRefFor(AgentEntity.TYPE_KEY, agent)
          .tell(new AgentEntity.Remove(LEFT_THE_FLEET, system.ignoreRef()));
    }
  }

  /** Activates a wanted, inactive agent whose dependencies are all healthy. */
  void startIfReady(String name) {
    AgentStatus s = statuses.get(name);
    if (!wants.wanted(name) || s == null || s.desiredActive() || s.phase() == AgentPhase.CRASH_LOOP
        || s.phase() == AgentPhase.REMOVED) {
      return;
    }
    for (String d : specs.get(name).dependsOn()) {
      AgentStatus ds = statuses.get(d);
      if (ds == null || ds.phase() != AgentPhase.HEALTHY) {
        return;
      }
    }
    String why = wants.requestedHere(name) ? "admitted by pool " + in.spec().name() : "dependency of an active agent";
    entities.get(name).tell(new AgentEntity.Activate(why, system.ignoreRef()));
    // Optimistic: count it as desired until its own status arrives, so it is not asked twice.
    statuses.put(name, new AgentStatus(s.name(), s.pool(), AgentPhase.ACTIVATING, true, s.containerId(), s.totalRestarts(),
        why, Instant.now(), s.lastColdStartMillis(), s.degradedBy(), s.priority(), s.memoryBytes(), s.cpus(), s.node()));
  }

  /** Starts every wanted agent of the pool that is ready. */
  void startAllReady() {
    specs.keySet().forEach(this::startIfReady);
  }

  /**
   * Dependencies of {@code agent} that live in other pools are requested from those pools (source
   * DEPENDENCY), where they count against that pool's quota; {@code agent} starts once they are healthy.
   * That pool keeps them while an active dependent needs them, then stops them after their idle-timeout.
   */
  void requestOtherPoolDependencies(String agent) {
    for (String d : graph.otherPoolDependencies(agent)) {
      in.poolOf().apply(d).tell(new AgentPool.Activate(d, ActivationSource.DEPENDENCY,
          "dependency of " + agent + " (pool " + in.spec().name() + ")", null, system.ignoreRef()));
    }
  }
}
