package ai.sutazai.inference.ollama;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Timestamps as Go writes {@code time.Time}: RFC 3339 with nanoseconds, trailing zeros trimmed. */
public final class OllamaTime {
  private OllamaTime() {}

  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

  /** UTC with a {@code Z}, as generate and chat send {@code created_at}: {@code 2023-08-04T19:22:45.499127Z}. */
  public static String utc(Instant t) {
    return format(t.atOffset(ZoneOffset.UTC));
  }

  /** With the given offset, as {@code modified_at} and {@code expires_at} appear: {@code ...-07:00}. */
  public static String format(OffsetDateTime t) {
    StringBuilder sb = new StringBuilder(SECONDS.format(t));
    int nanos = t.getNano();
    if (nanos != 0) {
      String digits = Integer.toString(nanos);
      String frac = "000000000".substring(digits.length()) + digits;
      int end = frac.length();
      while (frac.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(frac, 0, end);
    }
    ZoneOffset offset = t.getOffset();
    sb.append(offset.getTotalSeconds() == 0 ? "Z" : offset.getId());
    return sb.toString();
  }
}
