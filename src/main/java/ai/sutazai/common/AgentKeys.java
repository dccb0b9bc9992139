package ai.sutazai.common;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-agent keys: {@code HMAC-SHA256(secret, agent name)}, base64url without padding (43 characters). The
 * supervisor puts an agent's key in the addresses it gives that agent (OLLAMA_HOST, OPENAI_BASE_URL), and the
 * inference router gives a request the agent's name (priority, activation, busy marking) only with that key,
 * so one agent cannot speak for another. Hazard: the secret makes every key; it is read from
 * {@code sutazai.inference.agent-keys.secret} (the same on every node of a cluster) or else from
 * {@code <data-dir>/agent-keys.secret}, created at first use with 32 random bytes and mode 0600. It is loaded
 * lazily, so reading settings creates no file.
 */
public final class AgentKeys {
  /** Length of a key in characters (32 bytes, base64url without padding). */
  public static final int KEY_LENGTH = 43;
  static final String FILE = "agent-keys.secret";

  private final String configured;
  private final Path file;
  private volatile byte[] secret;

  private AgentKeys(String configured, Path file) {
    this.configured = configured;
    this.file = file;
  }

  /** From {@code sutazai.inference.agent-keys.secret}, else {@code <sutazai.data-dir>/agent-keys.secret}. */
  public static AgentKeys from(Config root) {
    String configured = root.hasPath("sutazai.inference.agent-keys.secret")
        ? root.getString("sutazai.inference.agent-keys.secret") : "";
    String dataDir = root.hasPath("sutazai.data-dir") ? root.getString("sutazai.data-dir") : "./data";
    return new AgentKeys(configured, Path.of(dataDir).resolve(FILE));
  }

  /** Keys made from a given secret (tests, benchmarks). */
  public static AgentKeys ofSecret(String secret) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("an agent-key secret must not be empty");
    }
    return new AgentKeys(secret, null);
  }

  /** The key of {@code agent}. */
  public String keyOf(String agent) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret(), "HmacSHA256"));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(agent.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** True when {@code key} is {@code agent}'s key; compared in constant time. */
  public boolean valid(String agent, String key) {
    if (agent == null || agent.isEmpty() || key == null || key.length() != KEY_LENGTH) {
      return false;
    }
    return MessageDigest.isEqual(keyOf(agent).getBytes(StandardCharsets.US_ASCII), key.getBytes(StandardCharsets.US_ASCII));
  }

  /** True for a string shaped as a key (length and alphabet), whether or not it is anyone's. */
  public static boolean looksLikeKey(String s) {
    return s != null && s.length() == KEY_LENGTH && s.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_');
  }

  private byte[] secret() {
    byte[] s = secret;
    if (s == null) {
      synchronized (this) {
        if (secret == null) {
          secret = configured.isEmpty() ? fromFile(file) : configured.getBytes(StandardCharsets.UTF_8);
        }
        s = secret;
      }
    }
    return s;
  }

  /** Reads the secret file, creating it (0600, 32 random bytes as hex) when it does not exist yet. */
  static byte[] fromFile(Path file) {
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        try {
          Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          Files.writeString(file, HexFormat.of().formatHex(random) + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException raced) {
          // another process created it first: use theirs
        }
      }
      String text = Files.readString(file).trim();
      if (text.isEmpty()) {
        throw new UserError("agent-key secret " + file + " is empty; delete it to have a new one made, or set "
            + "sutazai.inference.agent-keys.secret");
      }
      return text.getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("agent-key secret " + file + ": " + e.getMessage(), e);
    }
  }
}
