package ai.sutazai.inference.ollama;

import java.util.Locale;

/**
 * Ollama model names, {@code [host/][namespace/]model[:tag]}: the tag defaults to {@code latest}, the
 * default registry {@code registry.ollama.ai} and namespace {@code library} are left out of the display
 * form, and installed models are matched case-insensitively (Ollama's {@code getExistingName}).
 */
public final class ModelNames {
  private ModelNames() {}

  private static final String DEFAULT_HOST = "registry.ollama.ai/";
  private static final String DEFAULT_NAMESPACE = "library/";

  /** The display form: {@code "llama3.2"} and {@code "library/llama3.2"} give {@code "llama3.2:latest"}. */
  public static String normalize(String name) {
    String n = name.trim();
    if (n.regionMatches(true, 0, DEFAULT_HOST, 0, DEFAULT_HOST.length())) {
      n = n.substring(DEFAULT_HOST.length());
    }
    if (n.regionMatches(true, 0, DEFAULT_NAMESPACE, 0, DEFAULT_NAMESPACE.length())) {
      n = n.substring(DEFAULT_NAMESPACE.length());
    }
    int slash = n.lastIndexOf('/');
    if (n.indexOf(':', slash + 1) < 0) {
      n = n + ":latest";
    }
    return n;
  }

  /** A key under which two names that Ollama treats as the same model are equal. */
  public static String key(String name) {
    return normalize(name).toLowerCase(Locale.ROOT);
  }

  /** True when both names denote the same model. */
  public static boolean same(String a, String b) {
    return key(a).equals(key(b));
  }

  /** True for a usable name: not blank, no whitespace or control characters, a non-empty model and tag. */
  public static boolean isValid(String name) {
    if (name == null || name.isBlank()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        return false;
      }
    }
    String n = normalize(name);
    int slash = n.lastIndexOf('/');
    int colon = n.indexOf(':', slash + 1);
    return colon > slash + 1 && colon < n.length() - 1;
  }

  /** The namespace OpenAI's {@code owned_by} shows: the part before the last slash, else "library". */
  public static String namespace(String name) {
    String n = normalize(name);
    int slash = n.lastIndexOf('/');
    if (slash < 0) {
      return "library";
    }
    String head = n.substring(0, slash);
    int prev = head.lastIndexOf('/');
    return prev < 0 ? head : head.substring(prev + 1);
  }
}
