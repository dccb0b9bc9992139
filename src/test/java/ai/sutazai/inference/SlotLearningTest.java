package ai.sutazai.inference;

import static ai.sutazai.inference.RouterFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.Done;
import akka.http.javadsl.model.HttpMethods;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slots learned from a worker's 503: each lowers the router's slots for that model by one (never below one),
 * one comes back per {@code slot-recovery-interval}, up to the configured {@code num-parallel} and no
 * further; and the router hands out exactly that many at once (worker-queue-per-model = 0, the default, so
 * nothing waits inside the worker).
 */
class SlotLearningTest {
  private static final String M = "llama3.2:latest";
  private static final String GEN = "{\"model\":\"llama3.2\",\"prompt\":\"hi\"}";
  private final RouterFixture f = new RouterFixture();

  @AfterEach
  void tearDown() throws Exception {
    f.close();
  }

  private int slots(String worker) throws Exception {
    RouterReports.Worker w = f.worker(worker);
    return w.slots().getOrDefault(M, w.numParallel());
  }

  private int queueDepth() throws Exception {
    int depth = 0;
    for (JsonNode m : UpstreamHttp.JSON.readTree(f.call(HttpMethods.GET, "/sutazai/queue", null).body()).get("models")) {
      depth += m.get("depth").asInt();
    }
    return depth;
  }

  @Test
  void a503LowersTheRoutersSlotsWhichComeBackToTheConfiguredCountAfterTheRecoveryInterval() throws Exception {
    FakeOllama w = f.fake("w", Set.of(M), Set.of(M));
    Map<String, Object> settings = RouterFixture.fastSettings();
    // The fixture's hour would keep the slots down for the whole test; 2 s lets them come back within it.
    settings.put("sutazai.inference.slot-recovery-interval", "2s");
    settings.put("sutazai.inference.max-retries", 0);
    f.start(settings, List.of(w.config(3)), AgentGateway.ADMIT_ALL);
    f.awaitModels("w", M);
    await().until(() -> f.worker("w").loaded().contains(M));
    assertEquals(3, slots("w"));

    // The worker answers 503 (its queue is full): each answer lowers the slots by one, down to one.
    w.mode = FakeOllama.Mode.STATUS_503;
    assertEquals(503, f.post("/api/generate", GEN).status());
    await().until(() -> slots("w") == 2);
    assertEquals(503, f.post("/api/generate", GEN).status());
    assertEquals(503, f.post("/api/generate", GEN).status());
    await().until(() -> slots("w") == 1);

    // Held requests: the router sends only as many as the lowered slots, the rest wait in its queue; as the
    // slots come back (one per interval, no 503 meanwhile) it sends more, up to the configured 3 and no more.
    w.mode = FakeOllama.Mode.HOLD;
    List<CompletableFuture<RouterFixture.Resp>> sent = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      sent.add(f.postAsync("/api/generate", GEN));
    }
    await().until(() -> queueDepth() + w.holding.get() == 4);
    assertEquals(1, w.holding.get(), "the worker got more requests than its lowered slots");
    await().until(() -> w.holding.get() == 3);
    await().until(() -> slots("w") == 3 && f.worker("w").slots().isEmpty());
    assertEquals(1, queueDepth(), "the router sent more requests than the configured slots");
    assertEquals(3, w.holding.get());

    w.held.complete(Done.getInstance());
    for (CompletableFuture<RouterFixture.Resp> r : sent) {
      assertEquals(200, r.get(30, TimeUnit.SECONDS).status());
    }
  }

  @Test
  void a503ForARequestBeyondTheSlotsDoesNotHoldTheWorkerBelowTheSlotsItServes() throws Exception {
    FakeOllama w = f.fake("w", Set.of(M), Set.of(M));
    Map<String, Object> settings = RouterFixture.fastSettings();
    settings.put("sutazai.inference.max-retries", 0);
    // Two requests may wait inside the worker beyond its 3 slots: those are the ones answered 503 below.
    settings.put("sutazai.inference.worker-queue-per-model", 2);
    f.start(settings, List.of(w.config(3)), AgentGateway.ADMIT_ALL);
    f.awaitModels("w", M);
    await().until(() -> f.worker("w").loaded().contains(M));

    // The worker serves 3 at once; the 4th and 5th, sent into its own queue, find that queue full (503).
    w.mode = FakeOllama.Mode.HOLD;
    List<CompletableFuture<RouterFixture.Resp>> sent = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sent.add(f.postAsync("/api/generate", GEN));
    }
    await().until(() -> w.holding.get() == 3);
    w.rejectNext.set(2);
    assertEquals(503, f.post("/api/generate", GEN).status());
    assertEquals(503, f.post("/api/generate", GEN).status());
    // Those 503s say the worker's queue was full, not that it has fewer slots: it keeps all 3 ...
    await().during(java.time.Duration.ofSeconds(1)).atMost(java.time.Duration.ofSeconds(5)).until(() -> slots("w") == 3);
    w.held.complete(Done.getInstance());
    for (CompletableFuture<RouterFixture.Resp> r : sent) {
      assertEquals(200, r.get(30, TimeUnit.SECONDS).status());
    }
    // ... while a 503 answered within the slots still lowers them by one.
    w.mode = FakeOllama.Mode.NORMAL;
    w.rejectNext.set(1);
    assertEquals(503, f.post("/api/generate", GEN).status());
    await().until(() -> slots("w") == 2);
  }
}
