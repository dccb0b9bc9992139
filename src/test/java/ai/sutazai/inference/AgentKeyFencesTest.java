package ai.sutazai.inference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.common.AgentKeys;
import ai.sutazai.common.Tokens;
import akka.Done;
import akka.util.ByteString;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The inference port's fences: a request speaks for an agent only with that agent's key, model administration
 * needs an operator token, and the bytes held for queued requests are capped.
 */
class AgentKeyFencesTest {
  private static final String M = "llama3.2:latest";
  private static final String GEN = "{\"model\":\"llama3.2\",\"prompt\":\"hi\",\"stream\":false}";
  private final RouterFixture f = new RouterFixture();
  private final List<String> admitted = new CopyOnWriteArrayList<>();
  private final AgentGateway gateway = new AgentGateway() {
    @Override
    public CompletionStage<AgentAdmission> admit(String agent) {
      admitted.add(agent);
      return CompletableFuture.completedFuture(AgentAdmission.admit(10));
    }

    @Override
    public void finished(String agent) {}

    @Override
    public boolean knows(String agent) {
      return Set.of("coder", "writer").contains(agent);
    }
  };

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  private FakeOllama start(Map<String, Object> extra) throws Exception {
    FakeOllama w = f.fake("w", Set.of(M), Set.of(M));
    Map<String, Object> settings = new HashMap<>(RouterFixture.fastSettings());
    settings.putAll(extra);
    f.start(settings, List.of(w.config(2)), gateway);
    f.awaitModels("w", M);
    return w;
  }

  @Test
  void aRequestNamingAnAgentWithoutItsKeyIsAnonymous() throws Exception {
    start(Map.of());
    String writerKey = RouterFixture.KEYS.keyOf("writer");
    assertEquals(200, f.post("/api/generate", GEN, "X-Sutazai-Agent", "coder", RouterFixture.NO_KEY, "x").status());
    assertEquals(200, f.post("/api/generate", GEN, "X-Sutazai-Agent", "coder", "X-Sutazai-Agent-Key", writerKey).status());
    assertEquals(200, f.post("/agents/coder/api/generate", GEN).status());
    assertEquals(200, f.post("/agents/coder/" + writerKey + "/api/generate", GEN).status());
    assertEquals(List.of(), admitted, "none of these may activate coder, take its priority or mark it busy");

    assertEquals(200, f.post("/agents/coder/" + RouterFixture.KEYS.keyOf("coder") + "/api/generate", GEN).status());
    assertEquals(200, f.post("/api/generate", GEN, "X-Sutazai-Agent", "writer").status()); // the fixture adds its key
    assertEquals(List.of("coder", "writer"), admitted);
  }

  @Test
  void whenRequiredANamedAgentWithoutItsKeyIsRefused() throws Exception {
    start(Map.of("sutazai.inference.agent-keys.require", "on"));
    var refused = f.post("/agents/coder/api/generate", GEN);
    assertEquals(401, refused.status(), refused.body());
    assertTrue(refused.body().contains("named without its key"), refused.body());
    assertEquals(401, f.post("/api/generate", GEN, "X-Sutazai-Agent", "coder", RouterFixture.NO_KEY, "x").status());
    assertEquals(200, f.post("/agents/coder/" + RouterFixture.KEYS.keyOf("coder") + "/api/generate", GEN).status());
    assertEquals(200, f.post("/api/generate", GEN).status(), "a request that names no agent is not refused");
    assertEquals(List.of("coder"), admitted);
  }

  @Test
  void requireIsOnByDefaultBeyondLoopback() {
    assertTrue(InferenceSettings.loopback("127.0.0.1"));
    assertTrue(!InferenceSettings.loopback("0.0.0.0"));
    InferenceSettings wide = InferenceSettings.from(ai.sutazai.common.Settings.load(null, ai.sutazai.common.Settings.of(
        Map.of("sutazai.inference.bind", "0.0.0.0"))));
    assertTrue(wide.requireAgentKey());
    InferenceSettings local = InferenceSettings.from(ai.sutazai.common.Settings.load(null));
    assertTrue(!local.requireAgentKey());
  }

  @Test
  void modelAdministrationNeedsAnOperatorToken() throws Exception {
    start(Map.of("sutazai.inference.auth.tokens", List.of("agent-token")));
    String pull = "{\"model\":\"llama3.2\"}";
    var none = f.post("/api/pull", pull, "Authorization", "Bearer agent-token");
    assertEquals(403, none.status(), none.body());
    assertTrue(none.body().contains("operator-tokens"), none.body());
    assertEquals(403, f.post("/api/copy", "{\"source\":\"a\",\"destination\":\"b\"}",
        "Authorization", "Bearer agent-token").status());
    assertEquals(403, f.post("/api/create", "{\"model\":\"b\"}", "Authorization", "Bearer agent-token").status());
    assertEquals(401, f.post("/api/pull", pull).status());
    var ok = f.post("/api/pull", pull, "Authorization", "Bearer " + RouterFixture.OPERATOR);
    assertEquals(200, ok.status(), ok.body());
    assertEquals(200, f.post("/api/generate", GEN, "Authorization", "Bearer agent-token").status());
  }

  @Test
  void theBytesHeldForQueuedRequestsAreCapped() throws Exception {
    FakeOllama w = start(Map.of("sutazai.inference.max-queued-bytes", 1000));
    w.mode = FakeOllama.Mode.HOLD;
    String big = "{\"model\":\"llama3.2\",\"stream\":false,\"prompt\":\"" + "x".repeat(600) + "\"}";
    var first = f.postAsync("/api/generate", big);
    await().until(() -> w.holding.get() == 1);
    var second = f.post("/api/generate", big);
    assertEquals(503, second.status(), second.body());
    assertTrue(second.body().contains("max-queued-bytes"), second.body());
    assertTrue(second.header("Retry-After").isPresent());
    w.held.complete(Done.getInstance());
    assertEquals(200, first.get(10, TimeUnit.SECONDS).status());
    w.mode = FakeOllama.Mode.NORMAL;
    assertEquals(200, f.post("/api/generate", big).status(), "the bytes are given back when the answer is sent");
  }

  @Test
  void theModelIsReadWithoutParsingTheWholeBody() throws Exception {
    // Stops at the field: what follows (here cut short) is never parsed, so no tree of a long prompt is built.
    assertEquals("m", InferenceServer.modelField(ByteString.fromString("{\"model\":\"m\",\"messages\":[{\"role\""), false));
    assertEquals("m", InferenceServer.modelField(ByteString.fromString(
        "{\"messages\":[{\"role\":\"user\",\"content\":{\"model\":\"no\"}}],\"model\":\"m\"}"), false));
    assertEquals("n", InferenceServer.modelField(ByteString.fromString("{\"name\":\"n\"}"), true));
    assertEquals("", InferenceServer.modelField(ByteString.fromString("{\"model\":null}"), false));
    Exception e = assertThrows(Exception.class, () -> InferenceServer.modelField(ByteString.fromString("{\"model\":3}"), false));
    assertTrue(e.getMessage().contains("cannot unmarshal number"), e.getMessage());
    assertThrows(Exception.class, () -> InferenceServer.modelField(ByteString.fromString("[1]"), false));
    assertThrows(Exception.class, () -> InferenceServer.modelField(ByteString.fromString("{\"prompt\":"), false));
  }

  @Test
  void theSecretIsMadeOnceInTheDataDirectoryReadableByItsOwnerOnly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    var conf = ai.sutazai.common.Settings.of(Map.of("sutazai.data-dir", dir.resolve("data").toString()));
    String key = AgentKeys.from(conf).keyOf("coder");
    java.nio.file.Path secret = dir.resolve("data").resolve("agent-keys.secret");
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        java.nio.file.Files.getPosixFilePermissions(secret)));
    assertEquals(key, AgentKeys.from(conf).keyOf("coder"), "the next start reads the same secret");
  }

  @Test
  void headerValuesNeverReachTheWarnings() {
    var conf = ai.sutazai.common.Settings.load(null);
    var server = InferenceServer.serverSettings(InferenceSettings.from(conf), conf);
    assertTrue(!server.getParserSettings().getIllegalHeaderWarnings(),
        "Akka's illegal-header warning quotes the value (a malformed Authorization header's token)");
  }

  @Test
  void keysAndTokens() {
    AgentKeys keys = AgentKeys.ofSecret("s");
    assertEquals(AgentKeys.KEY_LENGTH, keys.keyOf("coder").length());
    assertTrue(keys.valid("coder", keys.keyOf("coder")));
    assertTrue(!keys.valid("writer", keys.keyOf("coder")));
    assertTrue(!AgentKeys.ofSecret("t").valid("coder", keys.keyOf("coder")), "another secret, other keys");
    assertTrue(Tokens.matches(List.of("a", "bb"), "bb"));
    assertTrue(!Tokens.matches(List.of("a", "bb"), "b"));
    assertTrue(!Tokens.matches(List.of(), "a"));
    assertEquals("t", Tokens.bearer("bearer t "));
  }
}
