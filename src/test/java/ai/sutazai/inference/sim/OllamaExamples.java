package ai.sutazai.inference.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The saved protocol examples of ../shared/ollama/examples: found by walking up from the working directory
 * to a directory holding {@code shared/ollama/examples}. Missing examples are a test failure, never a skip.
 */
final class OllamaExamples {
  private OllamaExamples() {}

  /** One example file: request, expected response(s), status, streaming. */
  record Example(String file, String method, String path, JsonNode request, JsonNode response, int status,
      boolean streaming) {
    @Override
    public String toString() {
      return file;
    }
  }

  static Path directory() {
    Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("ollama").resolve("examples");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("Ollama protocol examples not found: no shared/ollama/examples in " + start
        + " or any parent directory (expected e.g. /work/shared/ollama/examples)");
  }

  static List<Example> all() {
    Path dir = directory();
    try (Stream<Path> files = Files.list(dir)) {
      List<Example> list = files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted()
          .map(OllamaExamples::read).toList();
      if (list.isEmpty()) {
        throw new AssertionError("no *.json examples in " + dir);
      }
      return list;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Example read(Path p) {
    try {
      JsonNode n = SimClient.JSON.readTree(p.toFile());
      return new Example(p.getFileName().toString(), n.path("method").asText(), n.path("path").asText(),
          n.path("request"), n.path("response"), n.path("status").asInt(), n.path("streaming").asBoolean());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read example " + p, e);
    }
  }
}
