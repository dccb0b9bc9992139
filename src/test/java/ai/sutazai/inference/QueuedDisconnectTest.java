package ai.sutazai.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import akka.http.javadsl.model.HttpMethods;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client that goes away while its request waits in the router's queue: the request leaves the queue at
 * once (not at its deadline, 10 minutes by default) and never reaches a worker.
 */
class QueuedDisconnectTest {
  private static final String M = "llama3.2:latest";
  private static final String GEN = "{\"model\":\"llama3.2\",\"prompt\":\"hi\"}";
  private final RouterFixture f = new RouterFixture();
  private FakeOllama slow;

  @AfterEach
  void tearDown() throws Exception {
    f.close();
  }

  @Test
  void aClientThatClosesOrResetsWhileQueuedLeavesTheQueueAtOnce() throws Exception {
    slow = f.fake("slow", Set.of(M), Set.of(M));
    slow.mode = FakeOllama.Mode.HOLD;
    f.start(List.of(slow.config(1)));
    f.awaitModels("slow", M);
    CompletableFuture<RouterFixture.Resp> first = f.postAsync("/api/generate", GEN);
    RouterFixture.await().until(() -> slow.holding.get() == 1);

    for (boolean reset : new boolean[] {false, true}) {
      try (Socket client = new Socket("127.0.0.1", f.handle.port())) {
        byte[] body = GEN.getBytes(StandardCharsets.UTF_8);
        OutputStream out = client.getOutputStream();
        out.write(("POST /api/generate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        RouterFixture.await().until(() -> queue().get("depth").asInt() == 1);
        if (reset) {
          client.setSoLinger(true, 0);
        }
      }
      // Noticed at once: well before the 10 min deadline or any periodic sweep would take it out.
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> queue().get("depth").asInt() == 0);
    }
    assertEquals(2, queue().get("cancelled").asInt());

    slow.held.complete(akka.Done.getInstance());
    assertEquals(200, first.get(10, TimeUnit.SECONDS).status());
    assertEquals(1, slow.inferenceRequests.get(), "the requests whose clients left never reached the worker");
    assertEquals(200, f.post("/api/generate", GEN).status(), "the queue still serves new requests");
    RouterFixture.await().until(() -> f.worker("slow").inFlight().isEmpty());
  }

  private JsonNode queue() throws Exception {
    var q = f.call(HttpMethods.GET, "/sutazai/queue", null);
    for (JsonNode m : UpstreamHttp.JSON.readTree(q.body()).get("models")) {
      if (m.get("model").asText().equals(M)) {
        return m;
      }
    }
    return UpstreamHttp.JSON.readTree("{\"depth\":0,\"cancelled\":0}");
  }
}
