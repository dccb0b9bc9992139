package ai.sutazai.api;

import static ai.sutazai.api.TestServer.OPERATOR;
import static ai.sutazai.api.TestServer.VIEWER;
import static ai.sutazai.api.TestServer.json;
import static ai.sutazai.api.TestServer.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.api.view.AgentState;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagementApiTest {
  private TestServer s;

  @BeforeAll
  void start() throws Exception {
    s = new TestServer();
  }

  @AfterAll
  void stop() throws Exception {
    s.close();
  }

  private static void assertProblem(HttpResponse<String> r, int status, String field) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
        r.headers().toString());
    JsonNode p = json(r);
    assertEquals(status, p.get("status").asInt());
    assertTrue(p.get("type").asText().startsWith("https://"), p.toString());
    assertFalse(p.get("title").asText().isEmpty());
    assertFalse(p.get("detail").asText().isEmpty());
    if (field != null) {
      assertEquals(field, p.path("field").asText(), p.toString());
    }
  }

  @Test
  void listsAgentsSortedAndFiltered() throws Exception {
    var all = s.get("/api/v1/agents", VIEWER);
    assertEquals(200, all.statusCode());
    List<String> names = names(json(all), "name");
    assertEquals(names.stream().sorted().toList(), names);
    assertTrue(names.contains("ollama-gateway"));
    var healthyCore = json(s.get("/api/v1/agents?state=healthy&pool=core", VIEWER));
    healthyCore.forEach(a -> {
      assertEquals("HEALTHY", a.get("state").asText());
      assertEquals("core", a.get("pool").asText());
    });
    assertTrue(names(healthyCore, "name").contains("task-coordinator"));
    assertProblem(s.get("/api/v1/agents?state=sleepy", VIEWER), 400, "state");
  }

  @Test
  void oneAgentAndUnknownAgent() throws Exception {
    JsonNode a = json(s.get("/api/v1/agents/doc-writer", VIEWER));
    assertEquals("doc-writer", a.get("name").asText());
    assertEquals("on-demand", a.get("pool").asText());
    assertEquals(1L << 30, a.get("memoryRequestBytes").asLong());
    assertProblem(s.get("/api/v1/agents/nobody", VIEWER), 404, null);
    assertProblem(s.get("/api/v1/agents/%2e%2e", VIEWER), 404, null);
  }

  @Test
  void activationIsQueuedWhenThePoolIsFull() throws Exception {
    // on-demand allows 2 active; doc-writer and test-generator hold both.
    var r = s.send("POST", "/api/v1/agents/data-analyst/activate", OPERATOR, null, null);
    assertEquals(202, r.statusCode(), r.body());
    JsonNode body = json(r);
    assertEquals("queued", body.get("status").asText());
    assertEquals(2, body.get("queuePosition").asInt());
    assertTrue(s.backend.activations.contains("data-analyst"));
    var pools = json(s.get("/api/v1/pools", VIEWER));
    JsonNode onDemand = null;
    for (JsonNode p : pools) {
      if (p.get("name").asText().equals("on-demand")) {
        onDemand = p;
      }
    }
    assertEquals(List.of("security-scanner", "data-analyst"), names(onDemand.get("queue"), "agent"));
  }

  @Test
  void activatingAnActiveAgentAnswers200AndACrashLoopAnswers409() throws Exception {
    var r = s.send("POST", "/api/v1/agents/ollama-gateway/activate", OPERATOR, null, null);
    assertEquals(200, r.statusCode());
    assertEquals("active", json(r).get("status").asText());
    assertProblem(s.send("POST", "/api/v1/agents/log-summariser/activate", OPERATOR, null, null), 409, null);
    assertProblem(s.send("POST", "/api/v1/agents/ghost/activate", OPERATOR, null, null), 404, null);
  }

  @Test
  void resetClearsACrashLoopOnceDeactivateTwiceConflicts() throws Exception {
    s.backend.setState("task-coordinator", AgentState.CRASH_LOOP, "CrashLoopDetected", "test");
    var r = s.send("POST", "/api/v1/agents/task-coordinator/reset", OPERATOR, null, null);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("INACTIVE", json(r).get("state").asText());
    assertProblem(s.send("POST", "/api/v1/agents/task-coordinator/reset", OPERATOR, null, null), 409, null);
    assertProblem(s.send("POST", "/api/v1/agents/task-coordinator/deactivate", OPERATOR, null, null), 409, null);
    s.backend.setState("code-reviewer", AgentState.HEALTHY, "AgentBecameHealthy", "test");
    assertEquals(202, s.send("POST", "/api/v1/agents/code-reviewer/deactivate", OPERATOR, null, null).statusCode());
  }

  @Test
  void eventsArePagedNewestFirst() throws Exception {
    JsonNode page = json(s.get("/api/v1/agents/log-summariser/events?limit=2", VIEWER));
    assertEquals(List.of("CrashLoopDetected", "AgentBecameHealthy"), names(page.get("events"), "type"));
    long next = page.get("nextBefore").asLong();
    JsonNode older = json(s.get("/api/v1/agents/log-summariser/events?limit=2&before=" + next, VIEWER));
    assertEquals(List.of(2L, 1L), List.of(older.get("events").get(0).get("seqNr").asLong(),
        older.get("events").get(1).get("seqNr").asLong()));
    assertTrue(older.get("nextBefore").isNull());
    assertProblem(s.get("/api/v1/agents/log-summariser/events?limit=0", VIEWER), 400, "limit");
    assertProblem(s.get("/api/v1/agents/log-summariser/events?limit=501", VIEWER), 400, "limit");
    assertProblem(s.get("/api/v1/agents/log-summariser/events?before=x", VIEWER), 400, "before");
  }

  @Test
  void decisionsAreListedNewestFirstPerPool() throws Exception {
    JsonNode all = json(s.get("/api/v1/pools/on-demand/decisions", VIEWER));
    assertEquals(List.of("QUEUED", "ADMITTED"), names(all, "kind"));
    assertEquals("queued security-scanner: max active 2 of 2 in use", all.get(0).get("reason").asText());
    assertEquals("security-scanner", all.get(0).get("agent").asText());
    assertEquals(List.of("QUEUED"), names(json(s.get("/api/v1/pools/on-demand/decisions?limit=1", VIEWER)), "kind"));
    json(s.get("/api/v1/pools/core/decisions", VIEWER)).forEach(d ->
        assertEquals("core", d.get("pool").asText(), "another pool's decisions are not listed"));
    assertProblem(s.get("/api/v1/pools/nopool/decisions", VIEWER), 404, null);
    assertProblem(s.get("/api/v1/pools/on-demand/decisions?limit=0", VIEWER), 400, "limit");
    assertProblem(s.get("/api/v1/pools/on-demand/decisions?limit=501", VIEWER), 400, "limit");
  }

  @Test
  void quotaIsReplacedAndValidated() throws Exception {
    String body = "{\"maxActive\":5,\"memoryBudgetBytes\":6442450944,\"cpuBudget\":3.5,\"minActive\":1}";
    var r = s.send("PUT", "/api/v1/pools/core/quota", OPERATOR, "application/json", body);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(5, json(r).get("quota").get("maxActive").asInt());
    assertProblem(s.send("PUT", "/api/v1/pools/nopool/quota", OPERATOR, "application/json", body), 404, null);
    assertProblem(s.send("PUT", "/api/v1/pools/core/quota", OPERATOR, "application/json",
        "{\"maxActive\":-1,\"memoryBudgetBytes\":1,\"cpuBudget\":1,\"minActive\":0}"), 400, "maxActive");
    assertProblem(s.send("PUT", "/api/v1/pools/core/quota", OPERATOR, "application/json",
        "{\"maxActive\":2,\"memoryBudgetBytes\":1,\"cpuBudget\":1,\"minActive\":3}"), 400, "minActive");
    assertProblem(s.send("PUT", "/api/v1/pools/core/quota", OPERATOR, "application/json",
        "{\"maxActive\":2,\"memoryBudgetBytes\":1,\"cpuBudget\":1,\"minActive\":0,\"colour\":1}"), 400, "colour");
    assertProblem(s.send("PUT", "/api/v1/pools/core/quota", OPERATOR, "application/json",
        "{\"maxActive\":\"2\",\"memoryBudgetBytes\":1,\"cpuBudget\":1,\"minActive\":0}"), 400, "maxActive");
    assertProblem(s.send("PUT", "/api/v1/pools/core/quota", OPERATOR, "application/json",
        "{\"maxActive\":2,\"cpuBudget\":1,\"minActive\":0}"), 400, "memoryBudgetBytes");
    assertProblem(s.send("PUT", "/api/v1/pools/core/quota", OPERATOR, "application/json", "{\"maxActive\":"),
        400, null);
    assertProblem(s.send("PUT", "/api/v1/pools/core/quota", OPERATOR, "text/plain", body), 415, "Content-Type");
    assertProblem(s.send("PUT", "/api/v1/pools/core/quota", OPERATOR, null, null), 415, "Content-Type");
  }

  @Test
  void workersAreAddedAndRemoved() throws Exception {
    var r = s.send("POST", "/api/v1/workers", OPERATOR, "application/json",
        "{\"name\":\"ollama-2\",\"url\":\"http://127.0.0.1:11435\"}");
    assertEquals(201, r.statusCode(), r.body());
    assertEquals("/api/v1/workers/ollama-2", r.headers().firstValue("Location").orElseThrow());
    assertTrue(names(json(s.get("/api/v1/workers", VIEWER)), "name").contains("ollama-2"));
    assertProblem(s.send("POST", "/api/v1/workers", OPERATOR, "application/json",
        "{\"name\":\"ollama-2\",\"url\":\"http://127.0.0.1:11435\"}"), 409, null);
    assertProblem(s.send("POST", "/api/v1/workers", OPERATOR, "application/json",
        "{\"name\":\"ollama-3\",\"url\":\"ftp://x\"}"), 400, "url");
    assertProblem(s.send("POST", "/api/v1/workers", OPERATOR, "application/json",
        "{\"name\":\"bad name\",\"url\":\"http://x:1\"}"), 400, "name");
    assertEquals(200, s.send("DELETE", "/api/v1/workers/ollama-2", OPERATOR, null, null).statusCode());
    assertProblem(s.send("DELETE", "/api/v1/workers/ollama-2", OPERATOR, null, null), 404, null);
  }

  @Test
  void readOnlyResources() throws Exception {
    assertEquals(200, s.get("/api/v1/containers", VIEWER).statusCode());
    assertEquals(1, json(s.get("/api/v1/alerts", VIEWER)).size());
    assertEquals("b-20261127", json(s.get("/api/v1/baselines", VIEWER)).get(0).get("id").asText());
    assertEquals(1800, json(s.get("/api/v1/baselines/b-20261127", VIEWER)).get("durationSeconds").asInt());
    assertProblem(s.get("/api/v1/baselines/b-0", VIEWER), 404, null);
    JsonNode history = json(s.get("/api/v1/history?minutes=60", VIEWER));
    assertTrue(history.get("samples").size() >= 60);
    assertEquals(0.85, history.get("thresholds").get("memoryCriticalRatio").asDouble());
    assertProblem(s.get("/api/v1/history?minutes=0", VIEWER), 400, "minutes");
    // The fake has no capacity analysis: 501 with a problem body.
    assertProblem(s.get("/api/v1/capacity", VIEWER), 501, null);
  }

  @Test
  void authentication() throws Exception {
    assertProblem(s.get("/api/v1/agents", null), 401, null);
    assertProblem(s.get("/api/v1/agents", "wrong"), 401, null);
    assertProblem(s.get("/api/v1/agents", OPERATOR + "x"), 401, null);
    HttpResponse<String> basic = s.client.send(HttpRequest.newBuilder(URI.create(s.base + "/api/v1/agents"))
        .header("Authorization", "Basic b3BzOm9wcw==").build(), HttpResponse.BodyHandlers.ofString());
    assertProblem(basic, 401, null);
    assertTrue(basic.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    // The query token is only for the SSE stream.
    assertProblem(s.get("/api/v1/agents?access_token=" + VIEWER, null), 401, null);
    assertEquals(200, s.get("/api/v1/agents", OPERATOR).statusCode());
    assertProblem(s.send("POST", "/api/v1/agents/doc-writer/activate", VIEWER, null, null), 403, null);
    assertProblem(s.send("DELETE", "/api/v1/workers/sim-1", VIEWER, null, null), 403, null);
    assertProblem(s.send("PUT", "/api/v1/pools/core/quota", VIEWER, "application/json", "{}"), 403, null);
    // The "unset" entry (no token) must not let an empty bearer in.
    assertProblem(s.send("GET", "/api/v1/agents", "", null, null), 401, null);
    assertFalse(s.backend.activations.contains("doc-writer"));
  }

  @Test
  void publicEndpointsAndErrors() throws Exception {
    assertEquals(200, s.get("/health", null).statusCode());
    assertTrue(json(s.get("/health", null)).get("ready").asBoolean());
    assertEquals(200, s.get("/metrics", null).statusCode());
    assertEquals(200, s.get("/openapi.json", null).statusCode());
    assertProblem(s.get("/nothing-here", null), 404, null);
    var r = s.send("DELETE", "/api/v1/agents", OPERATOR, null, null);
    assertProblem(r, 405, "method");
    assertEquals("GET", r.headers().firstValue("Allow").orElse(""));
  }

  @Test
  void bodiesPastTheLimitGet413() throws Exception {
    String big = "{\"name\":\"" + "x".repeat(5000) + "\",\"url\":\"http://a:1\"}";
    assertProblem(s.send("POST", "/api/v1/workers", OPERATOR, "application/json", big), 413, "body");
    // Chunked (no Content-Length): the limit still holds.
    HttpRequest chunked = HttpRequest.newBuilder(URI.create(s.base + "/api/v1/workers"))
        .header("Authorization", "Bearer " + OPERATOR).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes())))
        .build();
    assertProblem(s.client.send(chunked, HttpResponse.BodyHandlers.ofString()), 413, "body");
  }

  @Test
  void backendFailureIs503NotACrash() throws Exception {
    s.backend.broken = true;
    try {
      assertProblem(s.get("/api/v1/agents", VIEWER), 503, null);
      var m = s.get("/metrics", null);
      assertEquals(200, m.statusCode());
      assertTrue(m.body().contains("sutazai_scrape_section_up{section=\"agents\"} 0"), m.body());
    } finally {
      s.backend.broken = false;
    }
    s.backend.ready = false;
    try {
      assertEquals(503, s.get("/health", null).statusCode());
    } finally {
      s.backend.ready = true;
    }
  }

  @Test
  void sseStreamDeliversPushedUpdatesWithASingleUseTicket() throws Exception {
    assertProblem(s.get("/api/v1/events/stream", null), 401, null);
    // The token itself is never taken from the URL (logs, history and captures keep URLs).
    assertProblem(s.get("/api/v1/events/stream?access_token=" + VIEWER, null), 401, null);
    assertProblem(s.get("/api/v1/events/ticket", null), 401, null);
    var issued = s.get("/api/v1/events/ticket", VIEWER);
    assertEquals(200, issued.statusCode(), issued.body());
    assertEquals("no-store", issued.headers().firstValue("Cache-Control").orElse(""));
    String ticket = new com.fasterxml.jackson.databind.ObjectMapper().readTree(issued.body()).get("ticket").asText();
    assertProblem(s.get("/api/v1/events/stream?ticket=forged", null), 401, null);
    HttpRequest req = HttpRequest.newBuilder(URI.create(s.base + "/api/v1/events/stream?ticket=" + ticket))
        .timeout(Duration.ofSeconds(10)).build();
    HttpResponse<java.util.stream.Stream<String>> r =
        s.client.send(req, HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    var lines = r.body().iterator();
    List<String> first = new java.util.ArrayList<>();
    for (String l = lines.next(); !l.isEmpty(); l = lines.next()) {
      first.add(l);
    }
    assertTrue(first.contains("event: ready") || first.contains("event:ready"), first.toString());
    s.backend.pushSample(s.backend.sample(0.4242, 0.5, 3.0, 0.9));
    String data = null;
    while (lines.hasNext()) {
      String line = lines.next();
      if (line.startsWith("data:") && line.contains("0.4242")) {
        data = line;
        break;
      }
    }
    assertTrue(data != null && data.contains("\"cpuRatio\":0.4242"), String.valueOf(data));
    s.backend.push(new ai.sutazai.api.view.LiveUpdate.Decision(new ai.sutazai.api.view.DecisionView("core", "IDLE_STOPPED",
        "doc-writer", "stopped doc-writer: idle 10m", java.time.Instant.parse("2026-11-27T02:00:00Z"))));
    List<String> block = new java.util.ArrayList<>();
    while (lines.hasNext()) {
      String line = lines.next();
      if (!line.isEmpty()) {
        block.add(line);
      } else if (String.join("\n", block).contains("stopped doc-writer: idle 10m")) {
        break;
      } else {
        block.clear();
      }
    }
    String event = String.join("\n", block);
    assertTrue(event.contains("event:decision") || event.contains("event: decision"), event);
    assertTrue(event.contains("\"kind\":\"IDLE_STOPPED\"") && event.contains("\"pool\":\"core\""), event);
    r.body().close();
    // Closing the stream unsubscribes: the server notices on its next write.
    org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100)).until(() -> {
      s.backend.pushSample(s.backend.sample(0.1, 0.5, 3.0, 0.9));
      return s.backend.subscriberCount() == 0;
    });
    assertProblem(s.get("/api/v1/events/stream?ticket=" + ticket, null), 401, null); // used once already
  }
}
