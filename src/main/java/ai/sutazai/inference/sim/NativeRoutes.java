package ai.sutazai.inference.sim;

import ai.sutazai.inference.ollama.KeepAlive;
import ai.sutazai.inference.ollama.Ndjson;
import ai.sutazai.inference.ollama.OllamaErrors;
import akka.http.javadsl.model.HttpResponse;
import akka.util.ByteString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** {@code POST /api/generate} and {@code POST /api/chat}, streamed (NDJSON) or not. */
final class NativeRoutes {
  private final SimState sim;

  NativeRoutes(SimState sim) {
    this.sim = sim;
  }

  private static final Map<String, String> GENERATE_FIELDS = Map.ofEntries(
      Map.entry("model", "string"), Map.entry("prompt", "string"), Map.entry("suffix", "string"),
      Map.entry("system", "string"), Map.entry("template", "string"), Map.entry("context", "[]int"),
      Map.entry("stream", "bool"), Map.entry("raw", "bool"), Map.entry("images", "[]api.ImageData"),
      Map.entry("options", "map[string]interface {}"), Map.entry("truncate", "bool"),
      Map.entry("shift", "bool"), Map.entry("logprobs", "bool"), Map.entry("top_logprobs", "int"));

  private static final Map<String, String> CHAT_FIELDS = Map.ofEntries(
      Map.entry("model", "string"), Map.entry("messages", "[]api.Message"), Map.entry("tools", "[]api.Tool"),
      Map.entry("stream", "bool"), Map.entry("options", "map[string]interface {}"),
      Map.entry("truncate", "bool"), Map.entry("shift", "bool"), Map.entry("logprobs", "bool"),
      Map.entry("top_logprobs", "int"));

  CompletionStage<HttpResponse> generate(ByteString bytes, SimCall call) {
    ObjectNode body = RequestJson.parse(bytes, "api.GenerateRequest");
    RequestJson.checkTypes(body, "api.GenerateRequest", GENERATE_FIELDS);
    String model = RequestJson.model(body);
    KeepAlive keepAlive = RequestJson.keepAlive(body, sim.config().defaultKeepAlive());
    boolean stream = RequestJson.stream(body);
    boolean think = RequestJson.think(body);
    JsonNode format = RequestJson.format(body);
    int numPredict = RequestJson.numPredict(body);
    if (body.path("raw").asBoolean(false) && (body.hasNonNull("template") || body.hasNonNull("system")
        || body.hasNonNull("context"))) {
      throw new RequestJson.BadRequest("raw mode does not support template, system, or context");
    }
    if (model.isEmpty() || sim.catalog().find(model).isEmpty()) {
      return SimResponses.done(SimResponses.error(404, OllamaErrors.modelNotFound(model)));
    }
    String prompt = body.path("prompt").asText("");
    if (prompt.isEmpty() && body.path("suffix").asText("").isEmpty()) {
      return loadOrUnload(model, keepAlive, call, NativeRender.generateLoad(model, "load"),
          NativeRender.generateLoad(model, "unload"));
    }
    String seed = body.path("system").asText("") + prompt;
    List<String> content = format != null ? SimText.pieces(SimText.jsonAnswer(format, prompt))
        : SimText.words(seed, sim.config().responseTokens());
    Generation.Plan plan = Generation.plan(think ? SimText.thinking(seed) : List.of(), content, null,
        SimText.promptTokens(seed), numPredict, sim.config().failRate());
    return sim.withLease(model, keepAlive, call, OllamaErrors.modelNotFound(model), lease -> {
      if (stream) {
        var events = Generation.run(plan, sim.config(), lease, call.startNanos(), keepAlive, sim.timers());
        return SimResponses.done(SimResponses.ndjson(events.map(e -> Ndjson.line(switch (e.kind()) {
          case DONE -> NativeRender.generateFinal(model, "", "", e.metrics(), seed);
          case ERROR -> NativeRender.errorLine(e.text());
          default -> NativeRender.generateChunk(model, e);
        }))));
      }
      return sim.generateAll(plan, lease, call, keepAlive).thenApply(all -> {
        Generation.Event last = all.get(all.size() - 1);
        if (last.kind() == Generation.Kind.ERROR) {
          return SimResponses.error(500, last.text());
        }
        return SimResponses.json(NativeRender.generateFinal(model,
            NativeRender.join(all, Generation.Kind.CONTENT), NativeRender.join(all, Generation.Kind.THINKING),
            last.metrics(), seed));
      });
    });
  }

  CompletionStage<HttpResponse> chat(ByteString bytes, SimCall call) {
    ObjectNode body = RequestJson.parse(bytes, "api.ChatRequest");
    RequestJson.checkTypes(body, "api.ChatRequest", CHAT_FIELDS);
    String model = RequestJson.model(body);
    if (model.isEmpty()) {
      throw new RequestJson.BadRequest(OllamaErrors.MODEL_REQUIRED);
    }
    KeepAlive keepAlive = RequestJson.keepAlive(body, sim.config().defaultKeepAlive());
    boolean stream = RequestJson.stream(body);
    boolean think = RequestJson.think(body);
    JsonNode format = RequestJson.format(body);
    int numPredict = RequestJson.numPredict(body);
    JsonNode messages = body.path("messages");
    for (JsonNode m : messages) {
      if (!m.isObject()) {
        throw new RequestJson.BadRequest("json: cannot unmarshal " + RequestJson.jsonKind(m)
            + " into Go struct field ChatRequest.messages of type api.Message");
      }
      RequestJson.checkTypes((ObjectNode) m, "api.Message", Map.of("role", "string", "content", "string",
          "thinking", "string", "images", "[]api.ImageData", "tool_calls", "[]api.ToolCall",
          "tool_name", "string"));
    }
    if (sim.catalog().find(model).isEmpty()) {
      return SimResponses.done(SimResponses.error(404, OllamaErrors.modelNotFound(model)));
    }
    if (messages.isEmpty()) {
      return loadOrUnload(model, keepAlive, call, NativeRender.chatLoad(model, "load"),
          NativeRender.chatLoad(model, "unload"));
    }
    Generation.Plan plan = chatPlan(body, format, think, numPredict);
    return sim.withLease(model, keepAlive, call, OllamaErrors.modelNotFound(model), lease -> {
      if (stream) {
        var events = Generation.run(plan, sim.config(), lease, call.startNanos(), keepAlive, sim.timers());
        return SimResponses.done(SimResponses.ndjson(events.map(e -> Ndjson.line(switch (e.kind()) {
          case DONE -> NativeRender.chatFinal(model, "", "", null, e.metrics());
          case ERROR -> NativeRender.errorLine(e.text());
          default -> NativeRender.chatChunk(model, e);
        }))));
      }
      return sim.generateAll(plan, lease, call, keepAlive).thenApply(all -> {
        Generation.Event last = all.get(all.size() - 1);
        if (last.kind() == Generation.Kind.ERROR) {
          return SimResponses.error(500, last.text());
        }
        return SimResponses.json(NativeRender.chatFinal(model, NativeRender.join(all, Generation.Kind.CONTENT),
            NativeRender.join(all, Generation.Kind.THINKING), plan.toolCalls(), last.metrics()));
      });
    });
  }

  /**
   * The plan for a chat: a tool call when tools are given and the last message is the user's (the model
   * "decides" to call a tool), else text (or JSON for {@code format}) seeded by the last message.
   */
  Generation.Plan chatPlan(ObjectNode body, JsonNode format, boolean think, int numPredict) {
    JsonNode messages = body.path("messages");
    JsonNode last = messages.get(messages.size() - 1);
    String lastContent = last.path("content").asText("");
    StringBuilder all = new StringBuilder();
    messages.forEach(m -> all.append(m.path("content").asText("")).append('\n'));
    JsonNode tools = body.path("tools");
    int promptTokens = SimText.promptTokens(all + (tools.isArray() ? tools.toString() : "")) + 4 * messages.size();
    ArrayNode toolCalls = null;
    List<String> content;
    if (tools.isArray() && !tools.isEmpty() && last.path("role").asText("").equalsIgnoreCase("user")) {
      toolCalls = SimText.JSON.createArrayNode().add(SimText.toolCall(tools, lastContent));
      content = List.of();
    } else if (format != null) {
      content = SimText.pieces(SimText.jsonAnswer(format, lastContent));
    } else {
      content = SimText.words(all.toString(), sim.config().responseTokens());
    }
    return Generation.plan(think ? SimText.thinking(lastContent) : List.of(), content, toolCalls, promptTokens,
        numPredict, sim.config().failRate());
  }

  /**
   * An empty prompt/messages: with keep_alive 0 unload without loading; otherwise load (waiting for the
   * load time if needed) and keep it for keep_alive. Always one JSON object, even when streaming.
   */
  private CompletionStage<HttpResponse> loadOrUnload(String model, KeepAlive keepAlive, SimCall call,
      ObjectNode loadAnswer, ObjectNode unloadAnswer) {
    if (keepAlive.unloadsImmediately()) {
      sim.scheduler().unload(model);
      return SimResponses.done(SimResponses.json(unloadAnswer));
    }
    return sim.withLease(model, keepAlive, call, OllamaErrors.modelNotFound(model), lease -> {
      lease.release(keepAlive);
      return SimResponses.done(SimResponses.json(loadAnswer.put("created_at",
          ai.sutazai.inference.ollama.OllamaTime.utc(java.time.Instant.now()))));
    });
  }
}
