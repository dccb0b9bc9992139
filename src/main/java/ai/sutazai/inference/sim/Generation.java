package ai.sutazai.inference.sim;

import ai.sutazai.inference.ollama.Stages;
import ai.sutazai.inference.ollama.KeepAlive;
import akka.NotUsed;
import akka.actor.Cancellable;
import akka.stream.ThrottleMode;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

/**
 * One simulated generation as a stream of events, paced by timers (never a blocked thread): a pause for
 * prompt evaluation, then tokens at the configured rate through {@code throttle}, then a final event with
 * Ollama's metrics in nanoseconds, or an error event after some tokens when the request was picked to fail.
 * The slot is released when the stream ends for any reason, including the client going away.
 */
public final class Generation {
  private Generation() {}

  enum Kind { THINKING, CONTENT, TOOL_CALLS, DONE, ERROR }

  /** Metrics of the final chunk; all durations in nanoseconds. */
  record Metrics(long totalNanos, long loadNanos, int promptEvalCount, long promptEvalNanos, int evalCount,
      long evalNanos, String doneReason) {}

  /** A stream element; {@code cost} is how many tokens it stands for (it paces the throttle). */
  record Event(Kind kind, String text, ArrayNode toolCalls, Metrics metrics, int cost) {
    static Event token(Kind kind, String text) {
      return new Event(kind, text, null, null, 1);
    }
  }

  /**
   * What to generate: thinking and content tokens, or tool calls (costing {@code toolCallTokens}); the
   * prompt's token count; the done_reason; {@code failAfter} tokens before an error, or -1.
   */
  record Plan(List<String> thinking, List<String> content, ArrayNode toolCalls, int toolCallTokens,
      int promptTokens, String doneReason, int failAfter) {

    int evalCount() {
      return thinking.size() + content.size() + (toolCalls == null ? 0 : toolCallTokens);
    }
  }

  static final String FAILURE_MESSAGE =
      "an error was encountered while running the model: simulated failure (ollama-sim --fail-rate)";

  /** Sources not materialised within this time (the client left before the answer) free their slot. */
  private static final Duration UNCLAIMED_RELEASE = Duration.ofSeconds(10);

  /** Builds a plan: text tokens capped by num_predict (done_reason "length"), maybe marked to fail. */
  static Plan plan(List<String> thinking, List<String> content, ArrayNode toolCalls, int promptTokens,
      int numPredict, double failRate) {
    String reason = "stop";
    List<String> text = content;
    if (numPredict > 0 && numPredict < content.size()) {
      text = content.subList(0, numPredict);
      reason = "length";
    }
    int toolTokens = toolCalls == null ? 0 : Math.max(1, toolCalls.toString().length() / 4);
    Plan p = new Plan(thinking, text, toolCalls, toolTokens, promptTokens, reason, -1);
    int failAfter = -1;
    if (failRate > 0 && ThreadLocalRandom.current().nextDouble() < failRate) {
      int n = thinking.size() + text.size() + (toolCalls == null ? 0 : 1);
      failAfter = n >= 2 ? ThreadLocalRandom.current().nextInt(1, n) : n;
    }
    return new Plan(p.thinking, p.content, p.toolCalls, p.toolCallTokens, p.promptTokens, p.doneReason, failAfter);
  }

  /**
   * The events of {@code plan} on {@code lease}; {@code startNanos} is when the request arrived. The lease is
   * released with {@code keepAlive} when the stream completes, fails or is cancelled.
   */
  static Source<Event, NotUsed> run(Plan plan, SimConfig config, ModelScheduler.Lease lease, long startNanos,
      KeepAlive keepAlive, BiFunction<Duration, Runnable, Cancellable> timers) {
    double tps = config.tokensPerSecond();
    long promptNanos = tps > 0 ? (long) (plan.promptTokens() * 1e9 / (tps * 20)) : plan.promptTokens() * 20_000L;
    long tokenNanos = tps > 0 ? (long) (1e9 / tps) : 0;
    List<Event> events = new ArrayList<>();
    plan.thinking().forEach(t -> events.add(Event.token(Kind.THINKING, t)));
    plan.content().forEach(t -> events.add(Event.token(Kind.CONTENT, t)));
    if (plan.toolCalls() != null) {
      events.add(new Event(Kind.TOOL_CALLS, "", plan.toolCalls(), null, plan.toolCallTokens()));
    }
    boolean fails = plan.failAfter() >= 0;
    List<Event> emitted = fails ? new ArrayList<>(events.subList(0, plan.failAfter())) : events;
    if (fails) {
      emitted.add(new Event(Kind.ERROR, FAILURE_MESSAGE, null, null, 0));
    }
    if (!fails) {
      emitted.add(new Event(Kind.DONE, "", null, null, 0));
    }
    long[] beganNanos = new long[1];
    Source<Event, NotUsed> tokens = Source.from(emitted);
    if (tps > 0) {
      tokens = paced(tokens, tps).initialDelay(Duration.ofNanos(promptNanos + tokenNanos));
    }
    // The final metrics are taken when the DONE marker passes the throttle, after the last token.
    Source<Event, NotUsed> body = tokens.map(e -> {
      if (e.kind() != Kind.DONE) {
        return e;
      }
      long now = System.nanoTime();
      long eval = Math.max(1, now - beganNanos[0] - (tps > 0 ? promptNanos : 0));
      Metrics m = new Metrics(Math.max(1, now - startNanos), Math.max(1, lease.waitNanos()),
          plan.promptTokens(), Math.max(1, promptNanos), plan.evalCount(), eval, plan.doneReason());
      return new Event(Kind.DONE, "", null, m, 0);
    });
    Source<Event, NotUsed> started = body;
    AtomicBoolean materialised = new AtomicBoolean();
    Cancellable unclaimed = timers.apply(UNCLAIMED_RELEASE, () -> {
      if (!materialised.get()) {
        lease.release(keepAlive);
      }
    });
    return Source.lazySource(() -> {
          beganNanos[0] = System.nanoTime();
          return started;
        })
        .watchTermination((mat, done) -> {
          materialised.set(true);
          unclaimed.cancel();
          Stages.plain(done).whenComplete((d, e) -> lease.release(keepAlive));
          return NotUsed.getInstance();
        });
  }

  /**
   * The whole generation at once, for a non-streamed answer when there is no token rate to honour
   * ({@code tokensPerSecond <= 0}): no stream is materialised, which keeps the simulator cheap when a
   * benchmark drives thousands of requests per second through it. The lease is released here.
   */
  static List<Event> immediate(Plan plan, ModelScheduler.Lease lease, long startNanos, KeepAlive keepAlive) {
    try {
      List<Event> events = new ArrayList<>(plan.thinking().size() + plan.content().size() + 2);
      plan.thinking().forEach(t -> events.add(Event.token(Kind.THINKING, t)));
      plan.content().forEach(t -> events.add(Event.token(Kind.CONTENT, t)));
      if (plan.toolCalls() != null) {
        events.add(new Event(Kind.TOOL_CALLS, "", plan.toolCalls(), null, plan.toolCallTokens()));
      }
      if (plan.failAfter() >= 0) {
        List<Event> failed = new ArrayList<>(events.subList(0, plan.failAfter()));
        failed.add(new Event(Kind.ERROR, FAILURE_MESSAGE, null, null, 0));
        return failed;
      }
      long promptNanos = plan.promptTokens() * 20_000L;
      long total = Math.max(1, System.nanoTime() - startNanos);
      Metrics m = new Metrics(total + promptNanos + plan.evalCount() * 10_000L, Math.max(1, lease.waitNanos()),
          plan.promptTokens(), promptNanos, plan.evalCount(), plan.evalCount() * 10_000L, plan.doneReason());
      events.add(new Event(Kind.DONE, "", null, m, 0));
      return events;
    } finally {
      lease.release(keepAlive);
    }
  }

  /** Paces events at {@code tps} tokens per second, with bursts of at most 10 ms worth of tokens. */
  private static Source<Event, NotUsed> paced(Source<Event, NotUsed> events, double tps) {
    if (tps >= 1) {
      int perSecond = (int) Math.min(Integer.MAX_VALUE, Math.round(tps));
      int burst = Math.max(1, perSecond / 100);
      return events.throttle(perSecond, Duration.ofSeconds(1), burst, Event::cost, ThrottleMode.shaping());
    }
    return events.throttle(1, Duration.ofNanos((long) (1e9 / tps)), 1, Event::cost, ThrottleMode.shaping());
  }
}
