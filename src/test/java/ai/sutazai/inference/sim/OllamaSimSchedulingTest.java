package ai.sutazai.inference.sim;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Slots, the bounded queue, load time, eviction, keep_alive and disconnects, observed over HTTP. */
class OllamaSimSchedulingTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private OllamaSimulator.Running sim;
  private SimClient client;

  private void start(SimConfig config) {
    sim = OllamaSimulator.start(config);
    client = new SimClient(sim.url());
  }

  @AfterEach
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  private static SimConfig fast(String... models) {
    return SimConfig.defaults().withModels(models).withLoadTime(Duration.ofMillis(50)).withTokensPerSecond(0)
        .withResponseTokens(8);
  }

  private static String generate(String model, String extra) {
    return "{\"model\":\"" + model + "\",\"prompt\":\"hello\"" + extra + "}";
  }

  private List<String> loadedNames() {
    List<String> names = new ArrayList<>();
    client.get("/api/ps").json().path("models").forEach(m -> names.add(m.path("name").asText()));
    return names;
  }

  @Test
  void requestBeyondSlotsAndQueueGets503WithOllamasExactBody() {
    start(fast("llama3.2").withNumParallel(1).withMaxQueue(1).withTokensPerSecond(20).withResponseTokens(400));
    CompletableFuture<SimClient.Reply> first = client.postAsync("/api/generate", generate("llama3.2", ""));
    await().atMost(WAIT).until(() -> sim.activeRequests() == 1);
    CompletableFuture<SimClient.Reply> second = client.postAsync("/api/generate", generate("llama3.2", ""));
    await().atMost(WAIT).until(() -> sim.pendingRequests() == 1);

    SimClient.Reply third = client.post("/api/generate", generate("llama3.2", ""));

    assertEquals(503, third.status());
    assertEquals("{\"error\":\"server busy, please try again.  maximum pending requests exceeded\"}", third.body());
    assertEquals("true", third.raw().headers().firstValue("X-Sutazai-Simulator").orElse(""));
    assertTrue(!first.isDone() && !second.isDone(), "the first two are still being served or queued");
  }

  @Test
  void loadTimeShowsInLoadDurationAndConcurrentRequestsShareOneLoad() {
    start(fast("llama3.2").withLoadTime(Duration.ofMillis(300)));
    List<CompletableFuture<SimClient.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      replies.add(client.postAsync("/api/generate", generate("llama3.2", ",\"stream\":false")));
    }
    long longestLoadNanos = 0;
    for (CompletableFuture<SimClient.Reply> r : replies) {
      JsonNode answer = r.join().json();
      assertTrue(answer.path("load_duration").asLong() > 0, answer.toString());
      assertTrue(answer.path("total_duration").asLong() >= answer.path("load_duration").asLong());
      longestLoadNanos = Math.max(longestLoadNanos, answer.path("load_duration").asLong());
    }
    // The request that started the load waited the whole load time; later arrivals wait for the rest of it.
    assertTrue(longestLoadNanos >= 300_000_000L, "load_duration in ns: " + longestLoadNanos);
    assertEquals(1, sim.loadCount(), "one load shared by the concurrent requests");

    JsonNode again = client.post("/api/generate", generate("llama3.2", ",\"stream\":false")).json();
    assertEquals(1, sim.loadCount(), "a loaded model is not loaded again");
    assertEquals(8, again.path("eval_count").asInt());
  }

  @Test
  void loadingBeyondMaxLoadedModelsEvictsTheLeastRecentlyUsed() {
    start(fast("a", "b", "c").withMaxLoadedModels(2));
    for (String m : List.of("a", "b", "c")) {
      assertEquals("load", client.post("/api/generate", "{\"model\":\"" + m + "\"}").json().path("done_reason").asText());
    }
    assertEquals(List.of("b:latest", "c:latest"), loadedNames().stream().sorted().toList());
    client.post("/api/generate", generate("b", ",\"stream\":false"));
    client.post("/api/generate", generate("a", ",\"stream\":false"));
    assertEquals(List.of("a:latest", "b:latest"), loadedNames().stream().sorted().toList(), "c was least recent");
    assertEquals(4, sim.loadCount());
  }

  @Test
  void keepAliveZeroUnloadsAndUnloadRequestFreesTheModel() {
    start(fast("llama3.2"));
    client.post("/api/generate", "{\"model\":\"llama3.2\"}");
    assertEquals(List.of("llama3.2:latest"), loadedNames());

    JsonNode unload = client.post("/api/generate", "{\"model\":\"llama3.2\",\"keep_alive\":0}").json();
    assertEquals("unload", unload.path("done_reason").asText());
    await().atMost(WAIT).until(() -> loadedNames().isEmpty());

    SimClient.Reply r = client.post("/api/chat",
        "{\"model\":\"llama3.2\",\"keep_alive\":\"0s\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertEquals(200, r.status());
    await().atMost(WAIT).until(() -> loadedNames().isEmpty());
  }

  @Test
  void keepAliveDurationsSetExpiryAndExpire() {
    start(fast("llama3.2", "qwen3"));
    client.post("/api/generate", "{\"model\":\"llama3.2\",\"keep_alive\":3600}");
    client.post("/api/generate", "{\"model\":\"qwen3\",\"keep_alive\":-1}");
    JsonNode ps = client.get("/api/ps").json().path("models");
    assertEquals("qwen3:latest", ps.get(0).path("name").asText(), "longest expiry first");
    assertTrue(OffsetDateTime.parse(ps.get(0).path("expires_at").asText()).getYear() > 2200, "forever");
    OffsetDateTime hour = OffsetDateTime.parse(ps.get(1).path("expires_at").asText());
    assertTrue(hour.isAfter(OffsetDateTime.now().plusMinutes(55)) && hour.isBefore(OffsetDateTime.now().plusMinutes(65)));
    assertTrue(ps.get(1).path("size_vram").asLong() > 0 && ps.get(1).path("context_length").asInt() > 0);

    client.post("/api/generate", "{\"model\":\"llama3.2\",\"keep_alive\":\"200ms\"}");
    await().atMost(WAIT).until(() -> loadedNames().equals(List.of("qwen3:latest")));
  }

  /** Sends a request on a raw socket (so the test can drop the connection) and returns the open socket. */
  private Socket rawPost(String path, String json) throws Exception {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    Socket socket = new Socket("127.0.0.1", sim.port());
    OutputStream out = socket.getOutputStream();
    out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
    return socket;
  }

  /**
   * Before any byte of the answer is written, Akka HTTP only notices a connection reset: a plain FIN is a
   * half-close after which the answer may still be sent (then it notices on writing, as in the streaming
   * test below). So this test resets its connections.
   */
  @Test
  void clientResettingWhileQueuedOrWaitingForAWholeAnswerFreesItsPlace() throws Exception {
    start(fast("llama3.2").withNumParallel(1).withMaxQueue(1).withTokensPerSecond(20).withResponseTokens(400));
    client.post("/api/generate", "{\"model\":\"llama3.2\"}");
    try (Socket running = rawPost("/api/generate", generate("llama3.2", ",\"stream\":false"))) {
      await().atMost(WAIT).until(() -> sim.activeRequests() == 1);
      try (Socket queued = rawPost("/api/chat",
          "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
        await().atMost(WAIT).until(() -> sim.pendingRequests() == 1);
        queued.setSoLinger(true, 0);
      }
      await().atMost(WAIT).until(() -> sim.pendingRequests() == 0);
      assertEquals(1, sim.activeRequests());
      running.setSoLinger(true, 0);
    }
    await().atMost(WAIT).until(() -> sim.activeRequests() == 0);
  }

  @Test
  void clientDisconnectMidStreamFreesTheSlot() throws Exception {
    start(fast("llama3.2").withNumParallel(1).withTokensPerSecond(20).withResponseTokens(400));
    client.post("/api/generate", "{\"model\":\"llama3.2\"}");
    byte[] body = generate("llama3.2", "").getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", sim.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/generate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder seen = new StringBuilder();
      byte[] buf = new byte[4096];
      while (!seen.toString().contains("\"done\":false")) {
        int n = in.read(buf);
        assertTrue(n > 0, "stream ended early: " + seen);
        seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
      assertEquals(1, sim.activeRequests(), "the stream holds the only slot");
    }
    await().atMost(WAIT).until(() -> sim.activeRequests() == 0);
    SimClient.Reply next = client.post("/api/generate",
        generate("llama3.2", ",\"stream\":false,\"options\":{\"num_predict\":2}"));
    assertEquals(200, next.status());
    assertEquals("length", next.json().path("done_reason").asText());
  }
}
