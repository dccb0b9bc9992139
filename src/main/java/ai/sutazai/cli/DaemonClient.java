package ai.sutazai.cli;

import ai.sutazai.common.JsonMappers;
import ai.sutazai.common.UserError;
import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.supervisor.healthfix.DaemonView;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A blocking client of a running daemon's management API, for commands that must not act behind its back
 * ({@code health-fix}). It finds the daemon where the daemon itself listens ({@code sutazai.management.bind}:
 * {@code port}, i.e. {@code SUTAZAI_MANAGEMENT_BIND} / {@code SUTAZAI_MANAGEMENT_PORT}) and authenticates with the
 * first operator token of {@code sutazai.management.auth.tokens} ({@code SUTAZAI_OPERATOR_TOKEN}). The token is
 * never printed.
 */
final class DaemonClient implements DaemonView.Link {
  /** Events read per agent: the newest page; a crash loop's or a slow start's history fits many times over. */
  static final int EVENTS_PER_AGENT = 200;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = JsonMappers.plain();

  private final String url;
  private final String tokenOrNull;
  private final HttpClient http;

  private DaemonClient(String url, String tokenOrNull) {
    this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.tokenOrNull = tokenOrNull;
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
  }

  /** Where the daemon of {@code config} listens: its bind address (a wildcard bind is reached on 127.0.0.1) and port. */
  static String configuredUrl(Config config) {
    String bind = config.getString("sutazai.management.bind");
    if (bind.isEmpty() || bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]")) {
      bind = "127.0.0.1";
    } else if (bind.contains(":") && !bind.startsWith("[")) {
      bind = "[" + bind + "]";
    }
    return "http://" + bind + ":" + config.getInt("sutazai.management.port");
  }

  /** The first operator token configured (entries whose token is unset are skipped, as the daemon does); null when none. */
  static String operatorToken(Config config) {
    String path = "sutazai.management.auth.tokens";
    if (!config.hasPath(path)) {
      return null;
    }
    for (Config entry : config.getConfigList(path)) {
      if (entry.hasPath("token") && !entry.getString("token").isEmpty() && entry.hasPath("role")
          && entry.getString("role").equalsIgnoreCase("operator")) {
        return entry.getString("token");
      }
    }
    return null;
  }

  /** A client of the daemon at {@code url}, with the operator token of {@code config}. */
  static DaemonClient at(String url, Config config) {
    try {
      URI uri = URI.create(url);
      if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
    } catch (IllegalArgumentException e) {
      throw new UserError("--daemon " + url + ": expected the daemon's management API URL, e.g. http://127.0.0.1:8080");
    }
    return new DaemonClient(url, operatorToken(config));
  }

  String url() {
    return url;
  }

  /**
   * Whether a daemon answers here: its public {@code GET /health} answers with the daemon's health document (any
   * status; a daemon whose /health needs a token answers 401). False when nothing listens or something else does.
   */
  boolean answers() {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/health")).timeout(CONNECT_TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 401) {
        return true;
      }
      JsonNode body = JSON.readTree(r.body());
      return body != null && body.has("live") && body.has("ready");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The daemon's containers, agents and their journals; {@code specs} as read from the fleet spec (may be empty). */
  DaemonView view(Map<String, AgentSpec> specs) {
    Set<String> containerIds = new HashSet<>();
    for (JsonNode c : get("/api/v1/containers")) {
      containerIds.add(c.path("id").asText());
    }
    List<DaemonView.Agent> agents = new ArrayList<>();
    for (JsonNode a : get("/api/v1/agents")) {
      String name = a.path("name").asText();
      List<DaemonView.Event> events = new ArrayList<>();
      for (JsonNode e : get("/api/v1/agents/" + path(name) + "/events?limit=" + EVENTS_PER_AGENT).path("events")) {
        events.add(new DaemonView.Event(e.path("type").asText(), e.path("reason").asText(null),
            Instant.parse(e.path("time").asText())));
      }
      Collections.reverse(events); // the API pages newest first
      String containerId = a.path("containerId").isTextual() ? a.path("containerId").asText() : null;
      String lastReason = a.path("lastEvent").path("reason").isTextual() ? a.path("lastEvent").path("reason").asText() : null;
      agents.add(new DaemonView.Agent(name, a.path("state").asText(), containerId, lastReason, events));
    }
    return new DaemonView(url, containerIds, agents, specs);
  }

  /** {@code POST /api/v1/agents/{name}/reset}: the agent's state afterwards, in words. */
  @Override
  public String reset(String agent) {
    JsonNode after = send("POST", "/api/v1/agents/" + path(agent) + "/reset");
    return "reset through the daemon at " + url + " (now " + after.path("state").asText("?") + ")";
  }

  private JsonNode get(String path) {
    return send("GET", path);
  }

  private JsonNode send(String method, String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(REQUEST_TIMEOUT)
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (tokenOrNull != null) {
      b.header("Authorization", "Bearer " + tokenOrNull);
    }
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UserError("the daemon at " + url + " did not answer " + method + " " + path + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while asking the daemon at " + url);
    }
    if (r.statusCode() == 401) {
      throw new UserError("the daemon at " + url + " answered 401 to " + method + " " + path + ": the operator token is "
          + (tokenOrNull == null ? "missing (none is configured)" : "wrong (the daemon does not know the configured one)")
          + ". Set SUTAZAI_OPERATOR_TOKEN to the daemon's operator token (or put it in sutazai.management.auth.tokens "
          + "with role = operator in the file given with --config), or run with --no-daemon to act on the engine directly");
    }
    if (r.statusCode() == 403) {
      throw new UserError("the daemon at " + url + " answered 403 to " + method + " " + path + ": the configured token is "
          + "not an operator's (role = operator in sutazai.management.auth.tokens; SUTAZAI_OPERATOR_TOKEN)");
    }
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException("the daemon at " + url + " answered " + r.statusCode() + " to " + method + " " + path
          + ": " + detail(r.body()));
    }
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UserError("the daemon at " + url + " answered " + method + " " + path + " with something that is not JSON");
    }
  }

  /** The problem document's detail (or title), else the body. */
  private static String detail(String body) {
    try {
      JsonNode p = JSON.readTree(body);
      return p.path("detail").isTextual() ? p.path("detail").asText() : p.path("title").asText(body);
    } catch (IOException e) {
      return body;
    }
  }

  private static String path(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Only for messages: where, never the token. */
  @Override
  public String toString() {
    return "DaemonClient[" + url + "]";
  }

}
