package ai.sutazai.inference;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.stream.Materializer;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal scriptable Ollama stand-in for the router's tests (not the simulator): answers the health
 * check, /api/tags and /api/ps from fixed sets, and /api/generate, /api/chat, /api/embed in the way
 * {@link #mode} says: normal, a 5xx, a stream that breaks after one line, an endless stream, or held until
 * the test lets go; or replays one saved example.
 */
public final class FakeOllama implements AutoCloseable {
  enum Mode { NORMAL, STATUS_500, STATUS_503, MID_STREAM_FAIL, ENDLESS, HOLD }

  static final ContentType.WithFixedCharset NDJSON =
      ContentTypes.create(MediaTypes.applicationWithFixedCharset("x-ndjson", akka.http.javadsl.model.HttpCharsets.UTF_8));

  final String name;
  volatile Set<String> installed;
  volatile Set<String> loaded;
  volatile Mode mode = Mode.NORMAL;
  volatile boolean healthy = true;
  volatile JsonNode replay;
  volatile CompletableFuture<Done> held = new CompletableFuture<>();
  final CompletableFuture<Done> endlessTerminated = new CompletableFuture<>();
  final AtomicInteger inferenceRequests = new AtomicInteger();
  final AtomicInteger holding = new AtomicInteger();
  /** The next this many requests are answered 503 (queue full) whatever the mode. */
  final AtomicInteger rejectNext = new AtomicInteger();
  final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
  private final ActorSystem<?> system;
  private final ServerBinding binding;

  public FakeOllama(ActorSystem<?> system, String name, Set<String> installed, Set<String> loaded) throws Exception {
    this.system = system;
    this.name = name;
    this.installed = installed;
    this.loaded = loaded;
    this.binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(this::handle)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  public String url() {
    return "http://127.0.0.1:" + binding.localAddress().getPort();
  }

  WorkerConfig config(int numParallel) {
    return new WorkerConfig(name, url(), numParallel);
  }

  private CompletionStage<HttpResponse> handle(HttpRequest req) {
    String path = req.getUri().path();
    if (path.equals("/")) {
      req.discardEntityBytes(system);
      return done(healthy ? HttpResponse.create().withEntity("Ollama is running")
          : HttpResponse.create().withStatus(500));
    }
    if (path.equals("/api/tags") || path.equals("/api/ps")) {
      Set<String> names = path.equals("/api/tags") ? installed : loaded;
      StringBuilder sb = new StringBuilder("{\"models\":[");
      int i = 0;
      for (String n : names) {
        sb.append(i++ > 0 ? "," : "").append("{\"name\":\"").append(n).append("\",\"model\":\"").append(n)
            .append("\",\"size\":1,\"digest\":\"ab\",\"details\":{}}");
      }
      return done(HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, sb.append("]}").toString()));
    }
    return req.entity().toStrict(5000, Materializer.matFromSystem(system)).thenCompose(strict -> {
      JsonNode body;
      try {
        body = UpstreamHttp.JSON.readTree(strict.getData().toArray());
      } catch (java.io.IOException e) {
        return done(HttpResponse.create().withStatus(400));
      }
      bodies.add(body);
      inferenceRequests.incrementAndGet();
      return answer(path, body);
    });
  }

  private CompletionStage<HttpResponse> answer(String path, JsonNode body) {
    JsonNode example = replay;
    if (example != null) {
      return done(replayed(example));
    }
    String model = body.path("model").asText();
    boolean stream = !body.has("stream") || body.get("stream").asBoolean(true);
    if (rejectNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return done(HttpResponse.create().withStatus(503).withEntity(ContentTypes.APPLICATION_JSON,
          "{\"error\":\"" + RouterErrors.QUEUE_FULL + "\"}"));
    }
    switch (mode) {
      case STATUS_500:
        return done(HttpResponse.create().withStatus(500).withEntity(ContentTypes.APPLICATION_JSON,
            "{\"error\":\"runner crashed\"}"));
      case STATUS_503:
        return done(HttpResponse.create().withStatus(503).withEntity(ContentTypes.APPLICATION_JSON,
            "{\"error\":\"" + RouterErrors.QUEUE_FULL + "\"}"));
      case MID_STREAM_FAIL:
        return done(HttpResponse.create().withEntity(HttpEntities.createChunked(NDJSON,
            Source.single(ByteString.fromString(line(model, "Hel", false)))
                .concat(Source.single(ByteString.emptyByteString()).initialDelay(Duration.ofMillis(100))
                    .map(b -> {
                      throw new IllegalStateException("runner died");
                    })))));
      case ENDLESS:
        Source<ByteString, ?> ticks = Source.tick(Duration.ZERO, Duration.ofMillis(5),
                ByteString.fromString(line(model, "x", false)))
            .watchTermination((mat, fut) -> fut.whenComplete((d, e) -> endlessTerminated.complete(Done.getInstance())));
        return done(HttpResponse.create().withEntity(HttpEntities.createChunked(NDJSON, ticks)));
      case HOLD:
        holding.incrementAndGet();
        return held.thenApply(d -> {
          holding.decrementAndGet();
          return normal(path, model, stream);
        });
      default:
        return done(normal(path, model, stream));
    }
  }

  private HttpResponse normal(String path, String model, boolean stream) {
    if (path.equals("/api/embed")) {
      return HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON,
          "{\"model\":\"" + model + "\",\"embeddings\":[[0.6,0.8]]}");
    }
    if (!stream) {
      return HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, line(model, "Hello", true).trim());
    }
    String all = line(model, "Hel", false) + line(model, "lo", false) + line(model, "", true);
    return HttpResponse.create().withEntity(HttpEntities.createChunked(NDJSON,
        Source.from(List.of(all.split("(?<=\n)"))).map(ByteString::fromString)));
  }

  private String line(String model, String text, boolean done) {
    return "{\"model\":\"" + model + "\",\"created_at\":\"2026-01-01T00:00:00Z\",\"response\":\"" + text
        + "\",\"done\":" + done + (done ? ",\"done_reason\":\"stop\",\"eval_count\":20,\"eval_duration\":500000000" : "")
        + "}\n";
  }

  private HttpResponse replayed(JsonNode example) {
    JsonNode resp = example.get("response");
    int status = example.path("status").asInt(200);
    try {
      if (example.path("streaming").asBoolean()) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode line : resp) {
          sb.append(UpstreamHttp.JSON.writeValueAsString(line)).append('\n');
        }
        return HttpResponse.create().withStatus(status).withEntity(HttpEntities.createChunked(NDJSON,
            Source.from(List.of(sb.toString().split("(?<=\n)"))).map(ByteString::fromString)));
      }
      return HttpResponse.create().withStatus(status).withEntity(ContentTypes.APPLICATION_JSON,
          UpstreamHttp.JSON.writeValueAsBytes(resp));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static CompletionStage<HttpResponse> done(HttpResponse r) {
    return CompletableFuture.completedFuture(r);
  }

  @Override
  public void close() throws Exception {
    held.complete(Done.getInstance());
    binding.unbind().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  void unbindNow() throws Exception {
    binding.terminate(Duration.ofMillis(100)).toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

}
