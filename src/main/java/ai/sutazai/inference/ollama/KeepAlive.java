package ai.sutazai.inference.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * A request's {@code keep_alive}: how long the model stays loaded after the request (API.md section 3).
 * A JSON number is seconds, a string is a Go duration, a negative value means forever, 0 means unload
 * right after the request.
 *
 * @param duration how long to stay loaded; ignored when {@code forever}
 * @param forever true for a negative keep_alive
 */
public record KeepAlive(Duration duration, boolean forever) {

  /** Ollama's default ({@code OLLAMA_KEEP_ALIVE} unset): 5 minutes. */
  public static final KeepAlive DEFAULT = of(Duration.ofMinutes(5));
  public static final KeepAlive FOREVER = new KeepAlive(Duration.ZERO, true);
  public static final KeepAlive ZERO = of(Duration.ZERO);

  public static KeepAlive of(Duration d) {
    return d.isNegative() ? FOREVER : new KeepAlive(d, false);
  }

  /** True for keep_alive 0: unload as soon as the model is idle. */
  public boolean unloadsImmediately() {
    return !forever && duration.isZero();
  }

  /**
   * Reads the field's value; {@code null} or a JSON null gives {@code fallback}. Throws
   * IllegalArgumentException with Ollama's message (the caller answers 400) for a bad value.
   */
  public static KeepAlive parse(JsonNode value, KeepAlive fallback) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return fallback;
    }
    if (value.isNumber()) {
      double seconds = value.asDouble();
      if (seconds < 0) {
        return FOREVER;
      }
      return of(Duration.ofNanos((long) (seconds * 1e9)));
    }
    if (value.isTextual()) {
      return of(GoDuration.parse(value.asText()));
    }
    throw new IllegalArgumentException("Unsupported type: '" + goType(value) + "'");
  }

  /** The value Go's client would send: {@code -1} for forever, else a duration string like {@code "5m0s"}. */
  public String toJsonValue() {
    return forever ? "-1" : GoDuration.format(duration);
  }

  private static String goType(JsonNode v) {
    if (v.isBoolean()) {
      return "bool";
    }
    if (v.isArray()) {
      return "[]interface {}";
    }
    if (v.isObject()) {
      return "map[string]interface {}";
    }
    return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
