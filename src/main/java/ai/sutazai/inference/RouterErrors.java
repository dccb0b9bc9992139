package ai.sutazai.inference;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.RawHeader;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Error responses in the shapes Ollama uses: {@code {"error":"..."}} on the native API and
 * {@code {"error":{"message","type","param","code"}}} on {@code /v1}.
 */
public final class RouterErrors {
  /** Ollama's exact queue-full message ({@code server/sched.go ErrMaxQueue}; two spaces after the period). */
  public static final String QUEUE_FULL = ai.sutazai.inference.ollama.OllamaErrors.MAX_QUEUE;

  /** The router holds as many request-body bytes as it may; the request is not queued. */
  public static final String QUEUED_BYTES_FULL = "server busy, the router holds as many queued request bytes as it may";

  private RouterErrors() {}

  public static HttpResponse json(int status, String message, boolean openAi) {
    return HttpResponse.create().withStatus(status)
        .withEntity(ContentTypes.APPLICATION_JSON, body(status, message, openAi));
  }

  public static HttpResponse busy(String message, int retryAfterSeconds, boolean openAi) {
    return json(503, message, openAi).addHeader(RawHeader.create("Retry-After", Integer.toString(retryAfterSeconds)));
  }

  /** The JSON bytes of an error body. */
  public static byte[] body(int status, String message, boolean openAi) {
    ObjectNode root = UpstreamHttp.JSON.createObjectNode();
    if (openAi) {
      ObjectNode err = root.putObject("error");
      err.put("message", message);
      err.put("type", status == 400 ? "invalid_request_error" : status == 404 ? "not_found_error" : "api_error");
      err.putNull("param");
      err.putNull("code");
    } else {
      root.put("error", message);
    }
    try {
      return UpstreamHttp.JSON.writeValueAsBytes(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The final line of a stream that failed after it began: NDJSON, or an SSE event on /v1. */
  public static byte[] streamLine(String message, boolean sse) {
    byte[] json = body(500, message, sse);
    String line = sse ? "data: " + new String(json, java.nio.charset.StandardCharsets.UTF_8) + "\n\n"
        : new String(json, java.nio.charset.StandardCharsets.UTF_8) + "\n";
    return line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** 404 for an unknown model, worded as the endpoint words it. */
  public static String modelNotFound(String path, String model) {
    return switch (path) {
      case "/api/embed", "/api/embeddings" -> "model \"" + model + "\" not found, try pulling it first";
      case "/api/generate", "/api/chat", "/api/show" -> "model '" + model + "' not found";
      default -> "model \"" + model + "\" not found, try pulling it first";
    };
  }
}
