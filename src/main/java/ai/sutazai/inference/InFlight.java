package ai.sutazai.inference;

import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpResponse;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * When a routed request has ended, for {@link AgentGateway#finished}: once its answer has been sent in
 * full (a strict answer as soon as it exists; a streamed one when its last chunk has gone, or its stream
 * failed or was cancelled), when it failed, or when its client went away, whichever comes first. The
 * callback runs exactly once.
 */
public final class InFlight {
  private InFlight() {}

  public static CompletionStage<HttpResponse> until(CompletionStage<HttpResponse> answer, CompletionStage<Void> clientGone,
      Runnable ended) {
    AtomicBoolean done = new AtomicBoolean();
    Runnable once = () -> {
      if (done.compareAndSet(false, true)) {
        ended.run();
      }
    };
    // A client that leaves before the answer is rendered never pulls its stream: this still ends it.
    clientGone.thenRun(once);
    answer.whenComplete((r, err) -> {
      if (err != null) {
        once.run();
      }
    });
    return answer.thenApply(r -> whenSent(r, once));
  }

  private static HttpResponse whenSent(HttpResponse r, Runnable once) {
    if (r.entity() instanceof HttpEntity.Strict || r.entity().isKnownEmpty()) {
      once.run();
      return r;
    }
    Source<ByteString, ?> body = r.entity().getDataBytes().watchTermination((mat, finished) -> {
      finished.whenComplete((d, err) -> once.run());
      return mat;
    });
    return r.withEntity(HttpEntities.createChunked(r.entity().getContentType(), body));
  }
}
