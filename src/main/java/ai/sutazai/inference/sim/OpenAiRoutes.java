package ai.sutazai.inference.sim;

import ai.sutazai.inference.ollama.KeepAlive;
import ai.sutazai.inference.ollama.ModelNames;
import ai.sutazai.inference.ollama.Ndjson;
import ai.sutazai.inference.ollama.OllamaErrors;
import akka.NotUsed;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpResponse;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/** The OpenAI-compatible endpoints: chat and text completions (SSE when streaming), embeddings, models. */
final class OpenAiRoutes {
  private final SimState sim;
  private final NativeRoutes generation;
  private final EmbedRoutes embed;

  OpenAiRoutes(SimState sim, NativeRoutes generation, EmbedRoutes embed) {
    this.sim = sim;
    this.generation = generation;
    this.embed = embed;
  }

  CompletionStage<HttpResponse> chatCompletions(ByteString bytes, SimCall call) {
    ObjectNode req = RequestJson.parse(bytes, "openai.ChatCompletionRequest");
    String model = req.path("model").asText("");
    JsonNode messages = req.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw new RequestJson.BadRequest("[] is too short - 'messages'");
    }
    if (model.isEmpty()) {
      throw new RequestJson.BadRequest(OllamaErrors.MODEL_REQUIRED);
    }
    ObjectNode chat = SimText.JSON.createObjectNode();
    ArrayNode msgs = chat.putArray("messages");
    for (JsonNode m : messages) {
      msgs.addObject().put("role", m.path("role").asText("user")).put("content", text(m.path("content")));
    }
    if (req.path("tools").isArray()) {
      chat.set("tools", req.get("tools"));
    }
    JsonNode rf = req.path("response_format");
    JsonNode format = rf.path("type").asText("").equals("json_object") ? SimText.JSON.getNodeFactory().textNode("json")
        : rf.path("type").asText("").equals("json_schema") ? rf.path("json_schema").path("schema") : null;
    String effort = req.path("reasoning_effort").asText(req.path("reasoning").path("effort").asText(""));
    boolean think = !effort.isEmpty() && !effort.equals("none");
    Generation.Plan plan = generation.chatPlan(chat, format == null || format.isMissingNode() ? null : format,
        think, req.path("max_tokens").asInt(-1));
    return answer(req, model, plan, call, true);
  }

  CompletionStage<HttpResponse> completions(ByteString bytes, SimCall call) {
    ObjectNode req = RequestJson.parse(bytes, "openai.CompletionRequest");
    String model = req.path("model").asText("");
    if (req.has("prompt") && !req.get("prompt").isTextual()) {
      throw new RequestJson.BadRequest("invalid type for 'prompt' field: only a string is supported");
    }
    if (model.isEmpty()) {
      throw new RequestJson.BadRequest(OllamaErrors.modelNotFound(""));
    }
    String prompt = req.path("prompt").asText("");
    Generation.Plan plan = Generation.plan(List.of(), SimText.words(prompt, sim.config().responseTokens()), null,
        SimText.promptTokens(prompt), req.path("max_tokens").asInt(-1), sim.config().failRate());
    return answer(req, model, plan, call, false);
  }

  CompletionStage<HttpResponse> embeddings(ByteString bytes, SimCall call) {
    ObjectNode req = RequestJson.parse(bytes, "openai.EmbedRequest");
    String model = req.path("model").asText("");
    String encoding = req.path("encoding_format").asText("float");
    if (!encoding.equals("float") && !encoding.equals("base64")) {
      throw new RequestJson.BadRequest("Invalid value for 'encoding_format' = " + encoding
          + ". Supported values: ['float', 'base64'].");
    }
    List<String> inputs = EmbedRoutes.inputs(req.get("input"), "invalid input");
    if (inputs.isEmpty()) {
      throw new RequestJson.BadRequest("invalid input");
    }
    return embed.run(model, inputs, req.path("dimensions").asInt(0), true, sim.config().defaultKeepAlive(),
        call, OllamaErrors.modelNotFoundTryPulling(model), e -> {
          ObjectNode o = SimText.JSON.createObjectNode().put("object", "list");
          ArrayNode data = o.putArray("data");
          for (int i = 0; i < e.vectors().size(); i++) {
            ObjectNode d = data.addObject().put("object", "embedding");
            if (encoding.equals("base64")) {
              d.put("embedding", base64(e.vectors().get(i)));
            } else {
              EmbedRoutes.vector(d.putArray("embedding"), e.vectors().get(i));
            }
            d.put("index", i);
          }
          o.put("model", model);
          o.putObject("usage").put("prompt_tokens", e.promptTokens()).put("total_tokens", e.promptTokens());
          return SimResponses.json(o);
        }).thenApply(this::asOpenAiError);
  }

  HttpResponse models() {
    ObjectNode o = SimText.JSON.createObjectNode().put("object", "list");
    ArrayNode data = o.putArray("data");
    sim.catalog().all().forEach(m -> data.add(modelObject(m)));
    return SimResponses.json(o);
  }

  HttpResponse model(String name) {
    return sim.catalog().find(name).map(m -> SimResponses.json(modelObject(m)))
        .orElseGet(() -> OllamaErrors.openAiResponse(akka.http.javadsl.model.StatusCodes.NOT_FOUND,
            "model \"" + name + "\" not found"));
  }

  private CompletionStage<HttpResponse> answer(ObjectNode req, String model, Generation.Plan plan, SimCall call,
      boolean chat) {
    KeepAlive keepAlive = sim.config().defaultKeepAlive();
    boolean stream = req.path("stream").asBoolean(false);
    boolean usage = req.path("stream_options").path("include_usage").asBoolean(false);
    OpenAiRender render = new OpenAiRender(chat, "" + ThreadLocalRandom.current().nextInt(999), model,
        System.currentTimeMillis() / 1000);
    return sim.withLease(model, keepAlive, call, OllamaErrors.modelNotFound(model), lease -> {
      if (stream) {
        Source<Generation.Event, NotUsed> events =
            Generation.run(plan, sim.config(), lease, call.startNanos(), keepAlive, sim.timers());
        Source<ByteString, NotUsed> sse = events.mapConcat(e -> switch (e.kind()) {
          case DONE -> {
            List<ByteString> tail = new java.util.ArrayList<>();
            tail.add(Ndjson.sseEvent(render.finishChunk(finish(plan))));
            if (usage) {
              tail.add(Ndjson.sseEvent(render.usageChunk(e.metrics())));
            }
            tail.add(Ndjson.SSE_DONE);
            yield tail;
          }
          case ERROR -> List.of(Ndjson.sseEvent(SimText.JSON.readTree(OllamaErrors.openAiBody(500, e.text()))));
          default -> List.of(Ndjson.sseEvent(render.chunk(e)));
        });
        return SimResponses.done(SimResponses.sse(sse));
      }
      return sim.generateAll(plan, lease, call, keepAlive).thenApply(all -> {
        Generation.Event last = all.get(all.size() - 1);
        if (last.kind() == Generation.Kind.ERROR) {
          return OllamaErrors.openAiResponse(akka.http.javadsl.model.StatusCodes.INTERNAL_SERVER_ERROR,
              last.text());
        }
        return SimResponses.json(render.whole(NativeRender.join(all, Generation.Kind.CONTENT),
            NativeRender.join(all, Generation.Kind.THINKING), plan.toolCalls(), finish(plan), last.metrics()));
      });
    }).thenApply(this::asOpenAiError);
  }

  private static String finish(Generation.Plan plan) {
    return plan.toolCalls() != null ? "tool_calls" : plan.doneReason();
  }

  /** Native error responses ({@code {"error":"..."}}) re-shaped as OpenAI errors, same status. */
  private HttpResponse asOpenAiError(HttpResponse r) {
    if (r.status().intValue() < 400 || !(r.entity() instanceof HttpEntity.Strict strict)) {
      return r;
    }
    try {
      JsonNode err = SimText.JSON.readTree(strict.getData().toArray()).path("error");
      return err.isTextual() ? OllamaErrors.openAiResponse(r.status(), err.asText()) : r;
    } catch (java.io.IOException e) {
      return r;
    }
  }

  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content) {
      if (part.path("type").asText("").equals("text")) {
        sb.append(part.path("text").asText(""));
      }
    }
    return sb.toString();
  }

  private static ObjectNode modelObject(ModelCatalog.Installed m) {
    return SimText.JSON.createObjectNode().put("id", m.name()).put("object", "model")
        .put("created", m.modifiedAt().toEpochSecond()).put("owned_by", ModelNames.namespace(m.name()));
  }

  private static String base64(double[] v) {
    ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (double x : v) {
      buf.putFloat((float) x);
    }
    return Base64.getEncoder().encodeToString(buf.array());
  }
}
