package ai.sutazai.inference;

import static ai.sutazai.inference.RouterFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpResponse;
import akka.stream.javadsl.Sink;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The router in front of scriptable fake workers, over real loopback HTTP. */
class InferenceRouterTest {
  private static final String M = "llama3.2:latest";
  private static final String GEN = "{\"model\":\"llama3.2\",\"prompt\":\"hi\"}";
  private final RouterFixture f = new RouterFixture();

  private FakeOllama fake(String name, Set<String> loaded) throws Exception {
    return f.fake(name, Set.of(M), loaded);
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
  }

  private static JsonNode json(String s) throws Exception {
    return UpstreamHttp.JSON.readTree(s);
  }

  @Test
  void routesToTheWorkerThatHasTheModelLoaded() throws Exception {
    FakeOllama cold = fake("cold", Set.of());
    FakeOllama warm = fake("warm", Set.of(M));
    f.start(List.of(cold.config(4), warm.config(4)));
    f.awaitModels("cold", M);
    f.awaitModels("warm", M);
    await().until(() -> f.worker("warm").loaded().contains(M));
    for (int i = 0; i < 3; i++) {
      var r = f.post("/api/generate", GEN);
      assertEquals(200, r.status());
      assertEquals("warm", r.header("X-Sutazai-Worker").orElseThrow());
      JsonNode last = json(r.lines().get(r.lines().size() - 1));
      assertTrue(last.get("done").asBoolean());
    }
    assertEquals(0, cold.inferenceRequests.get());
  }

  @Test
  void keepsAnAgentOnTheSameWorker() throws Exception {
    FakeOllama a = fake("a", Set.of(M));
    FakeOllama b = fake("b", Set.of(M));
    f.start(List.of(a.config(4), b.config(4)));
    f.awaitModels("a", M);
    f.awaitModels("b", M);
    String first = f.post("/api/generate", GEN, "X-Sutazai-Agent", "coder").header("X-Sutazai-Worker").orElseThrow();
    for (int i = 0; i < 5; i++) {
      assertEquals(first, f.post("/api/generate", GEN, "X-Sutazai-Agent", "coder").header("X-Sutazai-Worker")
          .orElseThrow());
    }
  }

  @Test
  void retriesOnAnotherWorkerWhenTheFirstFailsBeforeAnyByte() throws Exception {
    FakeOllama broken = fake("broken", Set.of(M));
    FakeOllama spare = fake("spare", Set.of());
    broken.mode = FakeOllama.Mode.STATUS_500;
    f.start(List.of(broken.config(4), spare.config(4)));
    f.awaitModels("broken", M);
    f.awaitModels("spare", M);
    await().until(() -> f.worker("broken").loaded().contains(M));
    var r = f.post("/api/generate", GEN);
    assertEquals(200, r.status());
    assertEquals("spare", r.header("X-Sutazai-Worker").orElseThrow());
    assertEquals(1, broken.inferenceRequests.get());
    assertEquals(1, spare.inferenceRequests.get());
  }

  @Test
  void aFailureAfterStreamingBeganBecomesAFinalErrorLineAndIsNotReplayed() throws Exception {
    FakeOllama dying = fake("dying", Set.of(M));
    FakeOllama other = fake("other", Set.of(M));
    dying.mode = FakeOllama.Mode.MID_STREAM_FAIL;
    other.mode = FakeOllama.Mode.MID_STREAM_FAIL;
    f.start(List.of(dying.config(4), other.config(4)));
    f.awaitModels("dying", M);
    f.awaitModels("other", M);
    var r = f.post("/api/generate", GEN);
    assertEquals(200, r.status());
    List<String> lines = r.lines();
    assertEquals(2, lines.size(), r.body());
    assertEquals("Hel", json(lines.get(0)).get("response").asText());
    JsonNode last = json(lines.get(1));
    assertTrue(last.get("error").asText().contains("mid-stream"), last.toString());
    assertFalse(last.has("done"));
    assertEquals(1, dying.inferenceRequests.get() + other.inferenceRequests.get());
  }

  @Test
  void answers503WithRetryAfterWhenTheModelQueueIsFull() throws Exception {
    FakeOllama slow = fake("slow", Set.of(M));
    slow.mode = FakeOllama.Mode.HOLD;
    Map<String, Object> s = RouterFixture.fastSettings();
    s.put("sutazai.inference.max-queue", 2);
    f.start(s, List.of(slow.config(1)), AgentGateway.ADMIT_ALL);
    f.awaitModels("slow", M);
    List<CompletableFuture<RouterFixture.Resp>> pending = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      pending.add(f.postAsync("/api/generate", GEN));
    }
    await().until(() -> slow.holding.get() == 1);
    await().until(() -> queueDepth() == 2);
    var busy = f.post("/api/generate", GEN);
    assertEquals(503, busy.status());
    assertEquals(RouterErrors.QUEUE_FULL, json(busy.body()).get("error").asText());
    assertTrue(Integer.parseInt(busy.header("Retry-After").orElseThrow()) >= 1);
    slow.held.complete(Done.getInstance());
    for (var p : pending) {
      assertEquals(200, p.get(10, TimeUnit.SECONDS).status());
    }
  }

  private int queueDepth() throws Exception {
    var q = f.call(HttpMethods.GET, "/sutazai/queue", null);
    int depth = 0;
    for (JsonNode m : json(q.body()).get("models")) {
      depth += m.get("depth").asInt();
    }
    return depth;
  }

  @Test
  void clientDisconnectCancelsTheUpstreamRequestAndFreesTheSlot() throws Exception {
    FakeOllama endless = fake("endless", Set.of(M));
    endless.mode = FakeOllama.Mode.ENDLESS;
    f.start(List.of(endless.config(1)));
    f.awaitModels("endless", M);
    HttpResponse r = Http.get(f.system).singleRequest(f.request(HttpMethods.POST, "/api/generate", GEN))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(200, r.status().intValue());
    await().until(() -> f.worker("endless").inFlight().getOrDefault(M, 0) == 1);
    r.entity().getDataBytes().take(1).runWith(Sink.head(), f.system).toCompletableFuture().get(5, TimeUnit.SECONDS);
    endless.endlessTerminated.get(10, TimeUnit.SECONDS);
    await().until(() -> f.worker("endless").inFlight().isEmpty());
  }

  @Test
  void theCircuitBreakerOpensOnFailuresAndClosesAfterAHalfOpenProbe() throws Exception {
    FakeOllama flaky = fake("flaky", Set.of(M));
    f.start(List.of(flaky.config(4)));
    f.awaitModels("flaky", M);
    assertEquals("closed", f.worker("flaky").breaker());
    flaky.healthy = false;
    await().until(() -> f.worker("flaky").breaker().equals("open"));
    var refused = f.post("/api/generate", GEN);
    assertEquals(503, refused.status());
    assertTrue(refused.header("Retry-After").isPresent());
    flaky.healthy = true;
    await().atMost(Duration.ofSeconds(5)).until(() -> f.worker("flaky").breaker().equals("closed"));
    assertEquals(200, f.post("/api/generate", GEN).status());
  }

  @Test
  void workersCanBeAddedAndRemovedWhileRunning() throws Exception {
    FakeOllama later = fake("later", Set.of(M));
    f.start(List.of());
    assertEquals(404, f.post("/api/generate", GEN).status());
    f.handle.addWorker(later.config(2)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    f.awaitModels("later", M);
    assertEquals(200, f.post("/api/generate", GEN).status());
    f.handle.removeWorker("later").toCompletableFuture().get(5, TimeUnit.SECONDS);
    var gone = f.post("/api/generate", GEN);
    assertEquals(404, gone.status());
    assertEquals("model 'llama3.2' not found", json(gone.body()).get("error").asText());
  }

  @Test
  void badInputGetsOllamasErrorShapesAndNo5xx() throws Exception {
    FakeOllama w = fake("w", Set.of(M));
    Map<String, Object> s = RouterFixture.fastSettings();
    s.put("sutazai.inference.max-body-size", "1k");
    f.start(s, List.of(w.config(2)), AgentGateway.ADMIT_ALL);
    f.awaitModels("w", M);
    assertEquals(Map.entry(400, "missing request body"), err(f.post("/api/generate", "")));
    var malformed = f.post("/api/chat", "{\"model\":");
    assertEquals(400, malformed.status());
    assertTrue(json(malformed.body()).get("error").isTextual());
    assertEquals(Map.entry(400, "model is required"), err(f.post("/api/chat", "{\"messages\":[]}")));
    assertEquals(Map.entry(404, "model '' not found"), err(f.post("/api/generate", "{\"prompt\":\"x\"}")));
    assertEquals(Map.entry(404, "model \"nope\" not found, try pulling it first"),
        err(f.post("/api/embed", "{\"model\":\"nope\",\"input\":\"x\"}")));
    assertEquals(413, f.post("/api/generate", "{\"model\":\"llama3.2\",\"prompt\":\"" + "x".repeat(2000) + "\"}")
        .status());
    var openAi = f.post("/v1/chat/completions", "{\"messages\":[]}");
    assertEquals(400, openAi.status());
    assertEquals("invalid_request_error", json(openAi.body()).get("error").get("type").asText());
    var unknown = f.call(HttpMethods.GET, "/api/nothing", null);
    assertEquals(404, unknown.status());
    assertEquals("404 page not found", unknown.body());
    assertEquals(405, f.call(HttpMethods.GET, "/api/generate", null).status());
    assertEquals(400, f.post("/api/generate", GEN, "X-Sutazai-Deadline-Ms", "soon").status());
    assertEquals(0, w.inferenceRequests.get());
  }

  private static Map.Entry<Integer, String> err(RouterFixture.Resp r) throws Exception {
    return Map.entry(r.status(), json(r.body()).get("error").asText());
  }

  @Test
  void listsTheUnionOfModelsAndSaysItIsTheRouter() throws Exception {
    FakeOllama a = fake("a", Set.of(M));
    FakeOllama b = fake("b", Set.of());
    b.installed = Set.of(M, "qwen:7b");
    f.start(List.of(a.config(1), b.config(1)));
    f.awaitModels("b", "qwen:7b");
    f.awaitModels("a", M);
    JsonNode tags = json(f.call(HttpMethods.GET, "/api/tags", null).body());
    assertEquals(2, tags.get("models").size());
    JsonNode ps = json(f.call(HttpMethods.GET, "/api/ps", null).body());
    assertEquals(M, ps.get("models").get(0).get("name").asText());
    assertTrue(f.call(HttpMethods.GET, "/api/version", null).body().contains("sutazai"));
    assertTrue(f.call(HttpMethods.GET, "/", null).body().startsWith("Ollama is running"));
    assertEquals(200, f.call(HttpMethods.HEAD, "/", null).status());
    JsonNode workers = json(f.call(HttpMethods.GET, "/sutazai/workers", null).body());
    assertEquals(2, workers.get("workers").size());
  }

  @Test
  void bearerTokensAreCheckedWhenConfigured() throws Exception {
    FakeOllama w = fake("w", Set.of(M));
    Map<String, Object> s = RouterFixture.fastSettings();
    s.put("sutazai.inference.auth.tokens", List.of("s3cret"));
    f.start(s, List.of(w.config(2)), AgentGateway.ADMIT_ALL);
    f.awaitModels("w", M);
    assertEquals(401, f.post("/api/generate", GEN).status());
    assertEquals(401, f.post("/api/generate", GEN, "Authorization", "Bearer wrong").status());
    assertEquals(200, f.post("/api/generate", GEN, "Authorization", "Bearer s3cret").status());
  }

  @Test
  void higherPriorityAgentsAreServedFirstAndMetricsCountTokens() throws Exception {
    FakeOllama w = fake("w", Set.of(M));
    w.mode = FakeOllama.Mode.HOLD;
    AgentGateway gateway = agent -> CompletableFuture.completedFuture(
        AgentAdmission.admit(agent.equals("vip") ? 10 : 0));
    f.start(RouterFixture.fastSettings(), List.of(w.config(1)), gateway);
    f.awaitModels("w", M);
    List<CompletableFuture<RouterFixture.Resp>> order = new ArrayList<>();
    for (String agent : List.of("first", "low", "vip")) {
      order.add(f.postAsync("/api/generate", "{\"model\":\"llama3.2\",\"prompt\":\"" + agent + "\"}",
          "X-Sutazai-Agent", agent));
      int expectedQueued = order.size() - 1;
      await().until(() -> w.holding.get() == 1 && queueDepth() == expectedQueued);
    }
    w.mode = FakeOllama.Mode.NORMAL;
    w.held.complete(Done.getInstance());
    for (var p : order) {
      assertEquals(200, p.get(10, TimeUnit.SECONDS).status());
    }
    List<String> prompts = w.bodies.stream().map(b -> b.get("prompt").asText()).toList();
    assertEquals(List.of("first", "vip", "low"), prompts);
    var metrics = f.handle.metrics().toCompletableFuture().get(5, TimeUnit.SECONDS);
    var cell = metrics.perWorkerModel().get(0);
    assertEquals(3, cell.requests());
    assertEquals(40.0, cell.tokensPerSecond(), 0.01);
  }

  @Test
  void oneAgentCannotTakeMoreThanItsCapWhileOthersGetThrough() throws Exception {
    FakeOllama w = fake("w", Set.of(M));
    w.mode = FakeOllama.Mode.HOLD;
    Map<String, Object> s = RouterFixture.fastSettings();
    s.put("sutazai.inference.per-agent-max-in-flight", 1);
    f.start(s, List.of(w.config(4)), AgentGateway.ADMIT_ALL);
    f.awaitModels("w", M);
    var greedy1 = f.postAsync("/api/generate", GEN, "X-Sutazai-Agent", "greedy");
    await().until(() -> w.holding.get() == 1);
    var greedy2 = f.postAsync("/api/generate", GEN, "X-Sutazai-Agent", "greedy");
    await().until(() -> queueDepth() == 1);
    var polite = f.postAsync("/api/generate", GEN, "X-Sutazai-Agent", "polite");
    await().until(() -> w.holding.get() == 2);
    assertEquals(1, queueDepth(), "greedy's second request waits although slots are free");
    w.held.complete(Done.getInstance());
    for (var p : List.of(greedy1, greedy2, polite)) {
      assertEquals(200, p.get(10, TimeUnit.SECONDS).status());
    }
  }

  @Test
  void aQueuedRequestPastItsDeadlineGets503() throws Exception {
    FakeOllama w = fake("w", Set.of(M));
    w.mode = FakeOllama.Mode.HOLD;
    f.start(List.of(w.config(1)));
    f.awaitModels("w", M);
    var first = f.postAsync("/api/generate", GEN);
    await().until(() -> w.holding.get() == 1);
    var late = f.post("/api/generate", GEN, "X-Sutazai-Deadline-Ms", "200");
    assertEquals(503, late.status());
    assertTrue(json(late.body()).get("error").asText().contains("X-Sutazai-Deadline-Ms"), late.body());
    assertTrue(late.header("Retry-After").isPresent());
    w.held.complete(Done.getInstance());
    assertEquals(200, first.get(10, TimeUnit.SECONDS).status());
    assertEquals(1, w.inferenceRequests.get(), "the expired request never reached the worker");
  }

  @Test
  void theAgentGatewayCanRefuseOrFailAnAgent() throws Exception {
    FakeOllama w = fake("w", Set.of(M));
    AgentGateway gateway = agent -> switch (agent) {
      case "banned" -> CompletableFuture.completedFuture(new AgentAdmission(false, 0, "over its memory quota"));
      case "broken" -> CompletableFuture.failedFuture(new IllegalStateException("pool unreachable"));
      default -> CompletableFuture.completedFuture(AgentAdmission.admit(1));
    };
    f.start(RouterFixture.fastSettings(), List.of(w.config(2)), gateway);
    f.awaitModels("w", M);
    var refused = f.post("/api/generate", GEN, "X-Sutazai-Agent", "banned");
    assertEquals(403, refused.status());
    assertTrue(json(refused.body()).get("error").asText().contains("over its memory quota"));
    var failed = f.post("/api/generate", GEN, "X-Sutazai-Agent", "broken");
    assertEquals(503, failed.status());
    assertTrue(failed.header("Retry-After").isPresent());
    assertEquals(200, f.post("/api/generate", GEN, "X-Sutazai-Agent", "fine").status());
    assertEquals(1, w.inferenceRequests.get());
  }
}
