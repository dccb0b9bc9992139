package ai.sutazai.supervisor.pool.ledger;

import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.protocol.QueueEntry;
import ai.sutazai.supervisor.protocol.ScalingDecision;
import ai.sutazai.supervisor.settings.SupervisorSettings;

import ai.sutazai.capacity.CapacityAnalysis;
import ai.sutazai.fleet.AgentSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which agents of a pool must run (requested ones and their dependencies), what they occupy, and the
 * scale-down decisions made from that: releases with the dependencies they free, idle stops, preemption.
 *
 * <p>The pool's derived, in-memory view of its ledger; rebuilt from the ledger's requested set on
 * recovery. Confined to the pool actor; not thread-safe.
 */
public final class PoolWants {
  /** A scale-down of one requested agent. */
  public record Release(ScalingDecision.Kind kind, String reason) {}

  private final Map<String, AgentSpec> specs;
  private final PoolGraph graph;
  private final Map<String, AgentStatus> statuses;
  private final Set<String> exempt;
  private final Occupancy occupancy;
  private Set<String> requested = new HashSet<>();
  private Set<String> wanted = new HashSet<>();
  /** Told to deactivate, not yet seen undesired: their quota comes back soon, and they are not adopted again. */
  private final Set<String> releasing = new HashSet<>();

  public PoolWants(Map<String, AgentSpec> specs, PoolGraph graph, Map<String, AgentStatus> statuses, Set<String> exempt) {
    this.specs = specs;
    this.graph = graph;
    this.statuses = statuses;
    this.exempt = Set.copyOf(exempt);
    this.occupancy = new Occupancy(specs);
  }

  public Occupancy occupancy() {
    return occupancy;
  }

  /** Whether the agent is one of this pool's in the fleet spec (a ledger may name agents that left it since). */
  public boolean knows(String agent) {
    return specs.containsKey(agent);
  }

  public boolean wanted(String agent) {
    return wanted.contains(agent);
  }

  /** The agents that must run (requested ones and their dependencies); a read-only view. */
  public Set<String> wantedAgents() {
    return java.util.Collections.unmodifiableSet(wanted);
  }

  public boolean exempt(String agent) {
    return exempt.contains(agent);
  }

  public boolean requestedHere(String agent) {
    return requested.contains(agent);
  }

  /** Adds a requested agent; returns the agents that became wanted, dependencies first. */
  public List<String> add(String agent) {
    requested.add(agent);
    List<String> added = new ArrayList<>();
    for (String a : graph.closure(agent)) {
      if (wanted.add(a)) {
        releasing.remove(a);
        refresh(a);
        added.add(a);
      }
    }
    return added;
  }

  /** Takes the ledger's requested set; returns the agents no longer wanted, each with why. */
  public Map<String, String> reset(Set<String> nowRequested) {
    requested = new HashSet<>(nowRequested);
    Set<String> next = graph.wantedBy(requested);
    Map<String, String> gone = new LinkedHashMap<>();
    for (String a : wanted) {
      if (!next.contains(a)) {
        gone.put(a, "no active agent depends on it any more");
      }
    }
    Set<String> before = wanted;
    wanted = next;
    for (String a : gone.keySet()) {
      releasing.add(a);
      refresh(a);
    }
    for (String a : next) {
      if (!before.contains(a)) {
        refresh(a);
      }
    }
    return gone;
  }

  /** Takes a new status into account; true when it freed quota. */
  public boolean observe(AgentStatus s) {
    if (!s.desiredActive()) {
      releasing.remove(s.name());
    }
    boolean was = occupancy.contains(s.name());
    refresh(s.name());
    return was && !occupancy.contains(s.name());
  }

  /** A running agent the ledger does not hold (journals older than the ledger, or a crash mid-release). */
  public boolean shouldAdopt(AgentStatus s, PoolState state) {
    return s.desiredActive() && s.phase() != AgentPhase.STOPPING && !wanted.contains(s.name())
        && !releasing.contains(s.name()) && !state.queued(s.name());
  }

  private void refresh(String agent) {
    AgentStatus s = statuses.get(agent);
    boolean occupies = s != null && (s.desiredActive() || s.phase().occupiesResources());
    if (s != null) {
      occupancy.container(agent, s.containerId());
    }
    occupancy.set(agent, wanted.contains(agent) || occupies);
  }

  /** Released events for {@code victims}, and DependencyReleased for what only they needed. */
  public List<PoolEvent> release(PoolState state, Map<String, Release> victims, Instant now) {
    List<PoolEvent> events = new ArrayList<>();
    Set<String> remaining = new HashSet<>(state.requested());
    remaining.removeAll(victims.keySet());
    Set<String> next = graph.wantedBy(remaining);
    victims.forEach((a, r) -> events.add(new PoolEvent.Released(a, r.kind(), r.reason(), now)));
    for (String a : wanted) {
      if (!next.contains(a) && !victims.containsKey(a)) {
        events.add(new PoolEvent.DependencyReleased(a, "released " + a + ": no active agent depends on it any more", now));
      }
    }
    return events;
  }

  /** Requested agents without traffic for their idle-timeout, that are not exempt, not busy, not needed by others. */
  public List<PoolEvent> idleReleases(PoolState state, IdleTracker idle, SupervisorSettings settings, Instant now) {
    Map<String, Release> victims = new LinkedHashMap<>();
    for (String a : state.requested()) {
      AgentStatus s = statuses.get(a);
      if (exempt.contains(a) || s == null || !settled(s) || idle.inFlight(a)) {
        continue;
      }
      Duration quiet = idle.idleFor(a, now);
      if (quiet.compareTo(settings.idleTimeoutFor(specs.get(a))) >= 0 && !graph.neededByOther(a, wanted)
          && activeDependentElsewhere(a) == null) {
        victims.put(a, new Release(ScalingDecision.Kind.IDLE_STOPPED, "stopped " + a + ": idle " + IdleTracker.human(quiet)));
      }
    }
    return victims.isEmpty() ? List.of() : release(state, victims, now);
  }

  /**
   * Preemption for a waiting request that does not fit: the least recently used idle (never busy) agents
   * of lower priority, as few as make it fit once stopped. Nothing when stops already under way will make
   * room, or when even all candidates would not.
   */
  public List<PoolEvent> preemptFor(PoolState state, QueueEntry entry, Budget budget, IdleTracker idle, Instant now) {
    List<String> closure = graph.closure(entry.agent());
    Set<String> freeing = new HashSet<>();
    for (String a : occupancy.agents()) {
      if (!wanted.contains(a)) {
        freeing.add(a);
      }
    }
    if (fitsWithout(closure, freeing, budget)) {
      return List.of();
    }
    List<String> candidates = new ArrayList<>();
    for (String a : state.requested()) {
      AgentStatus s = statuses.get(a);
      if (knows(a) && !exempt.contains(a) && specs.get(a).priority() < entry.priority() && s != null && settled(s)
          && !idle.busy(a, now) && !closure.contains(a) && !graph.neededByOther(a, wanted)
          && activeDependentElsewhere(a) == null) {
        candidates.add(a);
      }
    }
    if (candidates.isEmpty()) {
      return List.of();
    }
    candidates.sort(Comparator.comparing((String a) -> idle.lastTraffic(a, now)));
    Set<String> victims = new LinkedHashSet<>();
    Set<String> remaining = new HashSet<>(state.requested());
    for (String c : candidates) {
      victims.add(c);
      remaining.remove(c);
      Set<String> next = graph.wantedBy(remaining);
      Set<String> freed = new HashSet<>();
      for (String a : occupancy.agents()) {
        if (!next.contains(a)) {
          freed.add(a);
        }
      }
      if (fitsWithout(closure, freed, budget)) {
        Map<String, Release> r = new LinkedHashMap<>();
        for (String v : victims) {
          r.put(v, new Release(ScalingDecision.Kind.PREEMPTED, "preempted " + v + " (priority " + specs.get(v).priority()
              + ", idle " + IdleTracker.human(idle.idleFor(v, now)) + ") for " + entry.agent() + " (priority " + entry.priority() + ")"));
        }
        return release(state, r, now);
      }
    }
    return List.of();
  }

  /**
   * A dependent of {@code agent} in another pool that is active (or being activated), or null: while there
   * is one, {@code agent} is neither stopped for idleness nor preempted.
   */
  public String activeDependentElsewhere(String agent) {
    for (String d : graph.otherPoolDependents(agent)) {
      AgentStatus s = statuses.get(d);
      if (s != null && (s.desiredActive() || s.phase().occupiesResources())) {
        return d;
      }
    }
    return null;
  }

  /** Would {@code closure} fit once the {@code freed} agents have stopped? */
  private boolean fitsWithout(List<String> closure, Set<String> freed, Budget budget) {
    int count = occupancy.count();
    long memory = occupancy.memoryBytes();
    double cpus = occupancy.cpus();
    for (String a : freed) {
      count--;
      memory -= occupancy.memoryOf(a);
      cpus -= occupancy.cpusOf(a);
    }
    int addCount = 0;
    long addMemory = 0;
    double addCpus = 0;
    for (String a : closure) {
      if (!occupancy.contains(a) || freed.contains(a)) {
        addCount++;
        addMemory += specs.get(a).memoryBytes();
        addCpus += specs.get(a).cpus();
      }
    }
    return budget.whyNot(count, memory, cpus, addCount, addMemory, addCpus) == null;
  }

  /** activation = always, and the pool's min-active most important agents: started at boot, never stopped. */
  public static Set<String> exemptAgents(List<AgentSpec> agents, int minActive) {
    Set<String> out = new java.util.HashSet<>();
    agents.stream().filter(a -> a.activation() == AgentSpec.Activation.ALWAYS).forEach(a -> out.add(a.name()));
    agents.stream().sorted(CapacityAnalysis.admissionOrder()).limit(Math.max(0, minActive)).forEach(a -> out.add(a.name()));
    return out;
  }

  /** Up and not moving (healthy, or alive but not ready): may be stopped for idleness or preempted. */
  private static boolean settled(AgentStatus s) {
    return s.phase() == AgentPhase.HEALTHY || s.phase() == AgentPhase.NOT_READY;
  }
}
