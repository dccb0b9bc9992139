package ai.sutazai.inference.sim;

import ai.sutazai.inference.ollama.KeepAlive;
import ai.sutazai.inference.ollama.OllamaErrors;
import akka.http.javadsl.model.HttpResponse;
import akka.util.ByteString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** {@code POST /api/embed} and the legacy {@code POST /api/embeddings}; vectors from {@link SimText#embedding}. */
final class EmbedRoutes {
  private final SimState sim;

  EmbedRoutes(SimState sim) {
    this.sim = sim;
  }

  /** The result of embedding some inputs: vectors and the metrics Ollama reports. */
  record Embedded(List<double[]> vectors, int promptTokens, long totalNanos, long loadNanos) {}

  CompletionStage<HttpResponse> embed(ByteString bytes, SimCall call) {
    ObjectNode body = RequestJson.parse(bytes, "api.EmbedRequest");
    RequestJson.checkTypes(body, "api.EmbedRequest", Map.of("model", "string", "truncate", "bool",
        "dimensions", "int", "options", "map[string]interface {}"));
    String model = RequestJson.model(body);
    if (model.isEmpty()) {
      return SimResponses.done(SimResponses.error(404, OllamaErrors.modelNotFound("")));
    }
    KeepAlive keepAlive = RequestJson.keepAlive(body, sim.config().defaultKeepAlive());
    List<String> inputs = inputs(body.get("input"), "invalid input type");
    int dims = body.path("dimensions").asInt(0);
    if (body.path("truncate").isBoolean() && !body.path("truncate").asBoolean()) {
      int ctx = sim.catalog().find(model).map(ModelCatalog.Installed::contextLength).orElse(Integer.MAX_VALUE);
      for (String in : inputs) {
        if (SimText.promptTokens(in) - 20 > ctx) {
          throw new RequestJson.BadRequest("the input length exceeds the context length");
        }
      }
    }
    return run(model, inputs, dims, true, keepAlive, call, OllamaErrors.modelNotFoundTryPulling(model),
        e -> {
          ObjectNode o = SimText.JSON.createObjectNode().put("model", model);
          ArrayNode all = o.putArray("embeddings");
          e.vectors().forEach(v -> vector(all.addArray(), v));
          if (!e.vectors().isEmpty()) {
            o.put("total_duration", e.totalNanos()).put("load_duration", e.loadNanos())
                .put("prompt_eval_count", e.promptTokens());
          }
          return SimResponses.json(o);
        });
  }

  CompletionStage<HttpResponse> embeddings(ByteString bytes, SimCall call) {
    ObjectNode body = RequestJson.parse(bytes, "api.EmbeddingRequest");
    RequestJson.checkTypes(body, "api.EmbeddingRequest", Map.of("model", "string", "prompt", "string",
        "options", "map[string]interface {}"));
    String model = RequestJson.model(body);
    if (model.isEmpty()) {
      throw new RequestJson.BadRequest(OllamaErrors.MODEL_REQUIRED);
    }
    KeepAlive keepAlive = RequestJson.keepAlive(body, sim.config().defaultKeepAlive());
    String prompt = body.path("prompt").asText("");
    List<String> inputs = prompt.isEmpty() ? List.of() : List.of(prompt);
    return run(model, inputs, 0, false, keepAlive, call, OllamaErrors.modelNotFoundTryPulling(model),
        e -> {
          ObjectNode o = SimText.JSON.createObjectNode();
          ArrayNode v = o.putArray("embedding");
          if (!e.vectors().isEmpty()) {
            vector(v, e.vectors().get(0));
          }
          return SimResponses.json(o);
        });
  }

  /**
   * Loads the model if needed, holds a slot for the prompt evaluation time, and answers with {@code render};
   * unknown model 404 ({@code notFound}), full queue 503.
   */
  CompletionStage<HttpResponse> run(String model, List<String> inputs, int dims, boolean normalise,
      KeepAlive keepAlive, SimCall call, String notFound, Function<Embedded, HttpResponse> render) {
    return sim.withLease(model, keepAlive, call, notFound, lease -> {
      int tokens = inputs.stream().mapToInt(in -> SimText.promptTokens(in) - 18).sum();
      double tps = sim.config().tokensPerSecond();
      Duration evalTime = tps > 0 ? Duration.ofNanos((long) (tokens * 1e9 / (tps * 50))) : Duration.ZERO;
      return sim.after(evalTime).handle((ok, err) -> {
        lease.release(keepAlive);
        int size = sim.config().embeddingDimensions();
        List<double[]> vectors = new ArrayList<>();
        for (String in : inputs) {
          double[] v = SimText.embedding(model, in, size, normalise);
          vectors.add(dims > 0 && dims < size ? cut(v, dims, normalise) : v);
        }
        return render.apply(new Embedded(vectors, tokens, Math.max(1, System.nanoTime() - call.startNanos()),
            Math.max(1, lease.waitNanos())));
      });
    });
  }

  /** The inputs of embed: a string or an array of strings; anything else is 400 {@code badType}. */
  static List<String> inputs(JsonNode input, String badType) {
    List<String> out = new ArrayList<>();
    if (input == null || input.isNull()) {
      return out;
    }
    if (input.isTextual()) {
      if (!input.asText().isEmpty()) {
        out.add(input.asText());
      }
      return out;
    }
    if (!input.isArray()) {
      throw new RequestJson.BadRequest(badType);
    }
    for (JsonNode e : input) {
      if (!e.isTextual()) {
        throw new RequestJson.BadRequest(badType);
      }
      out.add(e.asText());
    }
    return out;
  }

  private static double[] cut(double[] v, int dims, boolean normalise) {
    double[] c = java.util.Arrays.copyOf(v, dims);
    if (normalise) {
      double sum = 0;
      for (double x : c) {
        sum += x * x;
      }
      double s = 1.0 / Math.sqrt(sum);
      for (int i = 0; i < c.length; i++) {
        c[i] *= s;
      }
    }
    return c;
  }

  static void vector(ArrayNode into, double[] v) {
    for (double x : v) {
      into.add((float) x);
    }
  }
}
