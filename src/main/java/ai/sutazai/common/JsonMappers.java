package ai.sutazai.common;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one place JSON {@link ObjectMapper}s are made. Each call returns a new mapper; a class keeps the one
 * it needs in a static field. Three flavours, as the call sites need them:
 * <ul>
 *   <li>{@link #plain()}: Jackson's defaults (Ollama and OpenAI wire JSON, webhooks, observations);
 *   <li>{@link #pretty()}: indented reports, java.time and Optional supported, times and durations in ISO-8601;
 *   <li>{@link #strict()}: the management API's input, where anything unexpected fails.
 * </ul>
 */
public final class JsonMappers {
  private JsonMappers() {}

  /** Jackson's defaults. */
  public static ObjectMapper plain() {
    return new ObjectMapper();
  }

  /** Indented output; java.time and Optional types; dates and durations as ISO-8601 strings, not numbers. */
  public static ObjectMapper pretty() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .registerModule(new Jdk8Module())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .enable(SerializationFeature.INDENT_OUTPUT);
  }

  /**
   * Strict on input (unknown fields, nulls for primitives, numbers for enums, trailing tokens, missing creator
   * properties, duplicate keys, scalar coercions all fail; nesting deeper than 32 fails), ISO times on output.
   */
  public static ObjectMapper strict() {
    ObjectMapper mapper = JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .build();
    // "5" must not pass for a number, nor 5 for a string.
    mapper.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    // Deeply nested bodies are a cheap way to burn stack; the API's bodies are flat.
    mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
    return mapper;
  }
}
