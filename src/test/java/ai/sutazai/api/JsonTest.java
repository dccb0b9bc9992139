package ai.sutazai.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad request body is answered in the API's words: which field, and what was expected and found. */
class JsonTest {
  enum Mode { FAST, SAFE }

  record Body(int count, long bytes, double share, boolean on, String name, Mode mode, List<String> tags) {}

  private static String problem(String json) {
    Json.BadJson e = assertThrows(Json.BadJson.class, () -> Json.parse(json.getBytes(StandardCharsets.UTF_8), Body.class));
    return e.field() + " | " + e.getMessage();
  }

  private static String body(String count, String share, String on, String name, String mode, String tags) {
    return "{\"count\":" + count + ",\"bytes\":1,\"share\":" + share + ",\"on\":" + on + ",\"name\":" + name
        + ",\"mode\":" + mode + ",\"tags\":" + tags + "}";
  }

  @ParameterizedTest
  @CsvSource(delimiter = '#', value = {
      "{\"count\":1}# bytes | field \"bytes\": required",
      "'COUNT'# count | field \"count\": expected an integer, got \"x\"",
      "'NULLCOUNT'# count | field \"count\": expected an integer, got null",
      "'FRACTION'# count | field \"count\": expected an integer, got 1.5",
      "'SHARE'# share | field \"share\": expected a number, got \"half\"",
      "'ON'# on | field \"on\": expected true or false, got \"yes\"",
      "'NAME'# name | field \"name\": expected a string, got an object",
      "'MODE'# mode | field \"mode\": expected one of FAST, SAFE, got \"slow\"",
      "'TAGS'# tags | field \"tags\": expected an array, got \"a\"",
      "[]# body | body: expected an object, got an array",
      "''# body | body: empty; expected a JSON object"})
  void saysWhatWasExpectedAndWhatCame(String json, String expected) {
    String actual = switch (json) {
      case "COUNT" -> problem(body("\"x\"", "1", "true", "\"n\"", "\"FAST\"", "[]"));
      case "NULLCOUNT" -> problem(body("null", "1", "true", "\"n\"", "\"FAST\"", "[]"));
      case "FRACTION" -> problem(body("1.5", "1", "true", "\"n\"", "\"FAST\"", "[]"));
      case "SHARE" -> problem(body("1", "\"half\"", "true", "\"n\"", "\"FAST\"", "[]"));
      case "ON" -> problem(body("1", "1", "\"yes\"", "\"n\"", "\"FAST\"", "[]"));
      case "NAME" -> problem(body("1", "1", "true", "{}", "\"FAST\"", "[]"));
      case "MODE" -> problem(body("1", "1", "true", "\"n\"", "\"slow\"", "[]"));
      case "TAGS" -> problem(body("1", "1", "true", "\"n\"", "\"FAST\"", "\"a\""));
      default -> problem(json);
    };
    assertEquals(expected, actual);
  }
}
