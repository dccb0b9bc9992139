package ai.sutazai.front;

import ai.sutazai.inference.ollama.Stages;
import akka.actor.typed.ActorSystem;
import akka.event.LoggingAdapter;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.AttributeKeys;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.Uri;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.settings.ConnectionPoolSettings;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Forwards one request to an agent on 127.0.0.1 and streams both ways: the request body goes up as it
 * arrives, the response (chunked, SSE) comes back as the agent writes it; nothing is buffered whole.
 * Hop-by-hop headers (RFC 9110 7.6.1, and any named in {@code Connection}) are removed both ways;
 * {@code X-Forwarded-For}, {@code -Host} and {@code -Proto} are added.
 *
 * <p>Hazard: its own connection pool ({@code sutazai.gateway.upstream}: connections per agent, idle timeout long
 * enough for slow streams). Too few connections queue concurrent requests behind each other; too many
 * overflow the listen backlog of agents that close every connection (a dropped SYN costs a 1 s retransmit).
 */
final class AgentProxy {
  static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
      "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
      // Akka's synthetic headers and the ones the new request sets itself.
      "host", "timeout-access", "remote-address", "raw-request-uri", "tls-session-info");

  private final Http http;
  private final ConnectionPoolSettings pool;
  private final LoggingAdapter log;

  AgentProxy(ActorSystem<?> system, FrontSettings settings) {
    this.http = Http.get(system);
    ai.sutazai.common.HttpPoolsShutdown.register(system);
    this.log = akka.event.Logging.getLogger(akka.actor.typed.javadsl.Adapter.toClassic(system), "AgentFront");
    long idleMillis = settings.upstreamIdleTimeout().toMillis();
    this.pool = ConnectionPoolSettings.create(ConfigFactory.parseString(
        "akka.http.host-connection-pool {\n"
            + " max-connections = " + settings.upstreamMaxConnections() + "\n"
            + " max-open-requests = " + settings.upstreamMaxOpenRequests() + "\n max-retries = 0\n"
            + " idle-timeout = " + idleMillis + "ms\n response-entity-subscription-timeout = 30s\n"
            + " client.idle-timeout = " + idleMillis + "ms\n client.parsing.max-content-length = infinite\n"
            + " client.connecting-timeout = 5s\n"
            + "}").withFallback(system.settings().config()));
  }

  /**
   * Sends {@code req} (path {@code rest} under the agent's root) to {@code 127.0.0.1:port}; the answer as it
   * comes, as a plain future completed on the pool's thread (see {@link Stages}: Akka's own futures would run
   * every callback as a task of the common pool, a thread hand-off per request).
   */
  CompletionStage<HttpResponse> forward(HttpRequest req, String rest, int port) {
    String query = req.getUri().rawQueryString().map(q -> "?" + q).orElse("");
    HttpRequest up = HttpRequest.create()
        .withMethod(req.method())
        .withUri(Uri.create("http://127.0.0.1:" + port + rest + query))
        .withHeaders(forwardedHeaders(req))
        .withEntity(req.entity());
    return Stages.plain(http.singleRequest(up, http.defaultClientHttpsContext(), pool, log))
        .thenApply(r -> r.withHeaders(endToEnd(r.getHeaders())));
  }

  static List<HttpHeader> forwardedHeaders(HttpRequest req) {
    List<HttpHeader> out = endToEnd(req.getHeaders());
    out.removeIf(h -> h.lowercaseName().startsWith("x-forwarded-"));
    String client = req.getAttribute(AttributeKeys.remoteAddress)
        .flatMap(a -> a.getAddress().map(java.net.InetAddress::getHostAddress)).orElse("unknown");
    String prior = req.getHeader("X-Forwarded-For").map(HttpHeader::value).orElse(null);
    out.add(RawHeader.create("X-Forwarded-For", prior == null ? client : prior + ", " + client));
    String host = req.getHeader("Host").map(HttpHeader::value).orElse(req.getUri().host().address());
    out.add(RawHeader.create("X-Forwarded-Host", host));
    out.add(RawHeader.create("X-Forwarded-Proto", req.getUri().getScheme().isEmpty() ? "http" : req.getUri().getScheme()));
    return out;
  }

  /** The headers that are not hop-by-hop (and not named as such by {@code Connection}). */
  static List<HttpHeader> endToEnd(Iterable<HttpHeader> headers) {
    Set<String> named = new HashSet<>();
    for (HttpHeader h : headers) {
      if (h.lowercaseName().equals("connection")) {
        for (String t : h.value().split(",")) {
          named.add(t.trim().toLowerCase(Locale.ROOT));
        }
      }
    }
    List<HttpHeader> out = new ArrayList<>();
    for (HttpHeader h : headers) {
      if (!HOP_BY_HOP.contains(h.lowercaseName()) && !named.contains(h.lowercaseName())) {
        out.add(h);
      }
    }
    return out;
  }
}
