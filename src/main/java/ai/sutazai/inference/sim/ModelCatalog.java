package ai.sutazai.inference.sim;

import ai.sutazai.inference.ollama.ModelNames;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulator's installed models ({@code /api/tags}), with plausible metadata derived from the name:
 * a digest (sha256 of the name), a size from the parameter count in the tag ({@code llama3.1:8b} = 8B at
 * Q4_K_M), a family, and whether it is an embedding model. Thread-safe: pull, delete and copy may run
 * concurrently with requests.
 */
final class ModelCatalog {

  /** One installed model; {@code name} is the display form ({@code llama3.2:latest}). */
  record Installed(String name, String digest, long sizeBytes, String family, String parameterSize,
      String quantization, boolean embedding, OffsetDateTime modifiedAt) {

    int contextLength() {
      return embedding ? 512 : 4096;
    }
  }

  private static final Pattern PARAMS = Pattern.compile("(\\d+(?:\\.\\d+)?)([bm])", Pattern.CASE_INSENSITIVE);
  private final ConcurrentMap<String, Installed> byKey = new ConcurrentHashMap<>();

  ModelCatalog(List<String> names) {
    names.forEach(this::install);
  }

  /** Installs (or refreshes) a model; returns its entry. */
  Installed install(String name) {
    Installed m = describe(ModelNames.normalize(name), OffsetDateTime.now());
    byKey.put(ModelNames.key(name), m);
    return m;
  }

  Optional<Installed> find(String name) {
    if (name == null || name.isBlank()) {
      return Optional.empty();
    }
    return Optional.ofNullable(byKey.get(ModelNames.key(name)));
  }

  boolean remove(String name) {
    return byKey.remove(ModelNames.key(name)) != null;
  }

  /** Copies {@code source} to {@code destination} (same digest); false when the source is missing. */
  boolean copy(String source, String destination) {
    Optional<Installed> src = find(source);
    if (src.isEmpty()) {
      return false;
    }
    Installed s = src.get();
    byKey.put(ModelNames.key(destination), new Installed(ModelNames.normalize(destination), s.digest(),
        s.sizeBytes(), s.family(), s.parameterSize(), s.quantization(), s.embedding(), OffsetDateTime.now()));
    return true;
  }

  /** All installed models, newest first (as Ollama lists them). */
  List<Installed> all() {
    List<Installed> list = new ArrayList<>(byKey.values());
    list.sort((a, b) -> b.modifiedAt().compareTo(a.modifiedAt()));
    return list;
  }

  static Installed describe(String name, OffsetDateTime modifiedAt) {
    String lower = name.toLowerCase(Locale.ROOT);
    boolean embedding = lower.contains("embed") || lower.contains("minilm") || lower.contains("bge");
    double billions = embedding ? 0.023 : 3.2;
    String tag = lower.substring(lower.lastIndexOf(':') + 1);
    Matcher m = PARAMS.matcher(tag);
    if (m.find()) {
      double n = Double.parseDouble(m.group(1));
      billions = m.group(2).equalsIgnoreCase("m") ? n / 1000.0 : n;
    } else if (!embedding) {
      Matcher inName = PARAMS.matcher(lower.substring(0, lower.lastIndexOf(':')).replaceAll("^[a-z]+[0-9.]*", ""));
      if (inName.find()) {
        double n = Double.parseDouble(inName.group(1));
        billions = inName.group(2).equalsIgnoreCase("m") ? n / 1000.0 : n;
      }
    }
    String quant = embedding ? "F16" : "Q4_K_M";
    double bytesPerParam = embedding ? 2.0 : 0.6;
    long size = (long) (billions * 1e9 * bytesPerParam) + 1_000_000L;
    String parameterSize = billions >= 1 ? trim(billions) + "B" : trim(billions * 1000) + "M";
    return new Installed(name, sha256(name), size, family(lower, embedding), parameterSize, quant, embedding,
        modifiedAt);
  }

  private static String family(String lower, boolean embedding) {
    if (embedding) {
      return lower.contains("nomic") ? "nomic-bert" : "bert";
    }
    for (String f : List.of("llama", "qwen2", "qwen3", "qwen", "gemma3", "gemma", "mistral", "phi3", "phi",
        "deepseek2", "gpt-oss", "tinyllama")) {
      if (lower.contains(f)) {
        return f.equals("tinyllama") ? "llama" : f;
      }
    }
    return "llama";
  }

  private static String trim(double v) {
    String s = String.format(Locale.ROOT, "%.1f", v);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }

  static String sha256(String s) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
