package ai.sutazai.inference.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The shared Ollama protocol helpers: names, keep_alive, Go durations, error bodies, NDJSON, timestamps. */
class OllamaProtocolHelpersTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void modelNamesGetTheLatestTagAndMatchCaseInsensitively() {
    assertEquals("llama3.2:latest", ModelNames.normalize("llama3.2"));
    assertEquals("llama3.1:8b", ModelNames.normalize("llama3.1:8b"));
    assertEquals("llama3.2:latest", ModelNames.normalize("registry.ollama.ai/library/llama3.2"));
    assertEquals("myhost:5000/team/model:latest", ModelNames.normalize("myhost:5000/team/model"));
    assertTrue(ModelNames.same("Llama3.2", "library/llama3.2:latest"));
    assertFalse(ModelNames.same("llama3.2", "llama3.2:1b"));
    assertFalse(ModelNames.isValid(""));
    assertFalse(ModelNames.isValid("bad name"));
    assertFalse(ModelNames.isValid("model:"));
    assertEquals("team", ModelNames.namespace("myhost:5000/team/model"));
    assertEquals("library", ModelNames.namespace("llama3.2"));
  }

  @Test
  void keepAliveFollowsOllamasRules() throws Exception {
    assertEquals(KeepAlive.DEFAULT, KeepAlive.parse(null, KeepAlive.DEFAULT));
    assertEquals(Duration.ofHours(1), KeepAlive.parse(JSON.readTree("3600"), KeepAlive.DEFAULT).duration());
    assertEquals(Duration.ofMinutes(10), KeepAlive.parse(JSON.readTree("\"10m\""), KeepAlive.DEFAULT).duration());
    assertTrue(KeepAlive.parse(JSON.readTree("-1"), KeepAlive.DEFAULT).forever());
    assertTrue(KeepAlive.parse(JSON.readTree("\"-1m\""), KeepAlive.DEFAULT).forever());
    assertTrue(KeepAlive.parse(JSON.readTree("0"), KeepAlive.DEFAULT).unloadsImmediately());
    assertTrue(KeepAlive.parse(JSON.readTree("\"0\""), KeepAlive.DEFAULT).unloadsImmediately());
    assertEquals("time: missing unit in duration \"300\"", assertThrows(IllegalArgumentException.class,
        () -> KeepAlive.parse(JSON.readTree("\"300\""), KeepAlive.DEFAULT)).getMessage());
    assertEquals("Unsupported type: 'bool'", assertThrows(IllegalArgumentException.class,
        () -> KeepAlive.parse(JSON.readTree("true"), KeepAlive.DEFAULT)).getMessage());
    assertEquals("5m0s", KeepAlive.DEFAULT.toJsonValue());
    assertEquals("-1", KeepAlive.FOREVER.toJsonValue());
  }

  @Test
  void goDurations() {
    assertEquals(Duration.ofMinutes(90), GoDuration.parse("1h30m"));
    assertEquals(Duration.ofMillis(1500), GoDuration.parse("1.5s"));
    assertEquals(Duration.ofNanos(-300_000), GoDuration.parse("-300us"));
    assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("5 minutes"));
    assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(""));
  }

  @Test
  void errorBodiesAndLines() throws Exception {
    assertEquals("{\"error\":\"server busy, please try again.  maximum pending requests exceeded\"}",
        OllamaErrors.body(OllamaErrors.MAX_QUEUE));
    assertEquals("model \"a\\\"b\" not found, try pulling it first", OllamaErrors.modelNotFoundTryPulling("a\"b"));
    assertEquals("not_found_error", JSON.readTree(OllamaErrors.openAiBody(404, "x")).path("error").path("type").asText());
    assertEquals("{\"done\":true}\n", Ndjson.line(JSON.readTree("{\"done\":true}")).utf8String());
    assertEquals("data: {\"a\":1}\n\n", Ndjson.sseEvent(JSON.readTree("{\"a\":1}")).utf8String());
    assertEquals("application/x-ndjson", Ndjson.CONTENT_TYPE.toString());
  }

  @Test
  void timestampsLikeGo() {
    assertEquals("2023-08-04T19:22:45.499127Z", OllamaTime.utc(Instant.parse("2023-08-04T19:22:45.499127000Z")));
    assertEquals("2023-08-04T19:22:45Z", OllamaTime.utc(Instant.parse("2023-08-04T19:22:45Z")));
  }
}
