package ai.sutazai.supervisor.pool.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.capacity.CapacityAnalysis;
import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.DependencyGraph;
import ai.sutazai.fleet.HealthSpec;
import ai.sutazai.fleet.PoolSpec;
import ai.sutazai.supervisor.protocol.ActivationSource;
import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.protocol.QueueEntry;
import ai.sutazai.supervisor.protocol.ScalingDecision;
import ai.sutazai.supervisor.settings.SupervisorSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The pool's ledger driven directly, without an actor system: admission within budgets, priority and FIFO,
 * deadlines, preemption choice, release. The {@link Pool} fixture wires the ledger's parts as AgentPool
 * does and feeds the decisions back as AgentPool and PoolQuota do.
 */
class LedgerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration BUSY_WINDOW = Duration.ofMinutes(1);
  private static final CapacityAnalysis.Host HOST = new CapacityAnalysis.Host(64L << 30, 16, "test");
  /** Only the idle timeout matters to the ledger (QueueDecisions.tick); long enough that no test stops for idleness. */
  private static final SupervisorSettings SETTINGS = new SupervisorSettings(null, null, Duration.ofMinutes(30), null,
      null, 0, null, 0, null, 0, 0, 0, null, null, null, null);

  private static Instant at(Duration d) {
    return T0.plus(d);
  }

  private static Instant minutes(long m) {
    return T0.plus(Duration.ofMinutes(m));
  }

  /** An on-demand agent (so never exempt from release or preemption) of {@code memoryMiB} and {@code cpus}. */
  private static AgentSpec agent(String name, int priority, long memoryMiB, double cpus, String... dependsOn) {
    return new AgentSpec(name, "sim/" + name, List.of(), Map.of(), memoryMiB << 20, memoryMiB << 20, cpus, priority,
        List.of(dependsOn), null, HealthSpec.NONE, List.of(), AgentSpec.Activation.ON_DEMAND, "gpu", null, null);
  }

  /** One pool's ledger, assembled as AgentPool's constructor does; containers start and stop when told to. */
  private static final class Pool {
    final Map<String, AgentSpec> specs = new LinkedHashMap<>();
    /** The latest status of each agent, shared by PoolWants and ActivationDecider as in AgentPool. */
    final Map<String, AgentStatus> statuses = new HashMap<>();
    final IdleTracker idle = new IdleTracker(BUSY_WINDOW);
    final PoolWants wants;
    final QueueDecisions queue;
    final ActivationDecider decider;
    final Budget budget;
    PoolState state = PoolState.empty();
    Instant now = T0;
    /** Agents the pool told to deactivate (after a Released was journalled) whose stop was not observed yet. */
    final Set<String> toldToStop = new LinkedHashSet<>();

    Pool(int maxActive, long memoryMiB, double cpus, AgentSpec... agents) {
      PoolSpec spec = new PoolSpec("gpu", maxActive, memoryMiB << 20, cpus, 0);
      Map<String, List<String>> edges = new LinkedHashMap<>();
      for (AgentSpec a : agents) {
        specs.put(a.name(), a);
        edges.put(a.name(), a.dependsOn());
      }
      PoolGraph graph = new PoolGraph(DependencyGraph.of(edges), specs.keySet());
      wants = new PoolWants(specs, graph, statuses, PoolWants.exemptAgents(List.of(agents), spec.minActive()));
      queue = new QueueDecisions(spec, specs, graph, wants);
      decider = new ActivationDecider(specs, graph, wants, statuses);
      budget = Budget.resolve(spec, HOST, CapacityAnalysis.Targets.DEFAULT);
    }

    Pool at(Instant t) {
      now = t;
      return this;
    }

    List<PoolEvent> activate(String... agents) {
      List<ActivationDecider.Request> requests = new ArrayList<>();
      for (String a : agents) {
        requests.add(request(a, null));
      }
      return decide(requests);
    }

    static ActivationDecider.Request request(String agent, Instant deadline) {
      return new ActivationDecider.Request(agent, ActivationSource.API, "test", deadline);
    }

    /** A batch, as PoolQuota.decide: in order, each against the state the earlier ones leave, one admission plan; then journalled. */
    List<PoolEvent> decide(List<ActivationDecider.Request> requests) {
      AdmissionPlan plan = new AdmissionPlan(budget, wants.occupancy(), specs);
      PoolState projected = state;
      List<PoolEvent> events = new ArrayList<>();
      for (ActivationDecider.Request r : requests) {
        for (PoolEvent e : decider.decide(projected, plan, r, budget, idle, now).events()) {
          projected = projected.apply(e);
          events.add(e);
        }
      }
      return journal(events);
    }

    /** As PoolQuota.deactivate: queued requests cancelled, the agent released with what only it needed. */
    List<PoolEvent> deactivate(String agent) {
      List<PoolEvent> events = new ArrayList<>();
      for (QueueEntry e : state.queuedEntries(agent)) {
        events.add(new PoolEvent.Rejected(e.seq(), agent, "cancelled " + agent + ": test", now));
      }
      if (state.requested().contains(agent)) {
        events.addAll(wants.release(state, Map.of(agent,
            new PoolWants.Release(ScalingDecision.Kind.STOPPED, "stopped " + agent + ": test")), now));
      }
      return journal(events);
    }

    /** The pool's periodic tick: deadlines, idle stops, preemption for the head of the queue. */
    List<PoolEvent> tick() {
      return journal(queue.tick(state, budget, idle, SETTINGS, now));
    }

    /** The containers of {@code agents} have stopped (notices): observed, and the queue drained if quota was freed (as AgentPool does with notices). */
    List<PoolEvent> stopped(String... agents) {
      boolean freed = false;
      for (String a : agents) {
        toldToStop.remove(a);
        freed |= observe(a, AgentPhase.INACTIVE, false);
      }
      return freed && !state.queue().isEmpty() ? journal(queue.drain(state, budget, now)) : List.of();
    }

    private boolean observe(String agent, AgentPhase phase, boolean desired) {
      AgentSpec a = specs.get(agent);
      AgentStatus s = new AgentStatus(agent, "gpu", phase, desired, null, 0, "test", now, -1, Set.of(), a.priority(),
          a.memoryBytes(), a.cpus(), null);
      statuses.put(agent, s);
      return wants.observe(s);
    }

    /** The events applied as AgentPool's event handler does, then carried out as AgentPool.carryOut does. */
    List<PoolEvent> journal(List<PoolEvent> events) {
      for (PoolEvent e : events) {
        state = state.apply(e);
      }
      for (PoolEvent e : events) {
        if (e instanceof PoolEvent.Admitted a) {
          idle.touch(a.agent(), now);
          // the wanted agents are told to start; here their containers come up healthy at once
          wants.add(a.agent()).forEach(w -> observe(w, AgentPhase.HEALTHY, true));
        }
      }
      if (events.stream().anyMatch(e -> e instanceof PoolEvent.Released)) {
        toldToStop.addAll(wants.reset(state.requested()).keySet()); // told to deactivate; they stop later
      }
      return events;
    }
  }

  private static <T extends PoolEvent> List<T> ofType(List<PoolEvent> events, Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static List<String> agents(List<PoolEvent> events, Class<? extends PoolEvent> type) {
    return ofType(events, type).stream().map(PoolEvent::agent).toList();
  }

  private static <T extends PoolEvent> T only(List<PoolEvent> events, Class<T> type) {
    List<T> found = ofType(events, type);
    assertEquals(1, found.size(), () -> "one " + type.getSimpleName() + " in " + events);
    return found.get(0);
  }

  private static void assertContains(String expected, String actual) {
    assertTrue(actual.contains(expected), () -> "expected \"" + expected + "\" in \"" + actual + "\"");
  }

  // ---- 1. admission within budgets ----

  @Test
  void admitsWhileRequestsFitThenQueuesNamingTheBudgetThatIsShort() {
    // max-active: three requests in one batch share the budget
    Pool byCount = new Pool(2, 4096, 4, agent("a", 0, 256, 0.5), agent("b", 0, 256, 0.5), agent("c", 0, 256, 0.5));
    List<PoolEvent> events = byCount.activate("a", "b", "c");
    assertEquals(List.of("a", "b"), agents(events, PoolEvent.Admitted.class));
    assertContains("2 of 2 agents", ofType(events, PoolEvent.Admitted.class).get(1).reason());
    assertEquals("queued c: max-active 2 of 2 agents active", only(events, PoolEvent.Queued.class).reason());
    assertEquals(Set.of("a", "b"), byCount.state.requested());
    assertEquals(1, byCount.state.position("c"));

    // memory: requests one after another, each against what the earlier ones occupy
    Pool byMemory = new Pool(10, 1024, 4, agent("a", 0, 512, 0.1), agent("b", 0, 512, 0.1), agent("c", 0, 512, 0.1));
    assertEquals(List.of("a"), agents(byMemory.activate("a"), PoolEvent.Admitted.class));
    assertEquals(List.of("b"), agents(byMemory.activate("b"), PoolEvent.Admitted.class));
    assertEquals("queued c: memory budget 1.0 GiB of 1.0 GiB in use, needs 512 MiB",
        only(byMemory.activate("c"), PoolEvent.Queued.class).reason());
    assertEquals(2, byMemory.wants.occupancy().count());

    // CPU
    Pool byCpu = new Pool(10, 4096, 1, agent("a", 0, 64, 0.5), agent("b", 0, 64, 0.5), agent("c", 0, 64, 0.5));
    events = byCpu.activate("a", "b", "c");
    assertEquals(List.of("a", "b"), agents(events, PoolEvent.Admitted.class));
    assertEquals("queued c: CPU budget 1 of 1 cores in use, needs 0.5", only(events, PoolEvent.Queued.class).reason());
  }

  @Test
  void rejectsARequestThatCouldNeverFitEvenIntoAnEmptyPool() {
    Pool pool = new Pool(10, 1024, 4, agent("huge", 0, 2048, 0.5));
    List<PoolEvent> events = pool.activate("huge");
    assertEquals(1, events.size());
    assertEquals("rejected huge: needs 2.0 GiB (with its dependencies), the memory budget is 1.0 GiB",
        only(events, PoolEvent.Rejected.class).reason());
    assertTrue(pool.state.queue().isEmpty(), "not left waiting for room that can never come");
    assertTrue(pool.state.requested().isEmpty());
  }

  @Test
  void admitsAnAgentTogetherWithItsDependenciesCountingThemAllAgainstTheBudget() {
    AgentSpec[] fleet = {agent("db", 0, 512, 0.5), agent("cache", 0, 256, 0.25), agent("app1", 0, 256, 0.25, "db", "cache"),
        agent("app2", 0, 256, 0.25, "db")};
    Pool pool = new Pool(4, 2048, 2, fleet);
    PoolEvent.Admitted app1 = only(pool.activate("app1"), PoolEvent.Admitted.class);
    assertEquals("app1", app1.agent());
    assertContains("memory 1.0 GiB of 2.0 GiB, 1 of 2 cores, 3 of 4 agents", app1.reason());
    assertEquals(Set.of("app1", "db", "cache"), pool.wants.wantedAgents());
    assertEquals(Set.of("app1"), pool.state.requested(), "only the request is in the ledger; dependencies follow from it");
    assertEquals(3, pool.wants.occupancy().count());
    assertEquals(1L << 30, pool.wants.occupancy().memoryBytes());
    // app2's dependency db is already running: it costs only itself
    assertContains("4 of 4 agents", only(pool.activate("app2"), PoolEvent.Admitted.class).reason());

    Pool small = new Pool(2, 2048, 2, fleet);
    assertEquals("rejected app1: needs 3 active agents (with its dependencies), max-active is 2",
        only(small.activate("app1"), PoolEvent.Rejected.class).reason());
  }

  // ---- 2. priority and FIFO ----

  @Test
  void whenRoomFreesTheQueueDrainsHighestPriorityFirstThenInArrivalOrder() {
    Pool pool = new Pool(1, 4096, 4, agent("run", 9, 256, 0.5), agent("low-1", 1, 256, 0.5), agent("high-1", 5, 256, 0.5),
        agent("low-2", 1, 256, 0.5), agent("high-2", 5, 256, 0.5));
    pool.activate("run");
    for (String a : List.of("low-1", "high-1", "low-2", "high-2")) {
      pool.at(pool.now.plusSeconds(1));
      assertEquals(List.of(a), agents(pool.activate(a), PoolEvent.Queued.class));
    }
    pool.at(minutes(1));
    List<String> admitted = new ArrayList<>();
    String running = "run";
    for (int i = 0; i < 4; i++) {
      List<PoolEvent> released = pool.deactivate(running);
      assertEquals(List.of(running), agents(released, PoolEvent.Released.class));
      assertEquals(Set.of(running), pool.toldToStop);
      assertTrue(pool.queue.drain(pool.state, pool.budget, pool.now).isEmpty(),
          "a released agent holds its quota until its container is seen stopped");
      PoolEvent.Admitted next = only(pool.stopped(running), PoolEvent.Admitted.class);
      assertContains("admitted " + next.agent() + " after waiting", next.reason());
      admitted.add(next.agent());
      running = next.agent();
    }
    assertEquals(List.of("high-1", "high-2", "low-1", "low-2"), admitted);
    assertTrue(pool.state.queue().isEmpty());
  }

  // ---- 3. deadlines ----

  @Test
  void aQueuedRequestWhoseDeadlinePassesIsRejectedAtTheNextTick() {
    Pool pool = new Pool(1, 4096, 4, agent("run", 9, 256, 0.5), agent("late", 1, 256, 0.5), agent("patient", 1, 256, 0.5));
    pool.activate("run");
    only(pool.decide(List.of(Pool.request("late", at(Duration.ofSeconds(30))))), PoolEvent.Queued.class);
    only(pool.activate("patient"), PoolEvent.Queued.class);

    assertEquals(List.of(), pool.at(at(Duration.ofSeconds(29))).tick(), "before its deadline it waits");
    assertTrue(pool.state.queued("late"));

    PoolEvent.Rejected r = only(pool.at(at(Duration.ofSeconds(31))).tick(), PoolEvent.Rejected.class);
    assertEquals("late", r.agent());
    assertContains("rejected late: deadline passed after waiting 31s in the queue", r.reason());
    assertFalse(pool.state.queued("late"));
    assertEquals(1, pool.state.position("patient"), "a request without a deadline keeps waiting");
  }

  @Test
  void aRequestArrivingPastItsDeadlineIsRejectedAtOnceWhenItDoesNotFit() {
    Pool pool = new Pool(1, 4096, 4, agent("run", 9, 256, 0.5), agent("hasty", 1, 256, 0.5));
    pool.activate("run");
    PoolEvent.Rejected r = only(pool.at(minutes(1)).decide(List.of(Pool.request("hasty", minutes(1)))), PoolEvent.Rejected.class);
    assertEquals("rejected hasty: deadline already passed; max-active 1 of 1 agents active", r.reason());
    assertFalse(pool.state.queued("hasty"));

    Pool roomy = new Pool(2, 4096, 4, agent("run", 9, 256, 0.5), agent("hasty", 1, 256, 0.5));
    assertEquals(List.of("hasty"), agents(roomy.at(minutes(1)).decide(List.of(Pool.request("hasty", T0))),
        PoolEvent.Admitted.class), "a request that fits is admitted whatever its deadline");
  }

  // ---- 4. preemption choice ----

  @Test
  void preemptsTheLeastRecentlyUsedIdleAgentOfLowerPriority() {
    Pool pool = new Pool(3, 4096, 4, agent("mid", 3, 256, 0.5), agent("low-a", 1, 256, 0.5), agent("low-b", 1, 256, 0.5),
        agent("vip", 5, 256, 0.5), agent("vip-2", 5, 256, 0.5));
    pool.at(minutes(0)).activate("mid");
    pool.at(minutes(1)).activate("low-a");
    pool.at(minutes(2)).activate("low-b");

    // Among the lower-priority idle agents the least recently used goes first, whatever its own priority:
    // mid (priority 3, unused for 10 minutes) before the priority-1 agents used since.
    List<PoolEvent> events = pool.at(minutes(10)).activate("vip");
    assertEquals("queued vip: max-active 3 of 3 agents active", only(events, PoolEvent.Queued.class).reason());
    PoolEvent.Released preempted = only(events, PoolEvent.Released.class);
    assertEquals("mid", preempted.agent());
    assertEquals(ScalingDecision.Kind.PREEMPTED, preempted.kind());
    assertEquals("preempted mid (priority 3, idle 10m) for vip (priority 5)", preempted.reason());
    assertEquals(Set.of("mid"), pool.toldToStop, "as few as make it fit");
    assertEquals(List.of("vip"), agents(pool.stopped("mid"), PoolEvent.Admitted.class));

    // Among equals, the least recently used: low-a (used at 1m) before low-b (2m); never vip, of equal priority.
    events = pool.at(minutes(11)).activate("vip-2");
    assertEquals(List.of("low-a"), agents(events, PoolEvent.Released.class));
    assertContains("preempted low-a (priority 1, idle 10m) for vip-2 (priority 5)", only(events, PoolEvent.Released.class).reason());
  }

  @Test
  void neverPreemptsABusyAgentNorOneOfEqualOrHigherPriority() {
    Pool pool = new Pool(4, 4096, 4, agent("inflight", 1, 256, 0.5), agent("recent", 1, 256, 0.5), agent("peer", 5, 256, 0.5),
        agent("boss", 9, 256, 0.5), agent("vip", 5, 256, 0.5));
    pool.activate("inflight", "recent", "peer", "boss");
    pool.idle.inFlight("inflight", true, T0); // an inference running since T0
    pool.idle.touch("recent", at(Duration.ofMinutes(9).plusSeconds(30))); // traffic within the busy window

    List<PoolEvent> events = pool.at(minutes(10)).activate("vip");
    assertEquals(List.of("vip"), agents(events, PoolEvent.Queued.class));
    assertEquals(List.of(), agents(events, PoolEvent.Released.class), "the only lower-priority agents are busy");
    assertEquals(List.of(), pool.tick(), "nor at the next tick");

    // Once the inference ended and the traffic is older than the busy window, a tick preempts for the queue's
    // head: the least recently used of the lower-priority agents, never peer (equal) nor boss (higher).
    pool.idle.inFlight("inflight", false, minutes(10));
    List<PoolEvent> later = pool.at(minutes(20)).tick();
    assertEquals(List.of("recent"), agents(later, PoolEvent.Released.class));
    assertEquals(ScalingDecision.Kind.PREEMPTED, only(later, PoolEvent.Released.class).kind());
  }

  // ---- 5. release ----

  @Test
  void deactivatingReleasesTheAgentAndTheDependenciesNoOtherActiveAgentNeeds() {
    Pool pool = new Pool(10, 4096, 4, agent("db", 0, 512, 0.5), agent("cache", 0, 256, 0.25),
        agent("app1", 0, 256, 0.25, "db", "cache"), agent("app2", 0, 256, 0.25, "db"));
    pool.activate("app1", "app2");
    assertEquals(Set.of("app1", "app2", "db", "cache"), pool.wants.wantedAgents());

    List<PoolEvent> events = pool.at(minutes(5)).deactivate("app1");
    PoolEvent.Released app1 = only(events, PoolEvent.Released.class);
    assertEquals("app1", app1.agent());
    assertEquals(ScalingDecision.Kind.STOPPED, app1.kind());
    assertEquals(List.of("cache"), agents(events, PoolEvent.DependencyReleased.class), "db is still needed by app2");
    assertEquals("released cache: no active agent depends on it any more",
        only(events, PoolEvent.DependencyReleased.class).reason());
    assertEquals(Set.of("app2"), pool.state.requested());
    assertEquals(Set.of("app1", "cache"), pool.toldToStop);
    assertEquals(Set.of("app2", "db"), pool.wants.wantedAgents());

    pool.stopped("app1", "cache");
    assertEquals(Set.of("app2", "db"), pool.wants.occupancy().agents(), "their quota comes back once they stopped");

    events = pool.deactivate("app2");
    assertEquals(List.of("app2"), agents(events, PoolEvent.Released.class));
    assertEquals(List.of("db"), agents(events, PoolEvent.DependencyReleased.class), "now nothing needs db");
    assertEquals(Set.of("app2", "db"), pool.toldToStop);
  }
}
