package ai.sutazai.inference;

import static ai.sutazai.inference.RouterFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.Done;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpResponse;
import akka.stream.javadsl.Sink;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The router tells the agent gateway when each admitted request ends, so that the supervisor counts an
 * agent busy for the whole of a long generation (never idle-stopped or preempted meanwhile): once per
 * admitted request, and only after its answer has been sent in full, failed, been refused, or its client
 * has gone.
 */
class AgentInFlightTest {
  private static final String M = "llama3.2:latest";
  private static final String GEN = "{\"model\":\"llama3.2\",\"prompt\":\"hi\"}";
  private final RouterFixture f = new RouterFixture();
  private final Recording gateway = new Recording();

  /** Counts admissions and ends per agent; refuses the agent named "banned". */
  private static final class Recording implements AgentGateway {
    final Map<String, AtomicInteger> admitted = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> finished = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<AgentAdmission> admit(String agent) {
      if (agent.equals("banned")) {
        return CompletableFuture.completedFuture(new AgentAdmission(false, 0, "not allowed"));
      }
      count(admitted, agent);
      return CompletableFuture.completedFuture(AgentAdmission.admit(1));
    }

    @Override
    public void finished(String agent) {
      count(finished, agent);
    }

    private static void count(Map<String, AtomicInteger> m, String agent) {
      m.computeIfAbsent(agent, a -> new AtomicInteger()).incrementAndGet();
    }

    int admissions(String agent) {
      return admitted.getOrDefault(agent, new AtomicInteger()).get();
    }

    int ends(String agent) {
      return finished.getOrDefault(agent, new AtomicInteger()).get();
    }
  }

  private FakeOllama fake(String name, Set<String> loaded) throws Exception {
    return f.fake(name, Set.of(M), loaded);
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  @Test
  void aRequestIsInFlightUntilItsWholeAnswerHasBeenSent() throws Exception {
    FakeOllama w = fake("w", Set.of(M));
    w.mode = FakeOllama.Mode.HOLD;
    f.start(RouterFixture.fastSettings(), List.of(w.config(1)), gateway);
    f.awaitModels("w", M);
    var pending = f.postAsync("/api/generate", GEN, "X-Sutazai-Agent", "coder");
    await().until(() -> w.holding.get() == 1);
    assertEquals(1, gateway.admissions("coder"));
    assertEquals(0, gateway.ends("coder"), "ended while the worker was still generating");
    w.held.complete(Done.getInstance());
    var r = pending.get(10, TimeUnit.SECONDS);
    assertEquals(200, r.status());
    assertEquals(3, r.lines().size(), "the whole stream reached the client");
    await().until(() -> gateway.ends("coder") == 1);

    // A plain (not streamed) answer, and a request without an agent, which the gateway never hears of.
    assertEquals(200, f.post("/api/generate", "{\"model\":\"llama3.2\",\"prompt\":\"hi\",\"stream\":false}",
        "X-Sutazai-Agent", "coder").status());
    await().until(() -> gateway.ends("coder") == 2);
    assertEquals(200, f.post("/api/generate", GEN).status());
    assertEquals(2, gateway.admissions("coder"));
    assertEquals(1, gateway.admitted.size());
  }

  @Test
  void aClientThatLeavesMidStreamEndsItsRequestOnce() throws Exception {
    FakeOllama endless = fake("endless", Set.of(M));
    endless.mode = FakeOllama.Mode.ENDLESS;
    f.start(RouterFixture.fastSettings(), List.of(endless.config(1)), gateway);
    f.awaitModels("endless", M);
    HttpResponse r = Http.get(f.system).singleRequest(f.request(HttpMethods.POST, "/api/generate", GEN,
        "X-Sutazai-Agent", "writer")).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(200, r.status().intValue());
    assertEquals(0, gateway.ends("writer"), "the endless stream is still being sent");
    r.entity().getDataBytes().take(1).runWith(Sink.head(), f.system).toCompletableFuture().get(5, TimeUnit.SECONDS);
    endless.endlessTerminated.get(10, TimeUnit.SECONDS);
    await().until(() -> gateway.ends("writer") == 1);
    // The slot is free again, and the next request of the agent is counted on its own.
    endless.mode = FakeOllama.Mode.NORMAL;
    assertEquals(200, f.post("/api/generate", GEN, "X-Sutazai-Agent", "writer").status());
    await().until(() -> gateway.ends("writer") == 2);
    assertEquals(2, gateway.admissions("writer"));
  }

  @Test
  void requestsTheRouterRefusesEndToo() throws Exception {
    FakeOllama w = fake("w", Set.of(M));
    w.mode = FakeOllama.Mode.HOLD;
    f.start(RouterFixture.fastSettings(), List.of(w.config(1)), gateway);
    f.awaitModels("w", M);
    assertEquals(404, f.post("/api/generate", "{\"model\":\"nope\",\"prompt\":\"hi\"}", "X-Sutazai-Agent", "a").status());
    await().until(() -> gateway.ends("a") == 1);
    var first = f.postAsync("/api/generate", GEN, "X-Sutazai-Agent", "b");
    await().until(() -> w.holding.get() == 1);
    assertEquals(503, f.post("/api/generate", GEN, "X-Sutazai-Agent", "late", "X-Sutazai-Deadline-Ms", "100").status());
    await().until(() -> gateway.ends("late") == 1);
    assertEquals(0, gateway.ends("b"));
    w.held.complete(Done.getInstance());
    assertEquals(200, first.get(10, TimeUnit.SECONDS).status());
    await().until(() -> gateway.ends("b") == 1);
    // An agent the gateway refuses was never admitted, so it never ends either.
    assertEquals(403, f.post("/api/generate", GEN, "X-Sutazai-Agent", "banned").status());
    assertEquals(0, gateway.admissions("banned"));
    assertEquals(0, gateway.ends("banned"));
  }
}
