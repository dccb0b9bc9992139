package ai.sutazai.inference;

import ai.sutazai.inference.ollama.ModelNames;
import ai.sutazai.common.Settings;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpMethod;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.RawHeader;
import akka.stream.Materializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** A router on a free loopback port with fast health checks, plus a small HTTP client. */
final class RouterFixture implements AutoCloseable {
  // akka-management drags in akka-http-spray-json 10.2.7 next to Akka HTTP 10.2.10; until pom.xml pins it,
  // Akka HTTP would refuse to start on the mixed versions.
  final ActorTestKit testKit = ActorTestKit.create(com.typesafe.config.ConfigFactory.parseString(
      "akka.loglevel = WARNING\n"
          + "akka.http.host-connection-pool.max-connections = 32\nakka.http.host-connection-pool.max-open-requests = 64"));
  final ActorSystem<Void> system = testKit.system();
  InferenceModule.Handle handle;
  private final List<FakeOllama> fakes = new java.util.ArrayList<>();
  private static int routers;

  /** Generous because the machine is shared; every wait ends as soon as its condition holds. */
  static org.awaitility.core.ConditionFactory await() {
    return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30));
  }

  /** A received response with its body read in full. */
  record Resp(int status, String contentType, String body, HttpResponse raw) {
    Optional<String> header(String name) {
      return raw.getHeader(name).map(h -> h.value());
    }

    List<String> lines() {
      return body.lines().toList();
    }
  }

  /** The agent-key secret of every fixture's router. */
  static final String SECRET = "router-fixture-secret";
  static final ai.sutazai.common.AgentKeys KEYS = ai.sutazai.common.AgentKeys.ofSecret(SECRET);
  /** The operator token of every fixture's router (model administration). */
  static final String OPERATOR = "fixture-operator-token";
  /** A header name that stops {@link #request} from adding the named agent's key. */
  static final String NO_KEY = "X-Test-No-Agent-Key";

  static Map<String, Object> fastSettings() {
    Map<String, Object> m = new HashMap<>();
    m.put("sutazai.inference.agent-keys.secret", SECRET);
    m.put("sutazai.inference.auth.operator-tokens", List.of(OPERATOR));
    m.put("sutazai.inference.port", 0);
    m.put("sutazai.inference.health-interval", "100ms");
    m.put("sutazai.inference.models-interval", "200ms");
    m.put("sutazai.inference.probe-timeout", "3s");
    m.put("sutazai.inference.slot-recovery-interval", "1h");
    m.put("sutazai.inference.circuit-breaker.max-failures", 2);
    m.put("sutazai.inference.circuit-breaker.reset-timeout", "300ms");
    return m;
  }

  RouterFixture start(Map<String, Object> overrides, List<WorkerConfig> workers, AgentGateway gateway)
      throws Exception {
    InferenceSettings s = InferenceSettings.from(Settings.load(null, Settings.of(overrides)));
    handle = InferenceModule.start(system, s, gateway, "router-" + (routers++)).toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    for (WorkerConfig w : workers) {
      handle.addWorker(w).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
    return this;
  }

  RouterFixture start(List<WorkerConfig> workers) throws Exception {
    return start(fastSettings(), workers, AgentGateway.ADMIT_ALL);
  }

  String url() {
    return "http://127.0.0.1:" + handle.port();
  }

  /** Waits until the router has read the worker's model lists. */
  void awaitModels(String worker, String model) {
    await().until(() -> workers().workers().stream()
        .anyMatch(w -> w.name().equals(worker) && w.installed().contains(ModelNames.key(model))));
  }

  RouterReports.Workers workers() throws Exception {
    return handle.workers().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  RouterReports.Worker worker(String name) throws Exception {
    return workers().workers().stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
  }

  Resp post(String path, String json, String... headers) throws Exception {
    return call(HttpMethods.POST, path, json, headers);
  }

  /** Sends without blocking a thread. */
  java.util.concurrent.CompletableFuture<Resp> postAsync(String path, String json, String... headers) {
    return Http.get(system).singleRequest(request(HttpMethods.POST, path, json, headers))
        .thenCompose(r -> r.entity().toStrict(15_000, Materializer.matFromSystem(system))
            .thenApply(strict -> new Resp(r.status().intValue(), r.entity().getContentType().toString(),
                strict.getData().utf8String(), r)))
        .toCompletableFuture();
  }

  Resp call(HttpMethod method, String path, String body, String... headers) throws Exception {
    HttpResponse r = Http.get(system).singleRequest(request(method, path, body, headers))
        .toCompletableFuture().get(15, TimeUnit.SECONDS);
    var strict = r.entity().toStrict(15_000, Materializer.matFromSystem(system)).toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
    return new Resp(r.status().intValue(), r.entity().getContentType().toString(),
        strict.getData().utf8String(), r);
  }

  HttpRequest request(HttpMethod method, String path, String body, String... headers) {
    HttpRequest req = HttpRequest.create(url() + path).withMethod(method);
    if (body != null) {
      req = req.withEntity(ContentTypes.APPLICATION_JSON, body);
    }
    boolean keyed = false;
    for (int i = 0; i + 1 < headers.length; i += 2) {
      req = req.addHeader(RawHeader.create(headers[i], headers[i + 1]));
      keyed |= headers[i].equalsIgnoreCase("X-Sutazai-Agent-Key") || headers[i].equalsIgnoreCase(NO_KEY);
    }
    for (int i = 0; i + 1 < headers.length && !keyed; i += 2) {
      if (headers[i].equalsIgnoreCase("X-Sutazai-Agent")) {
        // The agent's own key, as its container's OLLAMA_HOST carries it (AgentKeys).
        req = req.addHeader(RawHeader.create("X-Sutazai-Agent-Key", KEYS.keyOf(headers[i + 1])));
      }
    }
    return req.removeHeader(NO_KEY);
  }

  /** A fake worker on this fixture's actor system, closed with the fixture. */
  FakeOllama fake(String name, Set<String> installed, Set<String> loaded) throws Exception {
    FakeOllama o = new FakeOllama(system, name, installed, loaded);
    fakes.add(o);
    return o;
  }

  @Override
  public void close() {
    try {
      for (FakeOllama o : fakes) {
        o.close();
      }
    } catch (Exception e) {
      throw new IllegalStateException("closing a fake worker", e);
    } finally {
      testKit.shutdownTestKit();
    }
  }
}
