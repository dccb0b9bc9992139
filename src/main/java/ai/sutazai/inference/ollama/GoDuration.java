package ai.sutazai.inference.ollama;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * Go's {@code time.ParseDuration}: a signed sequence of decimal numbers with units ({@code ns us µs ms s m h}),
 * such as {@code "300ms"}, {@code "-1.5h"} or {@code "1h30m"}; {@code "0"} needs no unit. Used for
 * {@code keep_alive} strings and for duration flags of the command line.
 */
public final class GoDuration {
  private GoDuration() {}

  private static final Map<String, Long> UNIT_NANOS = Map.of(
      "ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L, "ms", 1_000_000L,
      "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

  /** Parses {@code text}; throws IllegalArgumentException with Go's message when it is not a duration. */
  public static Duration parse(String text) {
    String s = text;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw invalid(text);
    }
    BigDecimal totalNanos = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      if (start == i || s.substring(start, i).equals(".")) {
        throw invalid(text);
      }
      BigDecimal number = new BigDecimal(s.substring(start, i));
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      String unit = s.substring(unitStart, i);
      if (unit.isEmpty()) {
        throw new IllegalArgumentException("time: missing unit in duration " + OllamaErrors.quote(text));
      }
      Long nanos = UNIT_NANOS.get(unit);
      if (nanos == null) {
        throw new IllegalArgumentException(
            "time: unknown unit " + OllamaErrors.quote(unit) + " in duration " + OllamaErrors.quote(text));
      }
      totalNanos = totalNanos.add(number.multiply(BigDecimal.valueOf(nanos)));
    }
    Duration d = Duration.ofNanos(totalNanos.longValue());
    return negative ? d.negated() : d;
  }

  /** Go's {@code Duration.String()} shape for whole units: {@code 5m0s}, {@code 1h0m0s}, {@code 250ms}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.abs().compareTo(Duration.ofSeconds(1)) < 0) {
      return d.toMillis() + "ms";
    }
    long s = d.getSeconds();
    long h = s / 3600;
    long m = (s % 3600) / 60;
    long sec = s % 60;
    String tail = sec + "s";
    return h > 0 ? h + "h" + m + "m" + tail : m > 0 ? m + "m" + tail : tail;
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("time: invalid duration " + OllamaErrors.quote(text));
  }
}
