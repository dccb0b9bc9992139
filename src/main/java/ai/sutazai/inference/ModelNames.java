package ai.sutazai.inference;

import java.util.Locale;

/**
 * Ollama model-name matching: {@code [host/][namespace/]model[:tag]}, tag defaults to {@code latest},
 * namespace to {@code library}, compared case-insensitively. {@link #normalize} gives the key the router
 * uses for queues, slots and "has this model" checks.
 */
public final class ModelNames {
  private static final String DEFAULT_PREFIX = "registry.ollama.ai/library/";

  private ModelNames() {}

  /** {@code Llama3.2} → {@code llama3.2:latest}; {@code registry.ollama.ai/library/x:1b} → {@code x:1b}. */
  public static String normalize(String name) {
    if (name == null) {
      return "";
    }
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.startsWith(DEFAULT_PREFIX)) {
      n = n.substring(DEFAULT_PREFIX.length());
    } else if (n.startsWith("library/")) {
      n = n.substring("library/".length());
    }
    if (n.isEmpty()) {
      return n;
    }
    int slash = n.lastIndexOf('/');
    if (n.indexOf(':', slash + 1) < 0) {
      n = n + ":latest";
    }
    return n;
  }
}
