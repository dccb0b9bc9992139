package ai.sutazai.inference.sim;

import ai.sutazai.inference.ollama.Ndjson;
import ai.sutazai.inference.ollama.OllamaErrors;
import akka.NotUsed;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** HTTP responses in Ollama's shapes: JSON bodies, NDJSON and SSE streams, errors. */
final class SimResponses {
  private SimResponses() {}

  static HttpResponse json(JsonNode node) {
    return json(200, node);
  }

  static HttpResponse json(int status, JsonNode node) {
    try {
      return HttpResponse.create()
          .withStatus(status)
          .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, SimText.JSON.writeValueAsBytes(node)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse ndjson(Source<ByteString, NotUsed> lines) {
    return HttpResponse.create().withEntity(HttpEntities.createChunked(Ndjson.CONTENT_TYPE, lines));
  }

  static HttpResponse sse(Source<ByteString, NotUsed> events) {
    return HttpResponse.create().withEntity(HttpEntities.createChunked(Ndjson.SSE_CONTENT_TYPE, events));
  }

  static HttpResponse text(int status, String body) {
    return HttpResponse.create().withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, body));
  }

  /** 200 with an empty body (delete and copy). */
  static HttpResponse empty() {
    return HttpResponse.create().withStatus(StatusCodes.OK);
  }

  /** Ollama's 499 for a client that went away (not a registered status in Akka HTTP). */
  private static final akka.http.javadsl.model.StatusCode CLIENT_CLOSED =
      StatusCodes.custom(499, "Client Closed Request", "", false, true);

  static HttpResponse error(int status, String message) {
    return OllamaErrors.response(status == 499 ? CLIENT_CLOSED : StatusCodes.get(status), message);
  }

  static CompletionStage<HttpResponse> done(HttpResponse r) {
    return CompletableFuture.completedFuture(r);
  }
}
