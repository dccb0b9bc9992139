package ai.sutazai.common;

import akka.NotUsed;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.stream.javadsl.Flow;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/**
 * An HTTP server connection's requests handled one at a time, each with a future that completes when the
 * client goes away (the connection's request side ends). A server that holds requests (the router's queue, the
 * agent front's holding room) then drops a request whose client left at once, not when its answer is finally
 * written. The termination callback runs on the thread that ends the stream (no executor hop: see
 * {@code Stages}).
 */
public final class ClientConnections {
  private ClientConnections() {}

  /** The flow of one connection: {@code handler} gets each request and the future of its client going away. */
  public static Flow<HttpRequest, HttpResponse, NotUsed> flow(
      BiFunction<HttpRequest, CompletableFuture<Void>, CompletionStage<HttpResponse>> handler) {
    AtomicReference<CompletableFuture<Void>> current = new AtomicReference<>(new CompletableFuture<>());
    AtomicBoolean ended = new AtomicBoolean();
    return Flow.of(HttpRequest.class)
        .watchTermination((mat, done) -> {
          done.whenCompleteAsync((d, e) -> {
            ended.set(true);
            current.get().complete(null);
          }, Runnable::run);
          return mat;
        })
        .mapAsync(1, req -> {
          CompletableFuture<Void> gone = new CompletableFuture<>();
          current.set(gone);
          if (ended.get()) {
            gone.complete(null);
          }
          return handler.apply(req, gone);
        });
  }
}
