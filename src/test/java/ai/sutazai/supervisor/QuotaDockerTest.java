package ai.sutazai.supervisor;

import ai.sutazai.supervisor.protocol.SupervisorProtocol;

import ai.sutazai.supervisor.protocol.ActivationResult;
import ai.sutazai.supervisor.protocol.ActivationSource;
import ai.sutazai.supervisor.protocol.AgentEvent;
import ai.sutazai.supervisor.protocol.AgentEventPublished;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.protocol.PoolStatus;
import ai.sutazai.supervisor.protocol.ScalingDecision;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.runtime.ContainerInfo;
import ai.sutazai.testsupport.DockerTestSupport;
import akka.actor.typed.javadsl.AskPattern;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Quotas, the activation queue, scale-to-zero, preemption and dependencies against the real Docker engine. */
class QuotaDockerTest {
  @RegisterExtension static final DockerTestSupport docker = new DockerTestSupport();

  private static final Duration LONG = Duration.ofSeconds(60);

  @Test
  void concurrentActivationsNeverExceedTheQuotaAndTheQueueDrainsInPriorityOrder() throws Exception {
    StringBuilder agents = new StringBuilder();
    for (int i = 1; i <= 6; i++) {
      agents.append(QuotaHarness.sleeper("a" + i, i, ""));
    }
    // Memory binds: 3 x 16 MiB fit in 56 MiB, a fourth does not (max-active would allow 5).
    try (QuotaHarness q = new QuotaHarness(docker, QuotaHarness.pool(5, "56MiB", 2), agents.toString(), Map.of())) {
      List<CompletableFuture<StatusReply<ActivationResult>>> replies = new ArrayList<>();
      for (int i = 1; i <= 6; i++) {
        String agent = "a" + i;
        replies.add(CompletableFuture.supplyAsync(() -> AskPattern.<SupervisorProtocol.Command, StatusReply<ActivationResult>>ask(
            q.h.supervisor, r -> new SupervisorProtocol.Activate(agent, ActivationSource.API, "burst", null, r),
            Duration.ofSeconds(15), q.h.kit.scheduler()).toCompletableFuture().join()));
      }
      Map<ActivationResult.Outcome, Integer> outcomes = new HashMap<>();
      for (CompletableFuture<StatusReply<ActivationResult>> f : replies) {
        outcomes.merge(f.get(20, TimeUnit.SECONDS).getValue().outcome(), 1, Integer::sum);
      }
      assertEquals(3, outcomes.getOrDefault(ActivationResult.Outcome.STARTING, 0), outcomes.toString());
      assertEquals(3, outcomes.getOrDefault(ActivationResult.Outcome.QUEUED, 0), outcomes.toString());
      PoolStatus pool = q.pool();
      assertEquals(3, pool.activeCount());
      assertEquals(48L << 20, pool.usedMemoryBytes());
      assertEquals(3, pool.queue().size());
      // Queue order: priority first.
      List<Integer> priorities = pool.queue().stream().map(PoolStatus.Queued::priority).toList();
      assertEquals(priorities.stream().sorted(java.util.Comparator.reverseOrder()).toList(), priorities);
      assertEquals(List.of(1, 2, 3), pool.queue().stream().map(PoolStatus.Queued::position).toList());
      // How long each request has waited: more than nothing, and more at each later look.
      Map<String, Long> waited = new HashMap<>();
      pool.queue().forEach(e -> waited.put(e.agent(), e.waitingMillis()));
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        List<PoolStatus.Queued> later = q.pool().queue();
        return later.size() == 3 && later.stream().allMatch(e -> e.waitingMillis() > 0 && e.waitingMillis() > waited.get(e.agent()));
      });
      ScalingDecision queued = q.await(ScalingDecision.Kind.QUEUED, pool.queue().get(0).agent(), LONG);
      assertTrue(queued.reason().contains("memory budget 48 MiB of 56 MiB in use"), queued.reason());
      await().atMost(LONG).until(() -> running().size() == 3);

      // Free one slot: the highest-priority waiting agent goes first.
      String first = pool.queue().get(0).agent();
      String stopped = running().get(0);
      q.deactivate(stopped);
      q.await(ScalingDecision.Kind.ADMITTED, first, LONG);
      await().atMost(LONG).until(() -> running().size() == 3 && running().contains(first));
      assertEquals(2, q.pool().queue().size());
      assertTrue(running().size() <= 3);
      // Every journalled agent event kept the occupying agents within budget.
      assertWithinBudgetThroughout(q, 3);
    }
  }

  @Test
  void aQueuedRequestIsRejectedWhenItsDeadlinePasses() throws Exception {
    String agents = QuotaHarness.sleeper("holder", 5, "") + QuotaHarness.sleeper("late", 1, "");
    try (QuotaHarness q = new QuotaHarness(docker, QuotaHarness.pool(1, "1GiB", 2), agents, Map.of())) {
      assertEquals(ActivationResult.Outcome.STARTING, q.activate("holder", null).outcome());
      ActivationResult r = q.activate("late", Instant.now().plusMillis(800));
      assertEquals(ActivationResult.Outcome.QUEUED, r.outcome());
      assertEquals(1, r.position());
      assertTrue(r.reason().contains("max-active 1 of 1"), r.reason());
      ScalingDecision rejected = q.await(ScalingDecision.Kind.REJECTED, "late", LONG);
      assertTrue(rejected.reason().contains("deadline passed"), rejected.reason());
      assertTrue(q.pool().queue().isEmpty());
      assertFalse(running().contains("late"));
    }
  }

  @Test
  void anIdleAgentIsStoppedButAnAlwaysOnOneIsNot() throws Exception {
    String agents = QuotaHarness.sleeper("idler", 1, "      idle-timeout = 1s")
        + QuotaHarness.sleeper("keeper", 1, "      idle-timeout = 1s\n      activation = always");
    try (QuotaHarness q = new QuotaHarness(docker, QuotaHarness.pool(5, "1GiB", 2), agents,
        Map.of("sutazai.quota.busy-window", "200ms"))) {
      q.activate("idler", null);
      await().atMost(LONG).until(() -> running().contains("idler") && running().contains("keeper"));
      ScalingDecision stop = q.await(ScalingDecision.Kind.IDLE_STOPPED, "idler", LONG);
      assertTrue(stop.reason().startsWith("stopped idler: idle "), stop.reason());
      await().atMost(LONG).until(() -> !running().contains("idler"));
      await().atMost(LONG).until(() -> q.pool().activeCount() == 1);
      assertTrue(running().contains("keeper"), "always-on agents are never scaled to zero");
      assertTrue(q.seen.stream().noneMatch(d -> "keeper".equals(d.agent()) && d.kind() == ScalingDecision.Kind.IDLE_STOPPED));
    }
  }

  @Test
  void aHigherPriorityActivationPreemptsTheLeastRecentlyUsedIdleAgentButNeverABusyOne() throws Exception {
    String agents = QuotaHarness.sleeper("old", 1, "") + QuotaHarness.sleeper("recent", 1, "")
        + QuotaHarness.sleeper("working", 1, "") + QuotaHarness.sleeper("urgent", 9, "")
        + QuotaHarness.sleeper("urgent2", 9, "");
    // sleep ignores SIGTERM as PID 1: a 1 s stop-timeout instead of 10 s for each preempted agent's docker stop.
    try (QuotaHarness q = new QuotaHarness(docker, QuotaHarness.pool(3, "1GiB", 2), agents,
        Map.of("sutazai.quota.busy-window", "300ms", "sutazai.supervisor.stop-timeout", "1s"))) {
      q.activate("working", null);
      q.activate("old", null);
      q.activate("recent", null);
      await().atMost(LONG).until(() -> running().size() == 3);
      // "working" has an inference in flight; "recent" saw traffic after "old".
      q.h.supervisor.tell(new SupervisorProtocol.Busy("working", true));
      q.h.supervisor.tell(new SupervisorProtocol.Touch("recent"));
      ActivationResult r = q.activate("urgent", null);
      assertEquals(ActivationResult.Outcome.QUEUED, r.outcome());
      ScalingDecision preempted = q.await(ScalingDecision.Kind.PREEMPTED, "old", LONG);
      assertTrue(preempted.reason().contains("for urgent (priority 9)"), preempted.reason());
      q.await(ScalingDecision.Kind.ADMITTED, "urgent", LONG);
      await().atMost(LONG).until(() -> running().contains("urgent") && !running().contains("old"));
      assertTrue(running().contains("working") && running().contains("recent"));
      assertTrue(q.seen.stream().noneMatch(d -> d.kind() == ScalingDecision.Kind.PREEMPTED && !"old".equals(d.agent())),
          "only one idle agent was needed: " + q.seen);
      // Busy agents stay: with "working" and now "recent" both serving a request, a second urgent request
      // finds no idle lower-priority agent ("urgent" has its priority) and waits, through about ten of the
      // pool's idle checks (every 200 ms, each of which tries preemption for the head of the queue).
      q.h.supervisor.tell(new SupervisorProtocol.Busy("recent", true));
      ActivationResult second = q.activate("urgent2", null);
      assertEquals(ActivationResult.Outcome.QUEUED, second.outcome(), second.toString());
      assertTrue(second.reason().contains("max-active 3 of 3"), second.reason());
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() ->
          q.h.status("working").desiredActive() && q.h.status("recent").desiredActive()
              && q.pool().queue().stream().anyMatch(e -> e.agent().equals("urgent2") && e.position() == 1));
      assertEquals(List.of(), q.publishedFor(ScalingDecision.Kind.PREEMPTED, "working"));
      assertEquals(List.of(), q.publishedFor(ScalingDecision.Kind.PREEMPTED, "recent"));
      assertTrue(running().containsAll(List.of("working", "recent", "urgent")) && !running().contains("urgent2"));
      // Its request answered, "working" is idle once the busy window (300 ms) has passed: now it is taken.
      q.h.supervisor.tell(new SupervisorProtocol.Busy("working", false));
      ScalingDecision taken = q.await(ScalingDecision.Kind.PREEMPTED, "working", LONG);
      assertTrue(taken.reason().contains("for urgent2 (priority 9)"), taken.reason());
      q.await(ScalingDecision.Kind.ADMITTED, "urgent2", LONG);
      assertEquals(List.of(), q.publishedFor(ScalingDecision.Kind.PREEMPTED, "recent"), "recent is still serving a request");
    }
  }

  @Test
  void activatingAnAgentActivatesItsDependencyFirstAndReleasesItWithItsLastDependent() throws Exception {
    String agents = QuotaHarness.sleeper("store", 5, "") + QuotaHarness.sleeper("app", 1, "      depends-on = [\"store\"]")
        + QuotaHarness.sleeper("tool", 1, "      depends-on = [\"store\"]");
    try (QuotaHarness q = new QuotaHarness(docker, QuotaHarness.pool(5, "1GiB", 2), agents, Map.of())) {
      assertEquals(ActivationResult.Outcome.STARTING, q.activate("app", null).outcome());
      AgentEvent.BecameHealthy storeUp = q.h.await("store", AgentEvent.BecameHealthy.class, LONG);
      AgentEvent.ActivationRequested appAsked = q.h.await("app", AgentEvent.ActivationRequested.class, LONG);
      assertFalse(appAsked.at().isBefore(storeUp.at()), "app was activated before its dependency was healthy");
      assertEquals(2, q.pool().activeCount(), "the dependency's request counts against the quota");
      // The cold start, from the activation request to healthy, is journalled and shown in the agent's status.
      AgentEvent.BecameHealthy appUp = q.h.await("app", AgentEvent.BecameHealthy.class, LONG);
      assertTrue(appUp.coldStartMillis() > 0, appUp.describe());
      assertEquals(Duration.between(appAsked.at(), appUp.at()).toMillis(), appUp.coldStartMillis());
      await().atMost(Duration.ofSeconds(10)).until(() -> q.h.status("app").lastColdStartMillis() == appUp.coldStartMillis());
      q.activate("tool", null);
      await().atMost(LONG).until(() -> running().size() == 3);

      q.deactivate("app");
      await().atMost(LONG).until(() -> !running().contains("app"));
      assertTrue(running().contains("store"), "store still has an active dependent");
      q.deactivate("tool");
      ScalingDecision released = q.await(ScalingDecision.Kind.RELEASED, "store", LONG);
      assertTrue(released.reason().contains("no active agent depends on it"), released.reason());
      await().atMost(LONG).until(() -> running().isEmpty());
      await().atMost(LONG).until(() -> q.pool().activeCount() == 0);
    }
  }

  @Test
  void aDependencyInAnotherPoolIsRequestedThereAndKeptWhileItsDependentIsActive() throws Exception {
    String pools = "  pools {\n    shared { max-active = 2, memory-budget = 512MiB, cpu-budget = 1 }\n"
        + "    apps { max-active = 2, memory-budget = 512MiB, cpu-budget = 1 }\n  }";
    // store and witness idle out after 1 s; witness has no dependent, so its idle stop proves store's idle
    // timeout has passed too.
    String agents = QuotaHarness.sleeper("store", 5, "      pool = \"shared\"\n      idle-timeout = 1s")
        + QuotaHarness.sleeper("witness", 1, "      pool = \"shared\"\n      idle-timeout = 1s")
        + QuotaHarness.sleeper("app", 1, "      pool = \"apps\"\n      depends-on = [\"store\"]\n      idle-timeout = 10m");
    try (QuotaHarness q = new QuotaHarness(docker, pools, agents, Map.of())) {
      assertEquals(ActivationResult.Outcome.STARTING, q.activate("app", null).outcome());
      ScalingDecision storeAdmitted = q.await(ScalingDecision.Kind.ADMITTED, "store", LONG);
      assertEquals("shared", storeAdmitted.pool(), "the dependency counts against its own pool's quota");
      assertTrue(storeAdmitted.reason().contains("dependency of app"), storeAdmitted.reason());
      AgentEvent.BecameHealthy storeUp = q.h.await("store", AgentEvent.BecameHealthy.class, LONG);
      AgentEvent.ActivationRequested appAsked = q.h.await("app", AgentEvent.ActivationRequested.class, LONG);
      assertFalse(appAsked.at().isBefore(storeUp.at()), "app was activated before its dependency was healthy");
      q.h.await("app", AgentEvent.BecameHealthy.class, LONG);

      q.activate("witness", null);
      q.await(ScalingDecision.Kind.IDLE_STOPPED, "witness", LONG);
      assertTrue(q.seen.stream().noneMatch(d -> "store".equals(d.agent()) && d.kind() == ScalingDecision.Kind.IDLE_STOPPED),
          "store was stopped while app, in another pool, depends on it");
      assertTrue(running().contains("store"));

      q.deactivate("app");
      ScalingDecision stopped = q.await(ScalingDecision.Kind.IDLE_STOPPED, "store", LONG);
      assertTrue(stopped.reason().contains("idle"), stopped.reason());
      await().atMost(LONG).until(() -> running().isEmpty());
    }
  }

  /** Replays the agent events seen so far: the occupying agents never numbered more than {@code max}. */
  private static void assertWithinBudgetThroughout(QuotaHarness q, int max) {
    Map<String, Boolean> occupying = new HashMap<>();
    List<AgentEventPublished> all;
    synchronized (q.agentEvents) {
      all = new ArrayList<>(q.agentEvents);
    }
    assertFalse(all.isEmpty());
    for (AgentEventPublished p : all) {
      AgentStatus s = p.status();
      occupying.put(s.name(), s.desiredActive() || s.phase().occupiesResources());
      long n = occupying.values().stream().filter(b -> b).count();
      assertTrue(n <= max, "over quota after " + p);
    }
  }

  private static List<String> running() {
    return docker.runtime().listManaged(docker.fleet()).stream().filter(ContainerInfo::running).map(ContainerInfo::agent)
        .sorted().toList();
  }
}
