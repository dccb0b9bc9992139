package ai.sutazai.front;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.headers.RawHeader;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An answer the front gives itself instead of the agent's (RFC 9457 {@code application/problem+json}):
 * what went wrong, naming the agent, its phase and, while it waits in its pool's queue, its position.
 *
 * @param status HTTP status
 * @param title short summary
 * @param detail what happened and what to do
 * @param agent the agent asked for
 * @param phase the agent's phase as the front last saw it (or QUEUED), null when unknown
 * @param queuePosition 1-based place in its pool's activation queue, 0 when not queued
 * @param retryAfterSeconds Retry-After, 0 for none
 */
public record FrontProblem(int status, String title, String detail, String agent, String phase, int queuePosition,
    long retryAfterSeconds) {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final ContentType.WithFixedCharset PROBLEM = ContentTypes.create(MediaTypes.applicationWithFixedCharset("problem+json",
      akka.http.javadsl.model.HttpCharsets.UTF_8));

  FrontProblem withRetryAfter(long seconds) {
    return new FrontProblem(status, title, detail, agent, phase, queuePosition, seconds);
  }

  /** The same problem with {@code more} (e.g. the pool's own reason) added to its detail. */
  FrontProblem withDetail(String more) {
    return more == null || more.isBlank() ? this
        : new FrontProblem(status, title, detail + " (" + more + ")", agent, phase, queuePosition, retryAfterSeconds);
  }

  public HttpResponse response() {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", "about:blank");
    n.put("title", title);
    n.put("status", status);
    n.put("detail", detail);
    n.put("agent", agent);
    if (phase != null) {
      n.put("phase", phase);
    }
    if (queuePosition > 0) {
      n.put("queuePosition", queuePosition);
    }
    HttpResponse r = HttpResponse.create().withStatus(status).withEntity(PROBLEM, n.toString());
    return retryAfterSeconds > 0 ? r.addHeader(RawHeader.create("Retry-After", Long.toString(retryAfterSeconds))) : r;
  }
}
