package ai.sutazai.inference.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Compares the shape of two JSON values: the same keys recursively, the same JSON types (an integer in the
 * expected value must be an integer in the actual one), arrays compared element by element against the
 * shape of the expected array's first element. Values themselves are not compared.
 *
 * <p>Two documented allowances, both from ../shared/ollama/API.md: a key whose expected value is
 * {@code null} may be missing (Go's omitempty; example 08's {@code "images": null} is left out at the
 * pinned commit), and at the top level the keys in {@code allowedExtraTopLevel} may be present although the
 * (older) docs example lacks them.
 */
final class ShapeComparator {
  private ShapeComparator() {}

  /** Shape differences; empty when the shapes match. */
  static List<String> differences(JsonNode expected, JsonNode actual, Set<String> allowedExtraTopLevel) {
    List<String> out = new ArrayList<>();
    compare("$", expected, actual, allowedExtraTopLevel, out);
    return out;
  }

  private static void compare(String path, JsonNode exp, JsonNode act, Set<String> extra, List<String> out) {
    String expType = type(exp);
    String actType = type(act);
    if (!expType.equals(actType) && !(expType.equals("number") && actType.equals("integer"))) {
      out.add(path + ": expected " + expType + " but was " + actType + " (" + abbreviate(act) + ")");
      return;
    }
    if (exp.isObject()) {
      for (Iterator<String> it = exp.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!act.has(k)) {
          if (!exp.get(k).isNull()) {
            out.add(path + ": missing key '" + k + "'");
          }
          continue;
        }
        compare(path + "." + k, exp.get(k), act.get(k), Set.of(), out);
      }
      for (Iterator<String> it = act.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!exp.has(k) && !extra.contains(k)) {
          out.add(path + ": unexpected key '" + k + "'");
        }
      }
    } else if (exp.isArray() && !exp.isEmpty()) {
      if (act.isEmpty()) {
        out.add(path + ": expected a non-empty array");
      }
      for (int i = 0; i < act.size(); i++) {
        compare(path + "[" + i + "]", exp.get(0), act.get(i), Set.of(), out);
      }
    }
  }

  private static String type(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "missing";
    }
    if (n.isIntegralNumber()) {
      return "integer";
    }
    if (n.isNumber()) {
      return "number";
    }
    return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String abbreviate(JsonNode n) {
    String s = String.valueOf(n);
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
