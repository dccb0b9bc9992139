package ai.sutazai.api;

import static ai.sutazai.api.TestServer.OPERATOR;
import static ai.sutazai.api.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** /openapi.json against the real routes, both ways. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiTest {
  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH");
  /** Path parameter values that exist in the fake backend. */
  private static final Map<String, String> EXISTING = Map.of(
      "/api/v1/pools/{name}/quota", "core", "/api/v1/pools/{name}/decisions", "core", "/api/v1/workers/{name}", "sim-1",
      "/api/v1/baselines/{id}", "b-20261127", "/assets/{file}", "app.js");
  private static final Map<String, String> BODIES = Map.of(
      "/api/v1/pools/{name}/quota", "{\"maxActive\":4,\"memoryBudgetBytes\":1024,\"cpuBudget\":2,\"minActive\":0}",
      "/api/v1/workers", "{\"name\":\"w-new\",\"url\":\"http://127.0.0.1:1\"}");

  private TestServer s;
  private JsonNode doc;

  @BeforeAll
  void start() throws Exception {
    s = new TestServer();
    doc = json(s.get("/openapi.json", null));
  }

  @AfterAll
  void stop() throws Exception {
    s.close();
  }

  private record Op(String method, String template) {}

  private List<Op> documented() {
    List<Op> ops = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      path.getValue().fieldNames().forEachRemaining(m -> ops.add(new Op(m.toUpperCase(Locale.ROOT), path.getKey())));
    }
    return ops;
  }

  @Test
  void documentIsOpenApi3WithResponsesAndSchemas() {
    assertTrue(doc.get("openapi").asText().startsWith("3."));
    assertTrue(documented().size() >= 20, documented().toString());
    for (Op op : documented()) {
      JsonNode o = doc.get("paths").get(op.template()).get(op.method().toLowerCase(Locale.ROOT));
      assertFalse(o.get("responses").isEmpty(), op.toString());
      o.findValues("$ref").forEach(ref -> {
        String name = ref.asText().substring("#/components/schemas/".length());
        assertTrue(doc.get("components").get("schemas").has(name), "missing schema " + name);
      });
    }
  }

  @Test
  void everyDocumentedOperationExists() throws Exception {
    for (Op op : documented()) {
      String path = op.template().replace("{name}", EXISTING.getOrDefault(op.template(), "doc-writer"))
          .replace("{id}", EXISTING.getOrDefault(op.template(), "x"))
          .replace("{file}", EXISTING.getOrDefault(op.template(), "x"));
      String body = BODIES.get(op.template());
      var r = op.template().endsWith("/stream")
          ? s.send("HEAD".equals(op.method()) ? "HEAD" : "GET", path + "?access_token=nope", null, null, null)
          : s.send(op.method(), path, OPERATOR, body == null ? null : "application/json", body);
      assertNotEquals(404, r.statusCode(), op + " -> " + r.body());
      assertNotEquals(405, r.statusCode(), op + " -> " + r.body());
    }
  }

  @Test
  void everyRouteIsDocumented() throws Exception {
    Set<String> literals = new LinkedHashSet<>();
    for (Op op : documented()) {
      for (String seg : op.template().split("/")) {
        if (!seg.isEmpty() && !seg.startsWith("{")) {
          literals.add(seg);
        }
      }
    }
    List<String> vocab = new ArrayList<>(literals);
    vocab.addAll(List.of("doc-writer", "core", "sim-1", "b-20261127", "zzz"));
    List<String> paths = new ArrayList<>();
    paths.add("/");
    for (String a : vocab) {
      paths.add("/" + a);
      paths.add("/api/v1/" + a);
      for (String b : vocab) {
        paths.add("/" + a + "/" + b);
        paths.add("/api/v1/" + a + "/" + b);
      }
    }
    for (String a : List.of("agents", "pools", "workers", "baselines", "events")) {
      for (String b : List.of("doc-writer", "core", "sim-1", "stream")) {
        for (String c : vocab) {
          paths.add("/api/v1/" + a + "/" + b + "/" + c);
        }
      }
    }
    List<String> undocumented = new ArrayList<>();
    for (String path : paths) {
      for (String method : METHODS) {
        int status = s.statusInProcess(method, path, OPERATOR);
        if (status != 404 && status != 405 && !isDocumented(method, path)) {
          undocumented.add(method + " " + path + " -> " + status);
        }
      }
    }
    assertEquals(List.of(), undocumented);
  }

  private boolean isDocumented(String method, String path) {
    for (Op op : documented()) {
      String[] t = op.template().split("/", -1);
      String[] p = path.split("/", -1);
      if (!op.method().equals(method) || t.length != p.length) {
        continue;
      }
      boolean match = true;
      for (int i = 0; i < t.length && match; i++) {
        match = t[i].startsWith("{") ? !p[i].isEmpty() : t[i].equals(p[i]);
      }
      if (match) {
        return true;
      }
    }
    return false;
  }
}
