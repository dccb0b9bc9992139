package ai.sutazai.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/** Bearer tokens compared in constant time: every token is compared, each over SHA-256 digests (length hidden). */
public final class Tokens {
  private Tokens() {}

  /** True when {@code given} is one of {@code tokens}. */
  public static boolean matches(List<String> tokens, String given) {
    if (given == null) {
      return false;
    }
    byte[] g = sha256(given);
    boolean ok = false;
    for (String t : tokens) {
      ok |= MessageDigest.isEqual(sha256(t), g);
    }
    return ok;
  }

  /** The token of an {@code Authorization: Bearer <token>} value, or null when it is not one. */
  public static String bearer(String headerValue) {
    if (headerValue == null) {
      return null;
    }
    String v = headerValue.trim();
    return v.regionMatches(true, 0, "Bearer ", 0, 7) ? v.substring(7).trim() : null;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
