package ai.sutazai.inference.ollama;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Ollama's error bodies, {@code {"error":"<message>"}}, with the exact message texts of the server
 * (see ../shared/ollama/API.md section 2). Shared by the inference router and the simulator.
 */
public final class OllamaErrors {
  private OllamaErrors() {}

  /** 503 when the scheduler queue is full; note the two spaces after the period (server/sched.go). */
  public static final String MAX_QUEUE = "server busy, please try again.  maximum pending requests exceeded";
  /** 400 when the request body is empty. */
  public static final String MISSING_BODY = "missing request body";
  /** 400 when /api/chat, /api/show, /api/embeddings get no model. */
  public static final String MODEL_REQUIRED = "model is required";
  /** 499 when a client gives up while waiting for the scheduler. */
  public static final String REQUEST_CANCELED = "request canceled";

  private static final ObjectMapper JSON = ai.sutazai.common.JsonMappers.plain();

  /** {@code model '<name>' not found}: generate, chat, show and delete of an unknown model (404). */
  public static String modelNotFound(String name) {
    return "model '" + name + "' not found";
  }

  /** {@code model "<name>" not found, try pulling it first}: embed/embeddings of an unknown model (404). */
  public static String modelNotFoundTryPulling(String name) {
    return "model " + quote(name) + " not found, try pulling it first";
  }

  /** {@code model "<name>" not found}: /api/copy with a missing source (404). */
  public static String copySourceNotFound(String name) {
    return "model " + quote(name) + " not found";
  }

  /** The JSON body {@code {"error":"..."}} for a message. */
  public static String body(String message) {
    ObjectNode node = JSON.createObjectNode().put("error", message);
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A native-API error response: the status and {@code {"error":"..."}} as application/json. */
  public static HttpResponse response(StatusCode status, String message) {
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body(message)));
  }

  /** 503 with the exact queue-full body. */
  public static HttpResponse serverBusy() {
    return response(StatusCodes.SERVICE_UNAVAILABLE, MAX_QUEUE);
  }

  /**
   * The OpenAI-compatible error body: {@code {"error":{"message","type","param":null,"code":null}}};
   * the type is invalid_request_error for 400, not_found_error for 404 and api_error otherwise.
   */
  public static String openAiBody(int status, String message) {
    String type = status == 400 ? "invalid_request_error" : status == 404 ? "not_found_error" : "api_error";
    ObjectNode node = JSON.createObjectNode();
    node.putObject("error").put("message", message).put("type", type).putNull("param").putNull("code");
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An OpenAI-compatible error response with the native status. */
  public static HttpResponse openAiResponse(StatusCode status, String message) {
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, openAiBody(status.intValue(), message)));
  }

  /** Go's %q for the plain names used here: double quotes, with backslash and quote escaped. */
  static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
