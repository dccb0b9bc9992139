package ai.sutazai.api;

import static ai.sutazai.api.TestServer.OPERATOR;
import static ai.sutazai.api.TestServer.VIEWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** No client input may cause a 5xx: a table of bad requests, then a bounded random fuzz over all routes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadRequestTest {
  private static final String JSON = "application/json";
  private static final String QUOTA = "/api/v1/pools/core/quota";
  private TestServer s;

  @BeforeAll
  void start() throws Exception {
    s = new TestServer();
  }

  @AfterAll
  void stop() throws Exception {
    s.close();
  }

  static Stream<Arguments> table() {
    return Stream.of(
        // method, path, token, content type, body, status, field
        Arguments.of("PUT", QUOTA, OPERATOR, JSON, "", 400, null),
        Arguments.of("PUT", QUOTA, OPERATOR, JSON, "null", 400, "body"),
        Arguments.of("PUT", QUOTA, OPERATOR, JSON, "[]", 400, "body"),
        Arguments.of("PUT", QUOTA, OPERATOR, JSON, "\"text\"", 400, "body"),
        Arguments.of("PUT", QUOTA, OPERATOR, JSON, "{", 400, null),
        Arguments.of("PUT", QUOTA, OPERATOR, JSON, "{}", 400, "maxActive"),
        Arguments.of("PUT", QUOTA, OPERATOR, JSON, quota("1.5", "1", "1", "0"), 400, "maxActive"),
        Arguments.of("PUT", QUOTA, OPERATOR, JSON, quota("null", "1", "1", "0"), 400, "maxActive"),
        Arguments.of("PUT", QUOTA, OPERATOR, JSON, quota("99999999999", "1", "1", "0"), 400, "maxActive"),
        Arguments.of("PUT", QUOTA, OPERATOR, JSON, quota("1", "-5", "1", "0"), 400, "memoryBudgetBytes"),
        Arguments.of("PUT", QUOTA, OPERATOR, JSON, quota("1", "1e40", "1", "0"), 400, "memoryBudgetBytes"),
        Arguments.of("PUT", QUOTA, OPERATOR, JSON, quota("1", "1", "-0.5", "0"), 400, "cpuBudget"),
        Arguments.of("PUT", QUOTA, OPERATOR, JSON, quota("1", "1", "1e300", "0"), 400, "cpuBudget"),
        Arguments.of("PUT", QUOTA, OPERATOR, JSON, quota("1", "1", "\"many\"", "0"), 400, "cpuBudget"),
        Arguments.of("PUT", QUOTA, OPERATOR, JSON, quota("1", "1", "1", "0") + "{}", 400, null),
        Arguments.of("PUT", QUOTA, OPERATOR, JSON, "{\"maxActive\":1,\"maxActive\":2}", 400, null),
        Arguments.of("PUT", QUOTA, OPERATOR, JSON, "[".repeat(2000), 400, null),
        Arguments.of("PUT", QUOTA, OPERATOR, "application/xml", "<quota/>", 415, "Content-Type"),
        Arguments.of("PUT", QUOTA, OPERATOR, "application/x-www-form-urlencoded", "maxActive=1", 415, "Content-Type"),
        Arguments.of("PUT", "/api/v1/pools/%00/quota", OPERATOR, JSON, quota("1", "1", "1", "0"), 404, null),
        Arguments.of("POST", "/api/v1/workers", OPERATOR, JSON, "{\"name\":\"w\"}", 400, "url"),
        Arguments.of("POST", "/api/v1/workers", OPERATOR, JSON, "{\"name\":5,\"url\":\"http://a:1\"}", 400, "name"),
        Arguments.of("POST", "/api/v1/workers", OPERATOR, JSON, "{\"name\":\"w\",\"url\":\"http://\"}", 400, "url"),
        Arguments.of("POST", "/api/v1/workers", OPERATOR, JSON, "{\"name\":\"w\",\"url\":\"http://u:p@h:1\"}", 400, "url"),
        Arguments.of("POST", "/api/v1/workers", OPERATOR, JSON, "{\"name\":\"w\",\"url\":\"javascript:alert(1)\"}", 400, "url"),
        Arguments.of("POST", "/api/v1/workers", OPERATOR, JSON, "{\"name\":\"\",\"url\":\"http://a:1\"}", 400, "name"),
        Arguments.of("POST", "/api/v1/workers", OPERATOR, JSON, "{\"name\":\"" + "n".repeat(64) + "\",\"url\":\"http://a:1\"}", 400, "name"),
        Arguments.of("POST", "/api/v1/workers", OPERATOR, JSON, "{\"name\":\"w\",\"url\":\"http://a:1\",\"x\":1}", 400, "x"),
        Arguments.of("GET", "/api/v1/agents?state=", VIEWER, null, null, 400, "state"),
        Arguments.of("GET", "/api/v1/agents/doc-writer/events?limit=-1", VIEWER, null, null, 400, "limit"),
        Arguments.of("GET", "/api/v1/agents/doc-writer/events?limit=1e3", VIEWER, null, null, 400, "limit"),
        Arguments.of("GET", "/api/v1/agents/doc-writer/events?before=0", VIEWER, null, null, 400, "before"),
        Arguments.of("GET", "/api/v1/agents/doc-writer/events?before=99999999999999999999", VIEWER, null, null, 400, "before"),
        Arguments.of("GET", "/api/v1/history?minutes=abc", VIEWER, null, null, 400, "minutes"),
        Arguments.of("GET", "/api/v1/agents/" + "a".repeat(300), VIEWER, null, null, 404, null),
        Arguments.of("GET", "/api/v1/agents/%E2%98%83", VIEWER, null, null, 404, null),
        Arguments.of("POST", "/api/v1/agents/%2F..%2F/activate", OPERATOR, null, null, 404, null),
        Arguments.of("POST", "/api/v1/agents/doc-writer/explode", OPERATOR, null, null, 404, null),
        Arguments.of("PATCH", "/api/v1/agents/doc-writer", OPERATOR, null, null, 405, "method"),
        Arguments.of("GET", "/api/v2/agents", OPERATOR, null, null, 404, null));
  }

  private static String quota(String max, String mem, String cpu, String min) {
    return "{\"maxActive\":" + max + ",\"memoryBudgetBytes\":" + mem + ",\"cpuBudget\":" + cpu + ",\"minActive\":" + min + "}";
  }

  @ParameterizedTest(name = "{0} {1} {3} {4} -> {5}")
  @MethodSource("table")
  void badRequestsGetAProblem(String method, String path, String token, String type, String body, int status,
      String field) throws Exception {
    var r = s.send(method, path, token, type, body);
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    var p = TestServer.json(r);
    assertEquals(status, p.get("status").asInt());
    if (field != null) {
      assertEquals(field, p.path("field").asText(), p.toString());
    }
  }

  private static final String[] TEMPLATES = {
      "/api/v1/agents", "/api/v1/agents/{n}", "/api/v1/agents/{n}/activate", "/api/v1/agents/{n}/deactivate",
      "/api/v1/agents/{n}/reset", "/api/v1/agents/{n}/events", "/api/v1/containers", "/api/v1/pools",
      "/api/v1/pools/{n}/quota", "/api/v1/workers", "/api/v1/workers/{n}", "/api/v1/alerts", "/api/v1/baselines",
      "/api/v1/baselines/{n}", "/api/v1/capacity", "/api/v1/history", "/health", "/metrics", "/openapi.json", "/",
      "/assets/{n}", "/api/v1/{n}", "/{n}"};
  private static final String[] SEGMENTS = {
      "doc-writer", "core", "on-demand", "sim-1", "ollama-1", "log-summariser", "b-20261127", "app.js", "x", "-",
      "..", "%2e%2e", "%2F", "%00", "%FF", "%C3%A9", "a%20b", "%25", "%7B%7D", "A".repeat(200), "0", "-1",
      "null", "%22%3Cscript%3E"};
  private static final String[] QUERIES = {
      "", "?state=HEALTHY", "?state=%00", "?pool=core", "?limit=5", "?limit=x", "?before=3", "?before=-9",
      "?minutes=60", "?minutes=99999", "?access_token=" + VIEWER, "?access_token=", "?limit=1&limit=2", "?%FF=1"};
  private static final String[] TYPES = {
      null, JSON, "application/json; charset=utf-8", "text/plain", "application/octet-stream", "multipart/form-data",
      "application/problem+json"};
  private static final String[] METHODS = {"GET", "GET", "POST", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"};

  @Test
  void randomRequestsNeverCauseA5xx() throws Exception {
    Random random = new Random(20261127L);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      String method = pick(random, METHODS);
      String path = pick(random, TEMPLATES).replace("{n}", pick(random, SEGMENTS)) + pick(random, QUERIES);
      String token = switch (random.nextInt(4)) {
        case 0 -> null;
        case 1 -> VIEWER;
        case 2 -> OPERATOR;
        default -> "garbage-" + random.nextInt(1000);
      };
      String type = pick(random, TYPES);
      String body = method.equals("GET") || method.equals("HEAD") ? null : randomBody(random);
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.base + path)).timeout(Duration.ofSeconds(30));
      if (token != null) {
        b.header("Authorization", random.nextInt(10) == 0 ? "Token " + token : "Bearer " + token);
      }
      if (type != null) {
        b.header("Content-Type", type);
      }
      b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      if (path.contains("/events/stream") || path.endsWith("/stream")) {
        continue;
      }
      HttpResponse<String> r = s.client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      boolean notImplemented = r.statusCode() == 501 && r.body().contains("not-implemented");
      if (r.statusCode() >= 500 && !notImplemented) {
        failures.add(method + " " + path + " " + type + " " + abbreviate(body) + " -> " + r.statusCode() + " " + r.body());
      }
      if (r.statusCode() >= 400 && !method.equals("HEAD")
          && !r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
        failures.add(method + " " + path + " -> " + r.statusCode() + " without a problem body: " + abbreviate(r.body()));
      }
    }
    assertEquals(List.of(), failures);
  }

  private static String pick(Random r, String[] from) {
    return from[r.nextInt(from.length)];
  }

  private static String abbreviate(String s) {
    return s == null ? "null" : s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  private static String randomBody(Random r) {
    String[] values = {"0", "-1", "1.5", "1e309", "-1e309", "9223372036854775808", "\"x\"", "\"\"", "null", "true",
        "[]", "{}", "[1,2]", "{\"a\":{\"b\":1}}", "\"http://127.0.0.1:1\"", "\"\\u0000\"", "\"" + "z".repeat(300) + "\""};
    String[] fields = {"maxActive", "memoryBudgetBytes", "cpuBudget", "minActive", "name", "url", "extra", ""};
    return switch (r.nextInt(7)) {
      case 0 -> null;
      case 1 -> "";
      case 2 -> {
        StringBuilder sb = new StringBuilder("{");
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
          sb.append(i > 0 ? "," : "").append('"').append(pick(r, fields)).append("\":").append(pick(r, values));
        }
        yield sb.append('}').toString();
      }
      case 3 -> {
        byte[] bytes = new byte[r.nextInt(200)];
        r.nextBytes(bytes);
        yield new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
      }
      case 4 -> "{\"maxActive\":" + r.nextInt() + ",\"memoryBudgetBytes\":" + r.nextLong() + ",\"cpuBudget\":"
          + r.nextDouble() * 100 + ",\"minActive\":" + r.nextInt(5) + "}";
      case 5 -> "x".repeat(r.nextInt(10_000));
      default -> "[".repeat(r.nextInt(100)) + "{\"name\":";
    };
  }
}
