package ai.sutazai.inference;

import ai.sutazai.inference.ollama.Stages;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Scheduler;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.RawHeader;
import akka.util.ByteString;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code /api/pull}, {@code /api/delete} and {@code /api/copy}: sent to the workers named in the
 * {@code X-Sutazai-Worker} header (comma-separated), else those in {@code model-admin-workers}, else all.
 * With one target the worker's answer streams through as it is; with several, each answer is collected and
 * the first failure (or, for pull, every worker's progress lines in turn) is returned. The workers re-read
 * their model lists afterwards.
 */
final class ModelAdmin {
  private final ActorRef<InferenceRouter.Command> router;
  private final Scheduler scheduler;
  private final UpstreamHttp http;
  private final InferenceSettings settings;
  private final Duration ask;

  ModelAdmin(ActorRef<InferenceRouter.Command> router, Scheduler scheduler, UpstreamHttp http,
      InferenceSettings settings, Duration ask) {
    this.router = router;
    this.scheduler = scheduler;
    this.http = http;
    this.settings = settings;
    this.ask = ask;
  }

  CompletionStage<HttpResponse> handle(HttpRequest req, String path, JsonNode json, ByteString body) {
    if (path.equals("/api/copy")) {
      if (json.path("source").asText("").isEmpty() || json.path("destination").asText("").isEmpty()) {
        return done(RouterErrors.json(400, "source and destination are required", false));
      }
    } else if (json.path("model").asText("").isEmpty() && json.path("name").asText("").isEmpty()) {
      return done(RouterErrors.json(400, "model is required", false));
    }
    List<String> named = req.getHeader(ProxyCall.WORKER_HEADER)
        .map(h -> Arrays.stream(h.value().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(settings.modelAdminWorkers());
    return Stages.plain(AskPattern.<InferenceRouter.Command, RouterReports.Workers>ask(router,
        InferenceRouter.GetWorkers::new, ask, scheduler)).thenCompose(report -> {
          Map<String, RouterReports.Worker> byName = report.workers().stream()
              .collect(Collectors.toMap(RouterReports.Worker::name, Function.identity()));
          List<RouterReports.Worker> targets = new ArrayList<>();
          for (String n : named) {
            RouterReports.Worker w = byName.get(n);
            if (w == null) {
              return done(RouterErrors.json(400, ProxyCall.WORKER_HEADER + ": no worker named '" + n
                  + "' (known: " + String.join(", ", byName.keySet()) + ")", false));
            }
            targets.add(w);
          }
          if (named.isEmpty()) {
            targets.addAll(report.workers());
          }
          if (targets.isEmpty()) {
            return done(RouterErrors.json(503, "no inference workers are configured", false));
          }
          return send(req, path, body, targets);
        });
  }

  private CompletionStage<HttpResponse> send(HttpRequest req, String path, ByteString body,
      List<RouterReports.Worker> targets) {
    List<CompletableFuture<HttpResponse>> calls = new ArrayList<>();
    for (RouterReports.Worker w : targets) {
      HttpRequest upstream = HttpRequest.create(w.url() + path).withMethod(req.method())
          .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body));
      CompletionStage<HttpResponse> call = http.send(upstream).thenApply(r -> r.addHeader(
          RawHeader.create(ProxyCall.WORKER_HEADER, w.name())));
      if (targets.size() > 1) {
        call = call.thenCompose(r -> Stages.plain(r.entity().toStrict(settings.maxQueueWait().toMillis(),
            http.materializer())).thenApply(r::withEntity));
      }
      calls.add(call.whenComplete((r, e) -> router.tell(new InferenceRouter.RefreshModels(w.name())))
          .toCompletableFuture());
    }
    if (calls.size() == 1) {
      return calls.get(0).exceptionally(err -> RouterErrors.json(502,
          "worker " + targets.get(0).name() + ": " + OllamaWorker.rootMessage(err), false));
    }
    return CompletableFuture.allOf(calls.toArray(new CompletableFuture[0])).handle((v, err) -> {
      ByteString joined = ByteString.emptyByteString();
      for (int i = 0; i < calls.size(); i++) {
        CompletableFuture<HttpResponse> c = calls.get(i);
        if (c.isCompletedExceptionally()) {
          return RouterErrors.json(502, "worker " + targets.get(i).name() + ": "
              + OllamaWorker.rootMessage(c.handle((r, e) -> e).join()), false);
        }
        HttpResponse r = c.join();
        if (r.status().intValue() / 100 != 2) {
          return r;
        }
        joined = joined.concat(((akka.http.javadsl.model.HttpEntity.Strict) r.entity()).getData());
      }
      HttpResponse first = calls.get(0).join();
      return HttpResponse.create().withEntity(HttpEntities.create(first.entity().getContentType(), joined));
    });
  }

  private static CompletionStage<HttpResponse> done(HttpResponse r) {
    return CompletableFuture.completedFuture(r);
  }
}
