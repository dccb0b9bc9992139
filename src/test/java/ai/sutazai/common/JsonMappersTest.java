package ai.sutazai.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonMappersTest {
  record Point(int x) {}

  record Timed(Instant at, Duration took, Optional<String> note) {}

  @Test
  void plainIsJacksonsDefault() throws Exception {
    assertEquals("{\"x\":1}", JsonMappers.plain().writeValueAsString(Map.of("x", 1)));
  }

  @Test
  void prettyIndentsAndWritesIsoTimes() throws Exception {
    String json = JsonMappers.pretty().writeValueAsString(
        new Timed(Instant.parse("2024-01-02T03:04:05Z"), Duration.ofSeconds(90), Optional.of("n")));
    assertTrue(json.contains("\n"), json);
    assertTrue(json.contains("\"2024-01-02T03:04:05Z\""), json);
    assertTrue(json.contains("\"PT1M30S\""), json);
    assertTrue(json.contains("\"note\" : \"n\""), json);
  }

  @Test
  void strictRejectsUnknownFieldsAndCoercions() {
    assertThrows(UnrecognizedPropertyException.class, () -> JsonMappers.strict().readValue("{\"x\":1,\"y\":2}", Point.class));
    assertThrows(Exception.class, () -> JsonMappers.strict().readValue("{\"x\":\"1\"}", Point.class));
  }
}
