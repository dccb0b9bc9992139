package ai.sutazai.inference;

import ai.sutazai.inference.ollama.Stages;
import ai.sutazai.inference.ollama.ModelNames;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Scheduler;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code /api/tags}, {@code /api/ps} and {@code /v1/models} as the union over the available workers,
 * asked live (a worker that does not answer within the probe timeout is left out), de-duplicated by name.
 */
final class ModelListings {
  private final ActorRef<InferenceRouter.Command> router;
  private final Scheduler scheduler;
  private final UpstreamHttp http;
  private final Duration ask;

  ModelListings(ActorRef<InferenceRouter.Command> router, Scheduler scheduler, UpstreamHttp http, Duration ask) {
    this.router = router;
    this.scheduler = scheduler;
    this.http = http;
    this.ask = ask;
  }

  /** @param path {@code /api/tags}, {@code /api/ps} or {@code /v1/models} */
  CompletionStage<HttpResponse> union(String path) {
    boolean openAi = path.startsWith("/v1");
    String listKey = openAi ? "data" : "models";
    String idKey = openAi ? "id" : "name";
    return Stages.plain(AskPattern.<InferenceRouter.Command, RouterReports.Workers>ask(router,
            InferenceRouter.GetWorkers::new, ask, scheduler))
        .thenCompose(report -> {
          List<CompletableFuture<JsonNode>> parts = new ArrayList<>();
          for (RouterReports.Worker w : report.workers()) {
            if (w.available()) {
              parts.add(http.getJson(HttpRequest.create(w.url() + path)).toCompletableFuture()
                  .exceptionally(err -> null));
            }
          }
          return CompletableFuture.allOf(parts.toArray(new CompletableFuture[0])).thenApply(v -> {
            ObjectNode root = UpstreamHttp.JSON.createObjectNode();
            if (openAi) {
              root.put("object", "list");
            }
            ArrayNode all = root.putArray(listKey);
            Set<String> seen = new HashSet<>();
            for (CompletableFuture<JsonNode> part : parts) {
              JsonNode listing = part.join();
              if (listing == null) {
                continue;
              }
              for (JsonNode m : listing.path(listKey)) {
                if (seen.add(ModelNames.key(m.path(idKey).asText("")))) {
                  all.add(m);
                }
              }
            }
            return HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, bytes(root));
          });
        });
  }

  static byte[] bytes(Object value) {
    try {
      return UpstreamHttp.JSON.writeValueAsBytes(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
