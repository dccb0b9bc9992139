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
import akka.actor.typed.javadsl.AskPattern;
import akka.pattern.StatusReply;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sutazai bench supervisor --agents N}: registration and activation of N agents by the real
 * supervisor (pools, event-sourced agents and containers actors) on the SIMULATED runtime and an H2
 * in-memory journal: time per agent, activation-decision latency p50/p99, heap used.
 */
@Command(
    name = "supervisor",
    mixinStandardHelpOptions = true,
    description = {
      "Registers and activates N agents with the real supervisor on a SIMULATED container runtime (in memory, nothing "
          + "runs) and an H2 in-memory journal.",
      "Prints registration and activation time per agent, activation-decision latency p50/p99 (request to reply; "
          + "handling to journalled, by kind) and heap used.",
      "Target: 10,000 agents under -Xmx512m with decision p99 under 5 ms."
    })
public final class SupervisorBench implements Callable<Integer> {

  @Option(names = "--agents", paramLabel = "N", defaultValue = "1000", description = "Agents in the fleet (default ${DEFAULT-VALUE}).")
  int agents;

  @Override
  public Integer call() throws Exception {
    if (agents < 1 || agents > 1_000_000) {
      throw new UserError("--agents: expected 1 to 1000000, got " + agents);
    }
    PrintStream out = System.out;
    CountDownLatch registered = new CountDownLatch(agents);
    CountDownLatch healthy = new CountDownLatch(agents);
    long[] coldStartMillis = new long[agents];
    int[] colds = {0};
    BenchFleet.Listener listener = new BenchFleet.Listener() {
      @Override
      public void onAgentEvent(AgentEventPublished e) {
        if (e.event() instanceof AgentEvent.Registered) {
          registered.countDown();
        } else if (e.event() instanceof AgentEvent.BecameHealthy h) {
          if (colds[0] < coldStartMillis.length) {
            coldStartMillis[colds[0]++] = h.coldStartMillis();
          }
          healthy.countDown();
        }
      }

      @Override
      public void onDecision(ScalingDecision d) {}
    };
    long memory = agents * BenchFleet.AGENT_MEMORY_BYTES;
    long t0 = System.nanoTime();
    try (BenchFleet f = new BenchFleet("bench-sup", agents, new PoolSpec("default", agents, memory, agents * BenchFleet.AGENT_CPUS + 1, 0),
        listener)) {
      if (!registered.await(600, TimeUnit.SECONDS)) {
        throw new UserError("only " + (agents - registered.getCount()) + " of " + agents + " agents registered within 600 s", 1);
      }
      long registeredNanos = System.nanoTime() - t0;
      double heapRegistered = BenchFleet.heapUsedMib();

      DecisionLatency latency = DecisionLatency.get(f.system);
      latency.clear();
      long[] askNanos = new long[agents];
      long t1 = System.nanoTime();
      for (int i = 0; i < agents; i++) {
        String agent = "a" + i;
        long s = System.nanoTime();
        StatusReply<ActivationResult> r = AskPattern.<SupervisorProtocol.Command, StatusReply<ActivationResult>>ask(f.supervisor,
            reply -> new SupervisorProtocol.Activate(agent, ActivationSource.API, "bench", null, reply), Duration.ofSeconds(30),
            f.system.scheduler()).toCompletableFuture().get(60, TimeUnit.SECONDS);
        askNanos[i] = System.nanoTime() - s;
        if (!r.isSuccess() || r.getValue().outcome() == ActivationResult.Outcome.REJECTED
            || r.getValue().outcome() == ActivationResult.Outcome.QUEUED) {
          throw new IllegalStateException("activation of " + agent + " was not admitted: " + r);
        }
      }
      long decidedNanos = System.nanoTime() - t1;
      if (!healthy.await(600, TimeUnit.SECONDS)) {
        throw new UserError("only " + (agents - healthy.getCount()) + " of " + agents + " agents became healthy within 600 s", 1);
      }
      long activatedNanos = System.nanoTime() - t1;
      org.HdrHistogram.Histogram computed = latency.computeNanos();
      Arrays.sort(askNanos);
      long[] cold = Arrays.copyOf(coldStartMillis, colds[0]);
      Arrays.sort(cold);
      List<PoolStatus> pools = AskPattern.<SupervisorProtocol.Command, List<PoolStatus>>ask(f.supervisor, SupervisorProtocol.GetPools::new,
          Duration.ofSeconds(30), f.system.scheduler()).toCompletableFuture().get(60, TimeUnit.SECONDS);
      double heapActive = BenchFleet.heapUsedMib();

      out.printf(Locale.ROOT, "sutazai bench supervisor --agents %d%n", agents);
      BenchFleet.row(out, "container runtime", BenchFleet.RUNTIME);
      BenchFleet.row(out, "journal", BenchFleet.JOURNAL);
      BenchFleet.row(out, "agents", String.valueOf(agents));
      BenchFleet.row(out, "registration, total (start to all Registered journalled)", sec(registeredNanos));
      BenchFleet.row(out, "registration, per agent", BenchFleet.ms(registeredNanos / 1e6 / agents));
      BenchFleet.row(out, "activation, total (first request to all healthy)", sec(activatedNanos));
      BenchFleet.row(out, "activation, per agent", BenchFleet.ms(activatedNanos / 1e6 / agents));
      BenchFleet.row(out, "activation decisions acknowledged, total (sequential)", sec(decidedNanos));
      BenchFleet.row(out, "activation decision, request to reply p50", BenchFleet.ms(BenchFleet.pctMillis(askNanos, 50)));
      BenchFleet.row(out, "activation decision, request to reply p99", BenchFleet.ms(BenchFleet.pctMillis(askNanos, 99)));
      BenchFleet.row(out, "pool decision, computed (before journal write) p50", BenchFleet.ms(BenchFleet.pctMillis(computed, 50)));
      BenchFleet.row(out, "pool decision, computed (before journal write) p99", BenchFleet.ms(BenchFleet.pctMillis(computed, 99)));
      BenchFleet.decisionRows(out, latency);
      BenchFleet.row(out, "cold start (request to healthy) p50 / p99", cold.length == 0 ? "n/a"
          : String.format(Locale.ROOT, "%.0f / %.0f ms", ai.sutazai.metrics.stats.Statistics.percentileOfSorted(cold, 50),
              ai.sutazai.metrics.stats.Statistics.percentileOfSorted(cold, 99)));
      BenchFleet.row(out, "active agents (pool status)", String.valueOf(pools.get(0).activeCount()));
      BenchFleet.row(out, "heap used after registration (after GC)", String.format(Locale.ROOT, "%.1f MiB", heapRegistered));
      BenchFleet.row(out, "heap used with all active (after GC)", String.format(Locale.ROOT, "%.1f MiB", heapActive));
      BenchFleet.row(out, "max heap (-Xmx)", String.format(Locale.ROOT, "%.0f MiB", BenchFleet.maxHeapMib()));
      double p99 = BenchFleet.pctMillis(askNanos, 99);
      BenchFleet.hostRow(out);
      BenchFleet.row(out, "target: activation decision p99 (request to reply) < 5 ms", p99 < 5 ? "met" : "NOT met");
      BenchFleet.row(out, "target: under 512 MiB heap", heapActive < 512 ? "met" : "NOT met");
      return 0;
    }
  }

  private static String sec(long nanos) {
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }
}
