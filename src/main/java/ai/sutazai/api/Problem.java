package ai.sutazai.api;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * RFC 7807 problem details ({@code application/problem+json}): type, title, status, detail and, when one
 * input was at fault, the offending {@code field}.
 */
public final class Problem {
  private Problem() {}

  /** {@code application/problem+json}. */
  public static final ContentType.WithFixedCharset PROBLEM_JSON =
      MediaTypes.applicationWithFixedCharset("problem+json", akka.http.javadsl.model.HttpCharsets.UTF_8)
          .toContentType();

  private static final String TYPE_BASE = "https://sutazai.ai/problems/";

  public static HttpResponse of(StatusCode status, String type, String detail, String field) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("type", TYPE_BASE + type);
    body.put("title", status.reason());
    body.put("status", status.intValue());
    body.put("detail", detail);
    if (field != null) {
      body.put("field", field);
    }
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(HttpEntities.create(PROBLEM_JSON, Json.bytes(body)));
  }

  public static HttpResponse badRequest(String field, String detail) {
    return of(StatusCodes.BAD_REQUEST, "invalid-request", detail, field);
  }

  public static HttpResponse notFound(String detail) {
    return of(StatusCodes.NOT_FOUND, "not-found", detail, null);
  }

  public static HttpResponse conflict(String detail) {
    return of(StatusCodes.CONFLICT, "conflict", detail, null);
  }

  public static HttpResponse unauthorized(String detail) {
    return of(StatusCodes.UNAUTHORIZED, "unauthorized", detail, null)
        .addHeader(akka.http.javadsl.model.headers.RawHeader.create("WWW-Authenticate", "Bearer realm=\"sutazai\""));
  }

  public static HttpResponse forbidden(String detail) {
    return of(StatusCodes.FORBIDDEN, "forbidden", detail, null);
  }

  public static HttpResponse tooLarge(long limitBytes) {
    return of(StatusCodes.PAYLOAD_TOO_LARGE, "body-too-large",
        "request body exceeds the limit of " + limitBytes + " bytes (sutazai.management.max-body-size)", "body");
  }

  public static HttpResponse unsupportedMediaType(String got) {
    return of(StatusCodes.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
        "request body must be application/json, got " + got, "Content-Type");
  }

  public static HttpResponse notImplemented(String capability) {
    return of(StatusCodes.NOT_IMPLEMENTED, "not-implemented", capability + " is not available in this build", null);
  }

  public static HttpResponse unavailable(String detail) {
    return of(StatusCodes.SERVICE_UNAVAILABLE, "unavailable", detail, null);
  }

  static ContentType json() {
    return ContentTypes.APPLICATION_JSON;
  }
}
