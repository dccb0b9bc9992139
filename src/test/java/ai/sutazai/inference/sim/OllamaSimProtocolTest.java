package ai.sutazai.inference.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Errors a client can cause, model management, the OpenAI-compatible endpoints and the simulator's labels. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OllamaSimProtocolTest {
  private OllamaSimulator.Running sim;
  private SimClient client;

  @BeforeAll
  void start() {
    sim = OllamaSimulator.start(SimConfig.defaults().withModels("llama3.2", "all-minilm")
        .withLoadTime(Duration.ofMillis(20)).withTokensPerSecond(0).withResponseTokens(6).withMaxBodyBytes(4096));
    client = new SimClient(sim.url());
  }

  @AfterAll
  void stop() {
    sim.close();
  }

  private void assertError(SimClient.Reply r, int status, String message) {
    assertEquals(status, r.status(), r.body());
    assertTrue(r.contentType().startsWith("application/json"), r.contentType());
    assertEquals("{\"error\":" + SimClient.JSON.valueToTree(message) + "}", r.body());
    assertEquals("true", r.raw().headers().firstValue("X-Sutazai-Simulator").orElse(""));
  }

  @Test
  void badInputGetsOllamasErrorShapesAndNever5xx() {
    assertError(client.post("/api/generate", ""), 400, "missing request body");
    assertError(client.post("/api/chat", "  "), 400, "missing request body");
    assertError(client.post("/api/chat", "{\"model\":"), 400, "unexpected EOF");
    assertError(client.post("/api/chat", "{x}"), 400, "invalid character 'x' looking for beginning of value");
    assertError(client.post("/api/generate", "[1]"), 400,
        "json: cannot unmarshal array into Go value of type api.GenerateRequest");
    assertError(client.post("/api/generate", "{\"model\":5}"), 400,
        "json: cannot unmarshal number into Go struct field GenerateRequest.model of type string");
    assertError(client.post("/api/chat", "{\"messages\":[]}"), 400, "model is required");
    assertError(client.post("/api/generate", "{\"prompt\":\"hi\"}"), 404, "model '' not found");
    assertError(client.post("/api/generate", "{\"model\":\"nope\",\"prompt\":\"hi\"}"), 404, "model 'nope' not found");
    assertError(client.post("/api/chat", "{\"model\":\"nope\",\"messages\":[]}"), 404, "model 'nope' not found");
    assertError(client.post("/api/embed", "{\"model\":\"nope\",\"input\":\"x\"}"), 404,
        "model \"nope\" not found, try pulling it first");
    assertError(client.post("/api/embed", "{\"model\":\"all-minilm\",\"input\":[1]}"), 400, "invalid input type");
    assertError(client.post("/api/generate", "{\"model\":\"llama3.2\",\"keep_alive\":\"300\"}"), 400,
        "time: missing unit in duration \"300\"");
    assertError(client.post("/api/generate", "{\"model\":\"llama3.2\",\"keep_alive\":true}"), 400,
        "Unsupported type: 'bool'");
    assertError(client.post("/api/chat", "{\"model\":\"llama3.2\",\"think\":\"extreme\",\"messages\":[]}"), 400,
        "invalid think value: \"extreme\" (must be \"high\", \"medium\", \"low\", \"max\", true, or false)");
    assertError(client.post("/api/show", "{}"), 400, "model is required");
    assertError(client.post("/api/generate", "{\"model\":\"llama3.2\",\"prompt\":\"" + "x".repeat(5000) + "\"}"),
        413, "request body too large: limit is 4096 bytes");
  }

  @Test
  void unknownPathAndWrongMethodAnswerLikeGin() {
    SimClient.Reply notFound = client.get("/api/nothing");
    assertEquals(404, notFound.status());
    assertEquals("404 page not found", notFound.body());
    SimClient.Reply wrongMethod = client.get("/api/generate");
    assertEquals(405, wrongMethod.status());
    assertEquals("405 method not allowed", wrongMethod.body());
  }

  @Test
  void rootVersionAndHeaderSayItIsASimulator() {
    SimClient.Reply root = client.get("/");
    assertEquals("Ollama is running", root.body());
    assertEquals(200, client.send("HEAD", "/", null).status());
    JsonNode version = client.get("/api/version").json();
    assertEquals("0.6.0-sutazai-sim", version.path("version").asText());
    assertEquals("true", root.raw().headers().firstValue("X-Sutazai-Simulator").orElse(""));
    assertTrue(client.post("/api/generate", "{\"model\":\"llama3.2\",\"prompt\":\"hi\",\"stream\":false}")
        .json().path("response").asText().startsWith("[simulated]"), "answers say they are simulated");
  }

  @Test
  void failRateOneEndsStreamsWithAnErrorLineAfterSomeTokens() {
    try (OllamaSimulator.Running failing = OllamaSimulator.start(SimConfig.defaults().withModels("llama3.2")
        .withLoadTime(Duration.ofMillis(20)).withTokensPerSecond(0).withResponseTokens(10).withFailRate(1.0))) {
      SimClient c = new SimClient(failing.url());
      for (String req : List.of("{\"model\":\"llama3.2\",\"prompt\":\"hi\"}",
          "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
        SimClient.Reply r = c.post(req.contains("messages") ? "/api/chat" : "/api/generate", req);
        assertEquals(200, r.status(), "the error comes after streaming began");
        List<JsonNode> lines = r.lines();
        JsonNode last = lines.get(lines.size() - 1);
        assertEquals(List.of("error"), iterableToList(last.fieldNames()), last.toString());
        assertTrue(lines.size() >= 2, "some tokens before the error");
        assertTrue(lines.stream().noneMatch(l -> l.path("done").asBoolean()), "no done:true line");
      }
      SimClient.Reply whole = c.post("/api/generate", "{\"model\":\"llama3.2\",\"prompt\":\"hi\",\"stream\":false}");
      assertEquals(500, whole.status());
      assertTrue(whole.json().path("error").asText().contains("error"));
      String sse = c.post("/v1/chat/completions",
          "{\"model\":\"llama3.2\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").body();
      assertFalse(sse.contains("[DONE]"), sse);
      assertTrue(sse.strip().endsWith("}}"), "ends with an error event: " + sse);
      assertTrue(c.get("/api/ps").json().path("models").get(0).path("name").isTextual());
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
          .until(() -> failing.activeRequests() == 0); // failed streams give their slot back
    }
  }

  @Test
  void pullCopyDeleteUpdateTheInstalledModels() {
    SimClient.Reply pull = client.post("/api/pull", "{\"model\":\"qwen3:8b\"}");
    assertEquals("application/x-ndjson", pull.contentType());
    List<JsonNode> status = pull.lines();
    assertEquals("pulling manifest", status.get(0).path("status").asText());
    assertEquals("success", status.get(status.size() - 1).path("status").asText());
    assertTrue(status.stream().anyMatch(s -> s.has("digest") && s.path("total").asLong() > 0));
    assertTrue(tags().contains("qwen3:8b"));
    assertEquals("{\"status\":\"success\"}", client.post("/api/pull", "{\"model\":\"phi3\",\"stream\":false}").body());

    SimClient.Reply copy = client.post("/api/copy", "{\"source\":\"qwen3:8b\",\"destination\":\"mine\"}");
    assertEquals(200, copy.status());
    assertEquals("", copy.body());
    assertTrue(tags().contains("mine:latest"));
    assertError(client.post("/api/copy", "{\"source\":\"ghost\",\"destination\":\"x\"}"), 404, "model \"ghost\" not found");

    SimClient.Reply delete = client.send("DELETE", "/api/delete", "{\"model\":\"mine\"}");
    assertEquals(200, delete.status());
    assertEquals("", delete.body());
    assertFalse(tags().contains("mine:latest"));
    assertError(client.send("DELETE", "/api/delete", "{\"model\":\"mine\"}"), 404, "model 'mine' not found");

    JsonNode show = client.post("/api/show", "{\"model\":\"qwen3:8b\"}").json();
    assertEquals("8B", show.path("details").path("parameter_size").asText());
    assertTrue(show.path("capabilities").toString().contains("completion"));
    assertError(client.post("/api/show", "{\"model\":\"ghost\"}"), 404, "model 'ghost' not found");
  }

  @Test
  void openAiCompatibleEndpoints() {
    String chat = "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    JsonNode whole = client.post("/v1/chat/completions", chat).json();
    assertEquals("chat.completion", whole.path("object").asText());
    assertTrue(whole.path("choices").get(0).path("message").path("content").asText().startsWith("[simulated]"));
    JsonNode usage = whole.path("usage");
    assertEquals(usage.path("prompt_tokens").asInt() + usage.path("completion_tokens").asInt(),
        usage.path("total_tokens").asInt());

    SimClient.Reply sse = client.post("/v1/chat/completions", chat.replace("{\"model\"",
        "{\"stream\":true,\"stream_options\":{\"include_usage\":true},\"model\""));
    assertTrue(sse.contentType().startsWith("text/event-stream"), sse.contentType());
    String[] events = sse.body().split("\n\n");
    assertEquals("data: [DONE]", events[events.length - 1]);
    assertTrue(events[events.length - 3].contains("\"finish_reason\":\"stop\""), events[events.length - 3]);
    assertTrue(events[events.length - 2].contains("\"usage\""));

    String tools = "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"weather in Paris\"}],"
        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\","
        + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}]}";
    JsonNode choice = client.post("/v1/chat/completions", tools).json().path("choices").get(0);
    assertEquals("tool_calls", choice.path("finish_reason").asText());
    assertEquals("{\"city\":\"Paris\"}",
        choice.path("message").path("tool_calls").get(0).path("function").path("arguments").asText());

    assertEquals("text_completion", client.post("/v1/completions",
        "{\"model\":\"llama3.2\",\"prompt\":\"hi\"}").json().path("object").asText());
    JsonNode emb = client.post("/v1/embeddings", "{\"model\":\"all-minilm\",\"input\":[\"a\",\"b\"]}").json();
    assertEquals(2, emb.path("data").size());
    assertTrue(client.get("/v1/models").body().contains("\"id\":\"llama3.2:latest\""));
    SimClient.Reply missing = client.post("/v1/chat/completions", chat.replace("llama3.2", "ghost"));
    assertEquals(404, missing.status());
    assertEquals("not_found_error", missing.json().path("error").path("type").asText());
  }

  private List<String> tags() {
    List<String> names = new java.util.ArrayList<>();
    client.get("/api/tags").json().path("models").forEach(m -> names.add(m.path("name").asText()));
    return names;
  }

  private static List<String> iterableToList(java.util.Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
