package ai.sutazai.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.inference.sim.OllamaSimulator;
import ai.sutazai.inference.sim.SimConfig;
import akka.http.javadsl.model.HttpMethods;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example in ../shared/ollama/examples sent through the router to the Ollama simulator, and the same
 * request sent to the simulator directly: status, content type, the line structure and the JSON shape of
 * every line (keys and value types, recursively) must be the same, so the router changes nothing a client
 * can see. (The simulator's own conformance to the examples is tested in the sim package.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouterConformanceTest {
  private final RouterFixture f = new RouterFixture();
  private OllamaSimulator.Running sim;
  private String direct;

  @BeforeAll
  void start() throws Exception {
    sim = OllamaSimulator.start(f.system, SimConfig.defaults().withModels("llama3.2", "llama3.1:8b", "all-minilm")
        .withLoadTime(Duration.ofMillis(20)).withTokensPerSecond(5000).withResponseTokens(8));
    f.start(List.of(new WorkerConfig("sim", sim.url(), 4)));
    f.awaitModels("sim", "all-minilm");
    direct = sim.url();
  }

  @AfterAll
  void stop() {
    sim.close();
    f.close();
  }

  static Path examplesDir() {
    for (Path p : List.of(Path.of("../shared/ollama/examples"), Path.of("/work/shared/ollama/examples"),
        Path.of("../../shared/ollama/examples"))) {
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    throw new IllegalStateException("../shared/ollama/examples not found");
  }

  Stream<Path> examples() throws Exception {
    try (Stream<Path> s = Files.list(examplesDir())) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
    }
  }

  @Test
  void allFourteenExamplesAreFound() throws Exception {
    assertEquals(14, examples().count());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void throughTheRouterTheAnswerHasTheSameShapeAsStraightFromTheWorker(Path file) throws Exception {
    JsonNode ex = UpstreamHttp.JSON.readTree(file.toFile());
    String body = ex.get("request").toString();
    var viaRouter = f.post(ex.get("path").asText(), body);
    var straight = SimDirect.post(f, direct + ex.get("path").asText(), body);
    assertEquals(ex.get("status").asInt(), viaRouter.status(), file + ": " + viaRouter.body());
    assertEquals(straight.status(), viaRouter.status());
    assertEquals(straight.contentType(), viaRouter.contentType(), file.toString());
    assertEquals("sim", viaRouter.header("X-Sutazai-Worker").orElse(""));
    assertEquals("true", viaRouter.header("X-Sutazai-Simulator").orElse(""), "the simulator stays visible");
    List<String> a = straight.lines();
    List<String> b = viaRouter.lines();
    assertEquals(a.size(), b.size(), file + ": line count\n" + straight.body() + "\n" + viaRouter.body());
    for (int i = 0; i < a.size(); i++) {
      List<String> diffs = new ArrayList<>();
      shape("$", UpstreamHttp.JSON.readTree(a.get(i)), UpstreamHttp.JSON.readTree(b.get(i)), diffs);
      assertTrue(diffs.isEmpty(), file + " line " + i + ": " + diffs);
    }
  }

  @Test
  void listingsAndVersionPassThrough() throws Exception {
    JsonNode tags = UpstreamHttp.JSON.readTree(f.call(HttpMethods.GET, "/api/tags", null).body());
    assertEquals(3, tags.get("models").size());
    JsonNode models = UpstreamHttp.JSON.readTree(f.call(HttpMethods.GET, "/v1/models", null).body());
    assertEquals("list", models.get("object").asText());
    assertEquals(3, models.get("data").size());
    var show = f.post("/api/show", "{\"model\":\"llama3.2\"}");
    assertEquals(200, show.status(), show.body());
  }

  @Test
  void openAiStreamsPassThroughAsServerSentEvents() throws Exception {
    var r = f.post("/v1/chat/completions",
        "{\"model\":\"llama3.2\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertEquals(200, r.status(), r.body());
    assertTrue(r.contentType().startsWith("text/event-stream"), r.contentType());
    assertTrue(r.body().startsWith("data: {"), r.body());
    assertTrue(r.body().trim().endsWith("data: [DONE]"), r.body());
    var missing = f.post("/v1/embeddings", "{\"model\":\"nope\",\"input\":\"x\"}");
    assertEquals(404, missing.status());
    assertEquals("not_found_error", UpstreamHttp.JSON.readTree(missing.body()).get("error").get("type").asText());
  }

  @Test
  void modelManagementGoesToTheNamedWorker() throws Exception {
    String op = "Bearer " + RouterFixture.OPERATOR;
    var copy = f.post("/api/copy", "{\"source\":\"llama3.2\",\"destination\":\"my-copy\"}",
        "X-Sutazai-Worker", "sim", "Authorization", op);
    assertEquals(200, copy.status(), copy.body());
    JsonNode tags = UpstreamHttp.JSON.readTree(f.call(HttpMethods.GET, "/api/tags", null).body());
    assertEquals(4, tags.get("models").size());
    f.awaitModels("sim", "my-copy");
    assertEquals(200, f.post("/api/generate", "{\"model\":\"my-copy\",\"prompt\":\"hi\",\"stream\":false}").status());
    var delete = f.call(HttpMethods.DELETE, "/api/delete", "{\"model\":\"my-copy\"}", "Authorization", op);
    assertEquals(200, delete.status(), delete.body());
    var unknown = f.post("/api/pull", "{\"model\":\"llama3.2\"}", "X-Sutazai-Worker", "nobody", "Authorization", op);
    assertEquals(400, unknown.status());
    assertTrue(unknown.body().contains("nobody"), unknown.body());
    var pull = f.post("/api/pull", "{\"model\":\"llama3.2\"}", "Authorization", op);
    assertEquals(200, pull.status(), pull.body());
    assertTrue(pull.body().contains("success"), pull.body());
  }

  private static void shape(String path, JsonNode exp, JsonNode act, List<String> out) {
    if (exp.getNodeType() != act.getNodeType() && !(exp.isNumber() && act.isNumber())) {
      out.add(path + ": " + exp.getNodeType() + " vs " + act.getNodeType());
      return;
    }
    if (exp.isObject()) {
      List<String> ek = new ArrayList<>();
      exp.fieldNames().forEachRemaining(ek::add);
      List<String> ak = new ArrayList<>();
      act.fieldNames().forEachRemaining(ak::add);
      if (!ek.equals(ak)) {
        out.add(path + ": keys " + ek + " vs " + ak);
        return;
      }
      for (Iterator<String> it = exp.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        shape(path + "." + k, exp.get(k), act.get(k), out);
      }
    } else if (exp.isArray() && exp.size() > 0 && act.size() > 0) {
      shape(path + "[0]", exp.get(0), act.get(0), out);
    }
  }

  /** Sends straight to the simulator with the same client. */
  private static final class SimDirect {
    static RouterFixture.Resp post(RouterFixture f, String url, String body) throws Exception {
      var r = akka.http.javadsl.Http.get(f.system).singleRequest(akka.http.javadsl.model.HttpRequest.POST(url)
          .withEntity(akka.http.javadsl.model.ContentTypes.APPLICATION_JSON, body)).toCompletableFuture().get();
      var strict = r.entity().toStrict(15_000, akka.stream.Materializer.matFromSystem(f.system))
          .toCompletableFuture().get();
      return new RouterFixture.Resp(r.status().intValue(), r.entity().getContentType().toString(),
          strict.getData().utf8String(), r);
    }
  }
}
