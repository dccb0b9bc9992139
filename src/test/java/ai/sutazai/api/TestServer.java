package ai.sutazai.api;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A management server on a free loopback port, backed by a {@link FakeBackend}, and an HTTP client. */
final class TestServer implements AutoCloseable {
  static final String OPERATOR = "op-secret-token-1234";
  static final String VIEWER = "viewer-secret-token-5678";

  final FakeBackend backend = new FakeBackend();
  private final ManagementBackend served;
  final ActorSystem<Void> system;
  final ManagementServer server;
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final String base;

  TestServer() throws Exception {
    this("", null);
  }

  /**
   * {@code extraConfig} is HOCON placed over the test defaults; {@code other} replaces the FakeBackend
   * when not null.
   */
  TestServer(String extraConfig, ManagementBackend other) throws Exception {
    served = other == null ? backend : other;
    Config config = ConfigFactory.parseString(extraConfig)
        .withFallback(ConfigFactory.parseString("""
            akka.loglevel = WARNING
            akka.http.server.remote-address-attribute = on
            sutazai.management {
              bind = "127.0.0.1"
              port = 0
              max-body-size = 4KiB
              request-timeout = 3s
              sse-keep-alive = 15s
              history-window = 1h
              auth {
                tokens = [
                  { name = "ops", token = "%s", role = operator }
                  { name = "viewer", token = "%s", role = viewer }
                  { name = "unset", role = operator }
                ]
                public-health = on
                public-metrics = on
              }
            }
            """.formatted(OPERATOR, VIEWER)))
        .withFallback(ConfigFactory.defaultReference()).resolve();
    system = ActorSystem.create(Behaviors.empty(), "api-test", config);
    server = ManagementServer.start(system, ManagementSettings.from(config), served)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + server.address().getPort();
    // First requests load and JIT a lot of Akka HTTP; on a busy machine that alone can take seconds.
    client.send(HttpRequest.newBuilder(URI.create(base + "/openapi.json")).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.discarding());
    handler = new ManagementRoutes(ManagementSettings.from(config), served, ai.sutazai.common.MetricsRegistry.get(system)).route().handler(system);
  }

  private final akka.japi.function.Function<akka.http.javadsl.model.HttpRequest,
      java.util.concurrent.CompletionStage<akka.http.javadsl.model.HttpResponse>> handler;

  /** Status of a body-less request answered by the routes in-process (no socket): for large sweeps. */
  int statusInProcess(String method, String path, String token) throws Exception {
    var req = akka.http.javadsl.model.HttpRequest.create(path)
        .withMethod(akka.http.javadsl.model.HttpMethods.lookup(method).orElseThrow());
    if (token != null) {
      req = req.addHeader(akka.http.javadsl.model.headers.Authorization.oauth2(token));
    }
    var resp = handler.apply(req).toCompletableFuture().get(10, TimeUnit.SECONDS);
    resp.discardEntityBytes(system);
    return resp.status().intValue();
  }

  HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
    return send("GET", path, token, null, null);
  }

  HttpResponse<String> send(String method, String path, String token, String contentType, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> r) throws IOException {
    return Json.MAPPER.readTree(r.body());
  }

  static List<String> names(JsonNode array, String field) {
    List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.get(field).asText()));
    return out;
  }

  @Override
  public void close() throws Exception {
    server.stop(Duration.ofSeconds(1)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
