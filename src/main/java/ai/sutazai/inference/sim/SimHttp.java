package ai.sutazai.inference.sim;

import ai.sutazai.inference.ollama.Stages;
import ai.sutazai.inference.ollama.OllamaErrors;
import akka.NotUsed;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpMethod;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.scaladsl.model.EntityStreamException;
import akka.http.scaladsl.model.EntityStreamSizeException;
import akka.stream.javadsl.Flow;
import akka.util.ByteString;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's request handler: dispatches on path and method like Ollama's gin router (unknown path
 * 404 {@code 404 page not found}, wrong method 405 {@code 405 method not allowed}, both text/plain), reads
 * bodies up to the size limit (413 above), turns client errors into Ollama's 400 bodies (never a 5xx), and
 * marks every response with {@code X-Sutazai-Simulator: true}.
 */
final class SimHttp {
  static final RawHeader SIMULATOR_HEADER = RawHeader.create("X-Sutazai-Simulator", "true");
  private static final Logger log = LoggerFactory.getLogger(SimHttp.class);
  private static final long BODY_TIMEOUT_MILLIS = 30_000;

  private static final class BodyTooLarge extends RuntimeException {
    BodyTooLarge() {
      super("body too large", null, false, false);
    }
  }

  private interface BodyHandler {
    CompletionStage<HttpResponse> handle(ByteString body, SimCall call);
  }

  private final SimState sim;
  private final NativeRoutes generation;
  private final ModelRoutes models;
  private final EmbedRoutes embeddings;
  private final OpenAiRoutes openAi;

  SimHttp(SimState sim) {
    this.sim = sim;
    this.generation = new NativeRoutes(sim);
    this.models = new ModelRoutes(sim);
    this.embeddings = new EmbedRoutes(sim);
    this.openAi = new OpenAiRoutes(sim, generation, embeddings);
  }

  /**
   * The handler for one connection: requests one at a time (as HTTP/1.1 without pipelining), each told when
   * the connection ends so that a client going away frees its place in the queue or its slot. Akka HTTP
   * reports a connection reset at once, but a plain close (FIN) only when the answer is being written;
   * streamed answers are written token by token, so their slot is freed promptly either way.
   */
  Flow<HttpRequest, HttpResponse, NotUsed> connectionFlow() {
    AtomicReference<CompletableFuture<Void>> current = new AtomicReference<>(new CompletableFuture<>());
    return Flow.of(HttpRequest.class)
        .mapAsync(1, request -> {
          CompletableFuture<Void> closed = new CompletableFuture<>();
          current.set(closed);
          return apply(request, new SimCall(System.nanoTime(), closed));
        })
        .watchTermination((mat, done) -> {
          Stages.plain(done).whenComplete((d, e) -> current.get().complete(null));
          return mat;
        });
  }

  CompletionStage<HttpResponse> apply(HttpRequest request, SimCall call) {
    CompletionStage<HttpResponse> response;
    try {
      response = route(request, call);
    } catch (RuntimeException e) {
      response = SimResponses.done(failure(e, request));
    }
    return response
        .exceptionally(e -> failure(ai.sutazai.common.Concurrency.unwrap(e), request))
        .thenApply(r -> r.addHeader(SIMULATOR_HEADER));
  }

  private CompletionStage<HttpResponse> route(HttpRequest request, SimCall start) {
    String path = request.getUri().path();
    HttpMethod method = request.method();
    boolean get = method.equals(HttpMethods.GET) || method.equals(HttpMethods.HEAD);
    boolean post = method.equals(HttpMethods.POST);
    switch (path) {
      case "/":
        return get ? SimResponses.done(SimResponses.text(200, "Ollama is running")) : notAllowed(request);
      case "/api/version":
        return get ? SimResponses.done(models.version()) : notAllowed(request);
      case "/api/tags":
        return get ? SimResponses.done(models.tags()) : notAllowed(request);
      case "/api/ps":
        return get ? SimResponses.done(models.ps()) : notAllowed(request);
      case "/api/show":
        return post ? body(request, start, (b, s) -> SimResponses.done(models.show(b))) : notAllowed(request);
      case "/api/generate":
        return post ? body(request, start, generation::generate) : notAllowed(request);
      case "/api/chat":
        return post ? body(request, start, generation::chat) : notAllowed(request);
      case "/api/embed":
        return post ? body(request, start, embeddings::embed) : notAllowed(request);
      case "/api/embeddings":
        return post ? body(request, start, embeddings::embeddings) : notAllowed(request);
      case "/api/pull":
        return post ? body(request, start, (b, s) -> models.pull(b)) : notAllowed(request);
      case "/api/delete":
        return method.equals(HttpMethods.DELETE)
            ? body(request, start, (b, s) -> SimResponses.done(models.delete(b))) : notAllowed(request);
      case "/api/copy":
        return post ? body(request, start, (b, s) -> SimResponses.done(models.copy(b))) : notAllowed(request);
      case "/v1/chat/completions":
        return post ? body(request, start, openAi::chatCompletions) : notAllowed(request);
      case "/v1/completions":
        return post ? body(request, start, openAi::completions) : notAllowed(request);
      case "/v1/embeddings":
        return post ? body(request, start, openAi::embeddings) : notAllowed(request);
      case "/v1/models":
        return get ? SimResponses.done(openAi.models()) : notAllowed(request);
      default:
        if (path.startsWith("/v1/models/") && path.length() > "/v1/models/".length()) {
          return get ? SimResponses.done(openAi.model(path.substring("/v1/models/".length())))
              : notAllowed(request);
        }
        request.discardEntityBytes(sim.materializer());
        return SimResponses.done(SimResponses.text(404, "404 page not found"));
    }
  }

  private CompletionStage<HttpResponse> notAllowed(HttpRequest request) {
    request.discardEntityBytes(sim.materializer());
    return SimResponses.done(SimResponses.text(405, "405 method not allowed"));
  }

  /** Reads the whole body (up to the limit) and hands it to {@code handler}. */
  private CompletionStage<HttpResponse> body(HttpRequest request, SimCall start, BodyHandler handler) {
    var declared = request.entity().getContentLengthOption();
    if (declared.isPresent() && declared.getAsLong() > sim.config().maxBodyBytes()) {
      request.discardEntityBytes(sim.materializer());
      throw new BodyTooLarge();
    }
    if (request.entity() instanceof HttpEntity.Strict strict) {
      // Already in memory and within the limit (checked above): Akka's toStrict with a byte limit would run a
      // stream for it anyway, which a profile showed as the simulator's largest per-request cost.
      return handler.handle(strict.getData(), start);
    }
    return Stages.plain(request.entity()
            .toStrict(BODY_TIMEOUT_MILLIS, sim.config().maxBodyBytes(), sim.materializer()))
        .thenCompose(strict -> handler.handle(strict.getData(), start));
  }

  private HttpResponse failure(Throwable e, HttpRequest request) {
    boolean openAi = request.getUri().path().startsWith("/v1/");
    if (e instanceof RequestJson.BadRequest bad) {
      return openAi ? OllamaErrors.openAiResponse(akka.http.javadsl.model.StatusCodes.get(bad.status),
          bad.getMessage()) : SimResponses.error(bad.status, bad.getMessage());
    }
    if (e instanceof BodyTooLarge || e instanceof EntityStreamSizeException
        || (e instanceof EntityStreamException && String.valueOf(e.getMessage()).contains("too large"))) {
      String msg = "request body too large: limit is " + sim.config().maxBodyBytes() + " bytes";
      return openAi ? OllamaErrors.openAiResponse(akka.http.javadsl.model.StatusCodes.PAYLOAD_TOO_LARGE, msg)
          : SimResponses.error(413, msg);
    }
    if (e instanceof SimCall.ClientGone || e instanceof java.util.concurrent.CancellationException) {
      return SimResponses.error(499, OllamaErrors.REQUEST_CANCELED);
    }
    log.error("simulator failed on {} {}", request.method().value(), request.getUri().path(), e);
    return SimResponses.error(500, "simulator internal error: " + e);
  }
}
