package ai.sutazai.api;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.stream.Collectors;

/** The API's JSON: strict on input (unknown fields, nulls for numbers, trailing tokens fail), ISO times. */
public final class Json {
  private Json() {}

  public static final ObjectMapper MAPPER = ai.sutazai.common.JsonMappers.strict();

  /** Thrown by {@link #parse} with the field at fault (null when the JSON itself is malformed). */
  public static final class BadJson extends Exception {
    private final String field;

    BadJson(String field, String message) {
      super(message, null, false, false);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }

  /** Parses a request body into {@code type}, translating Jackson's failures into a field and a message. */
  public static <T> T parse(byte[] body, Class<T> type) throws BadJson {
    try {
      T value = MAPPER.readValue(body, type);
      if (value == null) {
        throw new BadJson("body", "body must be a JSON object, got null");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw new BadJson(e.getPropertyName(), "unknown field \"" + e.getPropertyName() + "\"; allowed: "
          + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")));
    } catch (JsonMappingException e) {
      String field = path(e);
      throw new BadJson(field == null ? "body" : field, (field == null ? "body" : "field \"" + field + "\"")
          + ": " + problem(e, body));
    } catch (com.fasterxml.jackson.core.exc.InputCoercionException e) {
      String field = currentName(e);
      throw new BadJson(field == null ? "body" : field,
          (field == null ? "body" : "field \"" + field + "\"") + ": number out of range");
    } catch (JsonProcessingException e) {
      throw new BadJson(null, "malformed JSON: " + firstLine(e.getOriginalMessage()));
    } catch (java.io.IOException e) {
      throw new BadJson(null, "unreadable body");
    }
  }

  private static String currentName(JsonProcessingException e) {
    try {
      return e.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser p ? p.currentName() : null;
    } catch (java.io.IOException | RuntimeException ignored) {
      return null;
    }
  }

  /** What is wrong with the value, in the API's words rather than Jackson's: "required", "expected ..., got ...". */
  private static String problem(JsonMappingException e, byte[] body) {
    String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (message.startsWith("Missing creator property") || message.startsWith("Missing required creator property")) {
      return "required";
    }
    if (message.startsWith("No content to map")) {
      return "empty; expected a JSON object";
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      String got = got(m, body);
      return "expected " + kind(m.getTargetType()) + (got == null ? "" : ", got " + got);
    }
    return message.isEmpty() ? "invalid value" : firstLine(message);
  }

  /** How a JSON value of Java type {@code t} is described to a client. */
  private static String kind(Class<?> t) {
    if (t == int.class || t == Integer.class || t == long.class || t == Long.class || t == short.class
        || t == Short.class || t == java.math.BigInteger.class) {
      return "an integer";
    }
    if (t == double.class || t == Double.class || t == float.class || t == Float.class || t == java.math.BigDecimal.class) {
      return "a number";
    }
    if (t == boolean.class || t == Boolean.class) {
      return "true or false";
    }
    if (t == String.class) {
      return "a string";
    }
    if (t.isEnum()) {
      return "one of " + java.util.Arrays.stream(t.getEnumConstants()).map(Object::toString)
          .collect(Collectors.joining(", "));
    }
    if (t.isArray() || java.util.Collection.class.isAssignableFrom(t)) {
      return "an array";
    }
    return "an object";
  }

  /** The offending JSON value, found again at the error's path in the body, short; null when it cannot be told. */
  private static String got(MismatchedInputException e, byte[] body) {
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (java.io.IOException | RuntimeException ex) {
      return null;
    }
    for (JsonMappingException.Reference r : e.getPath()) {
      node = node == null ? null : r.getFieldName() != null ? node.get(r.getFieldName()) : node.get(r.getIndex());
    }
    if (node == null || node.isMissingNode()) {
      return null;
    }
    if (node.isTextual()) {
      return quoted(node.textValue());
    }
    if (node.isObject()) {
      return "an object";
    }
    if (node.isArray()) {
      return "an array";
    }
    return node.toString();
  }

  private static String quoted(String s) {
    return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
  }

  private static String path(JsonMappingException e) {
    String p = e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
    return p.isEmpty() ? null : p;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  public static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getName(), e);
    }
  }

  public static String string(Object value) {
    return new String(bytes(value), java.nio.charset.StandardCharsets.UTF_8);
  }

  public static HttpResponse response(StatusCode status, Object value) {
    return HttpResponse.create().withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, bytes(value)));
  }

  public static HttpResponse ok(Object value) {
    return response(StatusCodes.OK, value);
  }
}
