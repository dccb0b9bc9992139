package ai.sutazai.inference.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shape comparator the conformance test relies on must catch each kind of difference. */
class ShapeComparatorTest {
  private static JsonNode j(String s) throws Exception {
    return SimClient.JSON.readTree(s);
  }

  private static List<String> diff(String expected, String actual) throws Exception {
    return ShapeComparator.differences(j(expected), j(actual), Set.of("done_reason"));
  }

  @Test
  void sameShapeDifferentValuesMatch() throws Exception {
    assertTrue(diff("{\"a\":1,\"b\":{\"c\":\"x\"},\"d\":[1.5,2.5]}", "{\"a\":7,\"b\":{\"c\":\"y\"},\"d\":[0.1]}").isEmpty());
  }

  @Test
  void missingExtraAndRetypedKeysAreReported() throws Exception {
    assertEquals(1, diff("{\"a\":1,\"b\":2}", "{\"a\":1}").size(), "missing key");
    assertEquals(1, diff("{\"a\":1}", "{\"a\":1,\"z\":2}").size(), "unexpected key");
    assertEquals(1, diff("{\"a\":1}", "{\"a\":\"1\"}").size(), "string instead of integer");
    assertEquals(1, diff("{\"a\":1}", "{\"a\":1.5}").size(), "fraction where the example has an integer");
    assertEquals(1, diff("{\"m\":{\"c\":\"\"}}", "{\"m\":{\"c\":\"\",\"x\":1}}").size(), "nested extra key");
  }

  @Test
  void arrayElementsAreComparedToTheFirstExampleElement() throws Exception {
    assertEquals(1, diff("{\"t\":[{\"f\":{\"n\":\"\"}}]}", "{\"t\":[{\"f\":{\"n\":\"a\"}},{\"f\":{}}]}").size());
    assertEquals(1, diff("{\"t\":[1]}", "{\"t\":[]}").size(), "empty where the example has elements");
  }

  @Test
  void documentedAllowancesOnly() throws Exception {
    assertTrue(diff("{\"a\":1}", "{\"a\":1,\"done_reason\":\"stop\"}").isEmpty(), "allowed top-level extra");
    assertEquals(1, diff("{\"m\":{}}", "{\"m\":{\"done_reason\":\"x\"}}").size(), "allowance is top-level only");
    assertTrue(diff("{\"m\":{\"images\":null,\"c\":\"\"}}", "{\"m\":{\"c\":\"\"}}").isEmpty(), "null may be omitted");
  }
}
