package ai.sutazai.cli.bench;

import ai.sutazai.supervisor.protocol.SupervisorProtocol;

import ai.sutazai.common.UserError;
import ai.sutazai.fleet.PoolSpec;
import ai.sutazai.supervisor.protocol.ActivationResult;
import ai.sutazai.supervisor.protocol.ActivationSource;
import ai.sutazai.supervisor.protocol.AgentEvent;
import ai.sutazai.supervisor.protocol.AgentEventPublished;
import ai.sutazai.metrics.DecisionLatency;
import ai.sutazai.supervisor.FleetSupervisor;
import ai.sutazai.supervisor.protocol.PoolStatus;
import ai.sutazai.supervisor.protocol.ScalingDecision;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.pattern.StatusReply;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sutazai bench quota --agents N --requests M}: a burst of M activation requests against a pool
 * whose quota admits only {@code --max-active} agents at once, on the SIMULATED runtime with an H2
 * in-memory journal. Each agent "finishes" (is deactivated) once healthy, which frees quota for the next
 * one, until the queue is drained. Prints admission decisions per second and queue wait p50/p99.
 */
@Command(
    name = "quota",
    mixinStandardHelpOptions = true,
    description = {
      "Bursts M activation requests at a pool of N agents whose quota admits --max-active at once, on a SIMULATED "
          + "container runtime (in memory, nothing runs) and an H2 in-memory journal.",
      "Each agent is deactivated once healthy, so the queue drains. Prints admission decisions per second, queue wait, "
          + "and decision latency p50/p99 of activation requests and of the pool's own decisions.",
      "Target: 10,000 queued requests drained with decision p99 under 5 ms."
    })
public final class QuotaBench implements Callable<Integer> {

  @Option(names = "--agents", paramLabel = "N", defaultValue = "1000", description = "Agents in the fleet (default ${DEFAULT-VALUE}).")
  int agents;

  @Option(names = "--requests", paramLabel = "M", defaultValue = "-1",
      description = "Activation requests in the burst; request i names agent i mod N, so beyond N they repeat agents "
          + "(answered as already queued or starting). Default: N.")
  int requests;

  @Option(names = "--max-active", paramLabel = "K", defaultValue = "50",
      description = "The pool's quota: agents active at once (its memory budget is K x 16 MiB) (default ${DEFAULT-VALUE}).")
  int maxActive;

  @Override
  public Integer call() throws Exception {
    int m = requests < 0 ? agents : requests;
    if (agents < 1 || agents > 1_000_000) {
      throw new UserError("--agents: expected 1 to 1000000, got " + agents);
    }
    if (m < 1 || m > 10_000_000) {
      throw new UserError("--requests: expected 1 to 10000000, got " + m);
    }
    if (maxActive < 1) {
      throw new UserError("--max-active: expected 1 or more, got " + maxActive);
    }
    int distinct = Math.min(m, agents);
    long[] sentAt = new long[agents];
    long[] waitNanos = new long[distinct];
    int[] admitted = {0};
    AtomicLong decisions = new AtomicLong();
    CountDownLatch drained = new CountDownLatch(distinct);
    CountDownLatch replied = new CountDownLatch(m);
    long[] replyNanos = new long[m];
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < agents; i++) {
      index.put("a" + i, i);
    }
    ActorRef<?>[] supervisorHolder = new ActorRef<?>[1];
    BenchFleet.Listener listener = new BenchFleet.Listener() {
      @Override
      @SuppressWarnings("unchecked")
      public void onAgentEvent(AgentEventPublished e) {
        if (e.event() instanceof AgentEvent.BecameHealthy && supervisorHolder[0] != null) {
          ActorRef<SupervisorProtocol.Command> sup = (ActorRef<SupervisorProtocol.Command>) supervisorHolder[0];
          sup.tell(new SupervisorProtocol.DeactivateAgent(e.agent(), "bench: job done", ignore));
        }
      }

      @Override
      public void onDecision(ScalingDecision d) {
        decisions.incrementAndGet();
        if (d.kind() == ScalingDecision.Kind.ADMITTED && admitted[0] < distinct) {
          Integer i = index.get(d.agent());
          if (i != null && sentAt[i] != 0) {
            waitNanos[admitted[0]++] = System.nanoTime() - sentAt[i];
            sentAt[i] = 0;
            drained.countDown();
          }
        }
      }
    };
    PrintStream out = System.out;
    PoolSpec quota = new PoolSpec("default", maxActive, maxActive * BenchFleet.AGENT_MEMORY_BYTES, agents * BenchFleet.AGENT_CPUS + 1, 0);
    try (BenchFleet f = new BenchFleet("bench-quota", agents, quota, listener)) {
      ignore = f.system.ignoreRef();
      supervisorHolder[0] = f.supervisor;
      // Wait until the pool has heard from every agent (recovered and registered), so the burst meets a settled pool.
      long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
      while (statuses(f) < agents && System.nanoTime() < waitUntil) {
        Thread.sleep(100); // polling the benchmark's own progress, not synchronising actors
      }
      DecisionLatency latency = DecisionLatency.get(f.system);
      latency.clear();
      decisions.set(0);
      long[] sendNanos = new long[m];
      long t0 = System.nanoTime();
      for (int i = 0; i < m; i++) {
        int a = i % agents;
        int req = i;
        sendNanos[i] = System.nanoTime();
        if (i < agents) {
          sentAt[a] = sendNanos[i];
        }
        AskPattern.<SupervisorProtocol.Command, StatusReply<ActivationResult>>ask(f.supervisor,
            replyTo -> new SupervisorProtocol.Activate("a" + a, ActivationSource.API, "burst", null, replyTo),
            Duration.ofSeconds(600), f.system.scheduler()).whenComplete((r, err) -> {
              replyNanos[req] = System.nanoTime() - sendNanos[req];
              replied.countDown();
            });
      }
      replied.await(600, TimeUnit.SECONDS);
      long ackedNanos = System.nanoTime() - t0;
      if (!drained.await(1200, TimeUnit.SECONDS)) {
        throw new UserError("queue not drained within 1200 s: " + admitted[0] + " of " + distinct + " admitted", 1);
      }
      long drainNanos = System.nanoTime() - t0;
      long journalled = decisions.get();
      org.HdrHistogram.Histogram handled = latency.journalledNanos();
      org.HdrHistogram.Histogram computed = latency.computeNanos();
      long[] waits = Arrays.copyOf(waitNanos, admitted[0]);
      Arrays.sort(waits);
      long[] acks = replyNanos.clone();
      Arrays.sort(acks);
      List<PoolStatus> pools = AskPattern.<SupervisorProtocol.Command, List<PoolStatus>>ask(f.supervisor, SupervisorProtocol.GetPools::new,
          Duration.ofSeconds(30), f.system.scheduler()).toCompletableFuture().get(60, TimeUnit.SECONDS);
      double heap = BenchFleet.heapUsedMib();

      out.printf(Locale.ROOT, "sutazai bench quota --agents %d --requests %d --max-active %d%n", agents, m, maxActive);
      BenchFleet.row(out, "container runtime", BenchFleet.RUNTIME);
      BenchFleet.row(out, "journal", BenchFleet.JOURNAL);
      BenchFleet.row(out, "quota", maxActive + " agents, " + (maxActive * 16) + " MiB (each agent 16 MiB)");
      BenchFleet.row(out, "requests in the burst / distinct agents", m + " / " + distinct);
      BenchFleet.row(out, "all requests acknowledged after", sec(ackedNanos));
      BenchFleet.row(out, "queue drained (all admitted) after", sec(drainNanos));
      BenchFleet.row(out, "journalled decisions (queued, admitted, stopped...)", String.valueOf(journalled));
      BenchFleet.row(out, "decisions per second", String.format(Locale.ROOT, "%.0f", journalled / (drainNanos / 1e9)));
      BenchFleet.row(out, "admissions per second", String.format(Locale.ROOT, "%.0f", distinct / (drainNanos / 1e9)));
      BenchFleet.row(out, "queue wait (request to admitted) p50", BenchFleet.ms(BenchFleet.pctMillis(waits, 50)));
      BenchFleet.row(out, "queue wait (request to admitted) p99", BenchFleet.ms(BenchFleet.pctMillis(waits, 99)));
      BenchFleet.row(out, "acknowledgement under the burst (incl. mailbox) p50", BenchFleet.ms(BenchFleet.pctMillis(acks, 50)));
      BenchFleet.row(out, "acknowledgement under the burst (incl. mailbox) p99", BenchFleet.ms(BenchFleet.pctMillis(acks, 99)));
      BenchFleet.row(out, "pool decision, computed (before journal write) p50", BenchFleet.ms(BenchFleet.pctMillis(computed, 50)));
      BenchFleet.row(out, "pool decision, computed (before journal write) p99", BenchFleet.ms(BenchFleet.pctMillis(computed, 99)));
      BenchFleet.decisionRows(out, latency);
      BenchFleet.row(out, "pool afterwards: active / queued", pools.get(0).activeCount() + " / " + pools.get(0).queue().size());
      BenchFleet.row(out, "heap used at the end (after GC)", String.format(Locale.ROOT, "%.1f MiB", heap));
      BenchFleet.row(out, "max heap (-Xmx)", String.format(Locale.ROOT, "%.0f MiB", BenchFleet.maxHeapMib()));
      double p99 = BenchFleet.pctMillis(handled, 99);
      BenchFleet.hostRow(out);
      BenchFleet.row(out, "target: decision p99 (handling to journalled, both kinds) < 5 ms", p99 < 5 ? "met" : "NOT met");
      return 0;
    }
  }

  private ActorRef<StatusReply<akka.Done>> ignore;

  private static int statuses(BenchFleet f) throws Exception {
    return AskPattern.<SupervisorProtocol.Command, ai.sutazai.supervisor.protocol.FleetStatus>ask(f.supervisor, SupervisorProtocol.GetStatus::new,
        Duration.ofSeconds(30), f.system.scheduler()).toCompletableFuture().get(60, TimeUnit.SECONDS).agents().size();
  }

  private static String sec(long nanos) {
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }
}
