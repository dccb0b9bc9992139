package ai.sutazai.inference.sim;

import ai.sutazai.inference.ollama.KeepAlive;
import ai.sutazai.inference.ollama.OllamaErrors;
import akka.util.ByteString;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads request bodies the way Ollama's Go server does, with its error texts: an empty body is
 * {@code missing request body}, broken JSON gets a Go-decoder-like message, and a field of the wrong JSON
 * type gets {@code json: cannot unmarshal <type> into Go struct field <Struct>.<field> of type <gotype>}.
 */
final class RequestJson {
  private RequestJson() {}

  /** A client error: the HTTP status and Ollama's message. */
  static final class BadRequest extends RuntimeException {
    final int status;

    BadRequest(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    BadRequest(String message) {
      this(400, message);
    }
  }

  private static final Pattern UNEXPECTED_CHAR = Pattern.compile("Unexpected character \\('(.)'");
  static final Set<String> THINK_LEVELS = Set.of("high", "medium", "low", "max");

  /** Parses a body into an object; {@code goType} names the Go struct for error messages. */
  static ObjectNode parse(ByteString body, String goType) {
    String text = body.utf8String();
    if (text.isBlank()) {
      throw new BadRequest(OllamaErrors.MISSING_BODY);
    }
    JsonNode node;
    try {
      node = SimText.JSON.readTree(text);
    } catch (JsonEOFException e) {
      throw new BadRequest("unexpected EOF");
    } catch (JsonParseException e) {
      Matcher m = UNEXPECTED_CHAR.matcher(String.valueOf(e.getOriginalMessage()));
      String c = m.find() ? m.group(1) : "?";
      throw new BadRequest("invalid character '" + c + "' looking for beginning of value");
    } catch (JsonProcessingException e) {
      throw new BadRequest("invalid JSON: " + e.getOriginalMessage());
    }
    if (node == null || node.isMissingNode()) {
      throw new BadRequest(OllamaErrors.MISSING_BODY);
    }
    if (!node.isObject()) {
      throw new BadRequest("json: cannot unmarshal " + jsonKind(node) + " into Go value of type " + goType);
    }
    return (ObjectNode) node;
  }

  /**
   * Checks the JSON type of each listed field present (null is always accepted, as for Go pointers and
   * zero values); {@code fields} maps a field to its Go type: string, bool, int, float64, []T, map/struct.
   */
  static void checkTypes(ObjectNode body, String goStruct, Map<String, String> fields) {
    fields.forEach((field, goType) -> {
      JsonNode v = body.get(field);
      if (v == null || v.isNull() || matches(v, goType)) {
        return;
      }
      throw new BadRequest("json: cannot unmarshal " + jsonKind(v) + " into Go struct field "
          + goStruct.substring(goStruct.indexOf('.') + 1) + "." + field + " of type " + goType);
    });
  }

  private static boolean matches(JsonNode v, String goType) {
    if (goType.equals("any")) {
      return true;
    }
    if (goType.startsWith("[]")) {
      return v.isArray();
    }
    return switch (goType) {
      case "string" -> v.isTextual();
      case "bool" -> v.isBoolean();
      case "int", "float64" -> v.isNumber();
      default -> v.isObject();
    };
  }

  static String jsonKind(JsonNode v) {
    if (v.isTextual()) {
      return "string";
    }
    if (v.isNumber()) {
      return "number";
    }
    if (v.isBoolean()) {
      return "bool";
    }
    if (v.isArray()) {
      return "array";
    }
    return "object";
  }

  /** The model field ({@code model}, or the deprecated {@code name}); "" when absent. */
  static String model(ObjectNode body) {
    String m = body.path("model").asText("");
    return m.isEmpty() ? body.path("name").asText("") : m;
  }

  /** {@code stream}: absent or null means true. */
  static boolean stream(ObjectNode body) {
    JsonNode s = body.get("stream");
    return s == null || s.isNull() || s.asBoolean(true);
  }

  static KeepAlive keepAlive(ObjectNode body, KeepAlive fallback) {
    try {
      return KeepAlive.parse(body.get("keep_alive"), fallback);
    } catch (IllegalArgumentException e) {
      throw new BadRequest(e.getMessage());
    }
  }

  /** {@code think}: true or a level turns thinking on; anything else is Ollama's 400. */
  static boolean think(ObjectNode body) {
    JsonNode t = body.get("think");
    if (t == null || t.isNull()) {
      return false;
    }
    if (t.isBoolean()) {
      return t.asBoolean();
    }
    if (t.isTextual() && THINK_LEVELS.contains(t.asText())) {
      return true;
    }
    if (t.isTextual() && (t.asText().equals("true") || t.asText().equals("false"))) {
      return t.asText().equals("true");
    }
    throw new BadRequest("invalid think value: \"" + (t.isTextual() ? t.asText() : t.toString())
        + "\" (must be \"high\", \"medium\", \"low\", \"max\", true, or false)");
  }

  /** {@code options.num_predict}, or -1; a non-number is Ollama's option type error. */
  static int numPredict(ObjectNode body) {
    JsonNode options = body.get("options");
    if (options == null || options.isNull()) {
      return -1;
    }
    if (!options.isObject()) {
      throw new BadRequest("json: cannot unmarshal " + jsonKind(options)
          + " into Go struct field .options of type map[string]interface {}");
    }
    JsonNode n = options.get("num_predict");
    if (n == null || n.isNull()) {
      return -1;
    }
    if (!n.isNumber()) {
      throw new BadRequest("option \"num_predict\" must be of type integer");
    }
    return n.asInt();
  }

  /** {@code format}: absent/null/"" means plain text; "json" or a schema object; other values are 400. */
  static JsonNode format(ObjectNode body) {
    JsonNode f = body.get("format");
    if (f == null || f.isNull() || (f.isTextual() && f.asText().isEmpty())) {
      return null;
    }
    if ((f.isTextual() && f.asText().equals("json")) || f.isObject()) {
      return f;
    }
    throw new BadRequest("invalid format: expected \"json\" or a JSON schema");
  }
}
