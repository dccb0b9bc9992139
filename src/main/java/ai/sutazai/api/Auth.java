package ai.sutazai.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * Bearer-token authentication. Tokens are compared in constant time (every configured token is compared,
 * each with {@link MessageDigest#isEqual} over SHA-256 digests, so neither a token's length nor which
 * entry matched shows in the timing) and never appear in logs or {@code toString}.
 */
public final class Auth {

  /** What a caller may do. */
  public enum Role {
    /** May read (GET). */
    VIEWER,
    /** May read and change (POST, PUT, DELETE). */
    OPERATOR
  }

  /** One configured token. {@code toString} hides the secret. */
  public record Token(String name, String secret, Role role) {
    @Override
    public String toString() {
      return "Token[name=" + name + ", role=" + role + "]";
    }
  }

  /** An authenticated caller. */
  public record Principal(String name, Role role) {
    public boolean mayMutate() {
      return role == Role.OPERATOR;
    }
  }

  private record Entry(String name, byte[] digest, Role role) {}

  private final List<Entry> entries;

  public Auth(List<Token> tokens) {
    this.entries = tokens.stream().map(t -> new Entry(t.name(), sha256(t.secret()), t.role())).toList();
  }

  /** True when no token is configured: every protected request is refused. */
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The caller presenting {@code presented}, if it matches a configured token. */
  public Optional<Principal> authenticate(String presented) {
    if (presented == null || presented.isEmpty()) {
      return Optional.empty();
    }
    byte[] digest = sha256(presented);
    Entry match = null;
    for (Entry e : entries) {
      if (MessageDigest.isEqual(e.digest(), digest) && match == null) {
        match = e;
      }
    }
    return match == null ? Optional.empty() : Optional.of(new Principal(match.name(), match.role()));
  }

  /** The token from an {@code Authorization: Bearer <token>} header value; empty when malformed. */
  public static Optional<String> bearer(String headerValue) {
    if (headerValue == null) {
      return Optional.empty();
    }
    String v = headerValue.trim();
    if (v.length() > 7 && v.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.of(v.substring(7).trim());
    }
    return Optional.empty();
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
