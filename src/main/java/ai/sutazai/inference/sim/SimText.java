package ai.sutazai.inference.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the simulator "generates": deterministic filler text that says it is simulated, JSON that matches a
 * requested schema, tool calls shaped as Ollama sends them, token counts, and embedding vectors. No model
 * runs here; everything is derived from a hash of the input so that repeated requests give the same answer.
 */
final class SimText {
  private SimText() {}

  static final ObjectMapper JSON = ai.sutazai.common.JsonMappers.plain();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern INTEGER = Pattern.compile("-?\\d+");
  private static final String[] WORDS = {
    "the", "simulated", "answer", "is", "a", "stream", "of", "tokens", "from", "SutazAI", "simulator",
    "and", "not", "real", "inference", "model", "output", "for", "testing", "routing", "load", "queue",
    "slot", "sky", "blue", "light", "scatter", "short", "waves", "more"
  };

  /** A rough prompt token count: about four characters per token plus the chat template's overhead. */
  static int promptTokens(String text) {
    return 20 + (text.length() + 3) / 4;
  }

  /** {@code n} word tokens of filler text; the first is "[simulated]" so nobody mistakes it for a model. */
  static List<String> words(String seed, int n) {
    SplittableRandom rnd = new SplittableRandom(seed.hashCode());
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String w = i == 0 ? "[simulated]" : " " + WORDS[rnd.nextInt(WORDS.length)];
      out.add(i == n - 1 && n > 1 ? w + "." : w);
    }
    return out;
  }

  /** Text split into tokens of up to four characters (used for JSON answers). */
  static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < text.length(); i += 4) {
      out.add(text.substring(i, Math.min(text.length(), i + 4)));
    }
    return out;
  }

  /** Thinking tokens for {@code think:true}. */
  static List<String> thinking(String seed) {
    List<String> out = new ArrayList<>(List.of("[simulated", " reasoning]", " The", " user", " asks"));
    out.addAll(words(seed, 6).subList(1, 6));
    return out;
  }

  /** A JSON answer: for {@code "json"} a small object, for a schema object a value matching it. */
  static String jsonAnswer(JsonNode format, String prompt) {
    JsonNode value;
    if (format.isObject()) {
      value = valueFor(format, prompt, 0);
    } else {
      ObjectNode o = NODES.objectNode();
      o.put("answer", "simulated");
      o.put("simulator", true);
      o.put("tokens", promptTokens(prompt));
      value = o;
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode valueFor(JsonNode schema, String prompt, int depth) {
    if (depth > 8 || !schema.isObject()) {
      return NODES.nullNode();
    }
    if (schema.has("enum") && schema.get("enum").isArray() && !schema.get("enum").isEmpty()) {
      return schema.get("enum").get(0);
    }
    if (schema.has("const")) {
      return schema.get("const");
    }
    for (String alt : List.of("anyOf", "oneOf", "allOf")) {
      if (schema.has(alt) && schema.get(alt).isArray() && !schema.get(alt).isEmpty()) {
        return valueFor(schema.get(alt).get(0), prompt, depth + 1);
      }
    }
    String type = typeOf(schema);
    switch (type) {
      case "object": {
        ObjectNode o = NODES.objectNode();
        JsonNode props = schema.path("properties");
        props.fieldNames().forEachRemaining(k -> o.set(k, valueFor(props.get(k), prompt, depth + 1)));
        return o;
      }
      case "array": {
        ArrayNode a = NODES.arrayNode();
        a.add(valueFor(schema.path("items"), prompt, depth + 1));
        return a;
      }
      case "integer": {
        Matcher m = INTEGER.matcher(prompt);
        return NODES.numberNode(m.find() ? Long.parseLong(m.group()) : 42L);
      }
      case "number":
        return NODES.numberNode(3.5);
      case "boolean":
        return NODES.booleanNode(true);
      case "null":
        return NODES.nullNode();
      default:
        return NODES.textNode("simulated");
    }
  }

  private static String typeOf(JsonNode schema) {
    JsonNode t = schema.path("type");
    if (t.isTextual()) {
      return t.asText();
    }
    if (t.isArray()) {
      for (JsonNode e : t) {
        if (e.isTextual() && !e.asText().equals("null")) {
          return e.asText();
        }
      }
    }
    return schema.has("properties") ? "object" : "string";
  }

  /**
   * The tool call a model would make for the last user message: the tool whose name or description shares
   * most words with the message (the first tool on a tie), with arguments for its required properties
   * (or all properties); a string argument takes the message's last word, capitalised ("tokyo?" gives
   * "Tokyo"). Shape as in the examples: {@code {"function":{"name":...,"arguments":{...}}}}.
   */
  static ObjectNode toolCall(JsonNode tools, String lastMessage) {
    JsonNode best = tools.get(0);
    int bestScore = -1;
    String msg = lastMessage.toLowerCase(java.util.Locale.ROOT);
    for (JsonNode tool : tools) {
      JsonNode fn = tool.path("function");
      String words = (fn.path("name").asText() + " " + fn.path("description").asText()).toLowerCase(
          java.util.Locale.ROOT).replace('_', ' ');
      int score = 0;
      for (String w : words.split("\\W+")) {
        if (w.length() > 2 && msg.contains(w)) {
          score++;
        }
      }
      if (score > bestScore) {
        best = tool;
        bestScore = score;
      }
    }
    JsonNode fn = best.path("function");
    JsonNode params = fn.path("parameters");
    ObjectNode args = NODES.objectNode();
    JsonNode props = params.path("properties");
    List<String> names = new ArrayList<>();
    if (params.path("required").isArray() && !params.path("required").isEmpty()) {
      params.path("required").forEach(r -> names.add(r.asText()));
    } else {
      props.fieldNames().forEachRemaining(names::add);
    }
    for (String name : names) {
      JsonNode schema = props.path(name);
      if (typeOf(schema.isObject() ? schema : NODES.objectNode()).equals("string") && !schema.has("enum")) {
        args.put(name, lastWord(lastMessage));
      } else {
        args.set(name, valueFor(schema, lastMessage, 0));
      }
    }
    ObjectNode call = NODES.objectNode();
    call.putObject("function").put("name", fn.path("name").asText()).set("arguments", args);
    return call;
  }

  private static String lastWord(String text) {
    String[] parts = text.trim().split("\\s+");
    String w = parts[parts.length - 1].replaceAll("[^\\p{L}\\p{N}_-]", "");
    if (w.isEmpty()) {
      return "simulated";
    }
    return Character.toUpperCase(w.charAt(0)) + w.substring(1);
  }

  /** A deterministic vector for (model, text); L2-normalised when {@code normalise}. */
  static double[] embedding(String model, String text, int dimensions, boolean normalise) {
    SplittableRandom rnd = new SplittableRandom(((long) model.hashCode() << 32) ^ text.hashCode());
    double[] v = new double[dimensions];
    double sum = 0;
    for (int i = 0; i < dimensions; i++) {
      v[i] = rnd.nextDouble(-1.0, 1.0);
      sum += v[i] * v[i];
    }
    double scale = normalise ? 1.0 / Math.sqrt(sum) : 0.5;
    for (int i = 0; i < dimensions; i++) {
      v[i] *= scale;
    }
    return v;
  }

  /** Token ids for the deprecated {@code context} field: prompt tokens then generated ones. */
  static ArrayNode context(String seed, int count) {
    SplittableRandom rnd = new SplittableRandom(seed.hashCode());
    ArrayNode a = NODES.arrayNode(count);
    for (int i = 0; i < count; i++) {
      a.add(rnd.nextInt(1, 128_000));
    }
    return a;
  }
}
