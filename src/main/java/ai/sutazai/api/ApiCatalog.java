package ai.sutazai.api;

import ai.sutazai.api.view.ActivationResponse;
import ai.sutazai.api.view.AgentView;
import ai.sutazai.api.view.AlertView;
import ai.sutazai.api.view.BaselineView;
import ai.sutazai.api.view.ContainerView;
import ai.sutazai.api.view.DecisionView;
import ai.sutazai.api.view.EventPage;
import ai.sutazai.api.view.HealthView;
import ai.sutazai.api.view.HostHistory;
import ai.sutazai.api.view.PoolView;
import ai.sutazai.api.view.WorkerRequest;
import ai.sutazai.api.view.WorkerView;
import java.util.List;

/**
 * Every route the management server answers, as data: the OpenAPI document is generated from it and the
 * HTTP latency metrics label requests by its path templates. {@code OpenApiTest} checks it against the
 * real routes in both directions.
 */
public final class ApiCatalog {
  private ApiCatalog() {}

  /** Who may call an operation. */
  public enum Access { PUBLIC, PUBLIC_BY_CONFIG, VIEWER, OPERATOR }

  /**
   * A query or path parameter.
   *
   * @param in "path" or "query"
   * @param type "string" or "integer"
   */
  public record Param(String name, String in, String type, boolean required, String description) {}

  /**
   * One operation.
   *
   * @param method HTTP method
   * @param path path template, parameters in braces
   * @param okStatus the success status
   * @param responseType what the success body holds; a List type is given as {@code listOf}
   * @param listOf true when the success body is a JSON array of {@code responseType}
   * @param requestType the JSON body's type; null when it takes none
   * @param errors the error statuses it can answer besides 401/403/503
   */
  public record Operation(
      String method,
      String path,
      String tag,
      String summary,
      Access access,
      List<Param> params,
      Class<?> requestType,
      int okStatus,
      Class<?> responseType,
      boolean listOf,
      String mediaType,
      List<Integer> errors) {}

  private static Param pathParam(String name, String description) {
    return new Param(name, "path", "string", true, description);
  }

  private static final Param NAME = pathParam("name", "the agent's name");

  private static final String JSON = "application/json";

  public static final List<Operation> OPERATIONS = List.of(
      new Operation("GET", "/api/v1/agents", "agents", "List agents, optionally filtered; the agents of a pool that did "
          + "not answer within 400 ms are the last known, marked stale (header Sutazai-Stale-Since)", Access.VIEWER,
          List.of(new Param("state", "query", "string", false, "only agents in this state (AgentState)"),
              new Param("pool", "query", "string", false, "only agents of this pool")),
          null, 200, AgentView.class, true, JSON, List.of(400)),
      new Operation("GET", "/api/v1/agents/{name}", "agents", "One agent", Access.VIEWER, List.of(NAME),
          null, 200, AgentView.class, false, JSON, List.of(404)),
      new Operation("POST", "/api/v1/agents/{name}/activate", "agents",
          "Activate an agent: 202 with its queue position when queued or starting, 200 when already active",
          Access.OPERATOR, List.of(NAME), null, 202, ActivationResponse.class, false, JSON, List.of(404, 409, 501)),
      new Operation("POST", "/api/v1/agents/{name}/deactivate", "agents",
          "Deactivate an agent: stop its container and release its quota", Access.OPERATOR, List.of(NAME),
          null, 202, AgentView.class, false, JSON, List.of(404, 409, 501)),
      new Operation("POST", "/api/v1/agents/{name}/reset", "agents", "Clear an agent's crash loop",
          Access.OPERATOR, List.of(NAME), null, 200, AgentView.class, false, JSON, List.of(404, 409, 501)),
      new Operation("GET", "/api/v1/agents/{name}/events", "agents", "The agent's journal, newest first, paged",
          Access.VIEWER, List.of(NAME,
              new Param("before", "query", "integer", false, "only events with seqNr below this (default: newest)"),
              new Param("limit", "query", "integer", false, "page size, 1-500 (default 50)")),
          null, 200, EventPage.class, false, JSON, List.of(400, 404)),
      new Operation("GET", "/api/v1/containers", "containers", "Containers this system manages", Access.VIEWER,
          List.of(), null, 200, ContainerView.class, true, JSON, List.of()),
      new Operation("GET", "/api/v1/pools", "pools", "Pools with quota, usage and queue", Access.VIEWER,
          List.of(), null, 200, PoolView.class, true, JSON, List.of()),
      new Operation("PUT", "/api/v1/pools/{name}/quota", "pools", "Replace a pool's quota", Access.OPERATOR,
          List.of(pathParam("name", "the pool's name")), PoolView.Quota.class, 200, PoolView.class, false, JSON,
          List.of(400, 404, 409, 413, 415, 501)),
      new Operation("GET", "/api/v1/pools/{name}/decisions", "pools",
          "The pool's most recent scaling decisions with their reasons, newest first (the pool keeps "
              + "sutazai.quota.recent-decisions in memory; the journal keeps them all)", Access.VIEWER,
          List.of(pathParam("name", "the pool's name"),
              new Param("limit", "query", "integer", false, "at most this many, 1-500 (default 50)")),
          null, 200, DecisionView.class, true, JSON, List.of(400, 404)),
      new Operation("GET", "/api/v1/workers", "workers", "Ollama workers", Access.VIEWER, List.of(), null, 200,
          WorkerView.class, true, JSON, List.of()),
      new Operation("POST", "/api/v1/workers", "workers", "Register an Ollama worker", Access.OPERATOR, List.of(),
          WorkerRequest.class, 201, WorkerView.class, false, JSON, List.of(400, 409, 413, 415, 501)),
      new Operation("DELETE", "/api/v1/workers/{name}", "workers", "Unregister an Ollama worker",
          Access.OPERATOR, List.of(pathParam("name", "the worker's name")), null, 200, WorkerView.class, false,
          JSON, List.of(404, 409, 501)),
      new Operation("GET", "/api/v1/alerts", "alerts", "Alerts firing now", Access.VIEWER, List.of(), null, 200,
          AlertView.class, true, JSON, List.of()),
      new Operation("GET", "/api/v1/baselines", "baselines", "Stored performance baselines, newest first",
          Access.VIEWER, List.of(), null, 200, BaselineView.class, true, JSON, List.of()),
      new Operation("GET", "/api/v1/baselines/{id}", "baselines", "One baseline", Access.VIEWER,
          List.of(pathParam("id", "the baseline's id")), null, 200, BaselineView.class, false, JSON, List.of(404)),
      new Operation("GET", "/api/v1/capacity", "capacity",
          "Capacity analysis, the same JSON as `sutazai analyze --format json`", Access.VIEWER, List.of(), null,
          200, Object.class, false, JSON, List.of()),
      new Operation("GET", "/api/v1/history", "metrics", "Host samples of the last hour and the alert thresholds (dashboard charts)",
          Access.VIEWER, List.of(new Param("minutes", "query", "integer", false, "window, 1-1440 (default 60)")),
          null, 200, HostHistory.class, false, JSON, List.of(400)),
      new Operation("GET", "/api/v1/events/stream", "events",
          "Server-Sent Events: `sample` (HostSample), `agent` ({event, agent}), `alert` ({alert, firing}), "
              + "`decision` (DecisionView, from the pools running on this node); "
              + "a `ready` event first. Browsers' EventSource cannot send headers, so this route also accepts "
              + "`?ticket=` from GET /api/v1/events/ticket (never the token itself in the URL).",
          Access.VIEWER, List.of(new Param("ticket", "query", "string", false,
              "single-use ticket valid 30 s, for clients that cannot set the Authorization header")),
          null, 200, null, false, "text/event-stream", List.of()),
      new Operation("GET", "/api/v1/events/ticket", "events",
          "A single-use ticket ({ticket, expiresInSeconds}) that opens one event stream within 30 s",
          Access.VIEWER, List.of(), null, 200, Object.class, false, JSON, List.of(503)),
      new Operation("GET", "/api/v1/whoami", "session", "The caller's token name and role (the dashboard uses it)",
          Access.VIEWER, List.of(), null, 200, Object.class, false, JSON, List.of()),
      new Operation("GET", "/health", "service", "Liveness and readiness (503 when not ready)",
          Access.PUBLIC_BY_CONFIG, List.of(), null, 200, HealthView.class, false, JSON, List.of(503)),
      new Operation("GET", "/metrics", "service", "Prometheus text exposition format 0.0.4",
          Access.PUBLIC_BY_CONFIG, List.of(), null, 200, null, false, "text/plain", List.of()),
      new Operation("GET", "/openapi.json", "service", "This document", Access.PUBLIC, List.of(), null, 200,
          null, false, JSON, List.of()),
      new Operation("GET", "/", "service", "The live web dashboard (HTML)", Access.PUBLIC, List.of(), null, 200,
          null, false, "text/html", List.of()),
      new Operation("GET", "/assets/{file}", "service", "The dashboard's scripts and styles", Access.PUBLIC,
          List.of(pathParam("file", "asset file name")), null, 200, null, false, "application/octet-stream",
          List.of(404)));

  /** The template of the operation matching {@code path} (any method), or null. */
  public static String templateOf(String path) {
    String[] segs = split(path);
    for (Operation op : OPERATIONS) {
      String[] t = split(op.path());
      if (t.length != segs.length) {
        continue;
      }
      boolean match = true;
      for (int i = 0; i < t.length && match; i++) {
        match = t[i].startsWith("{") || t[i].equals(segs[i]);
      }
      if (match) {
        return op.path();
      }
    }
    return null;
  }

  private static String[] split(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() ? new String[0] : p.split("/", -1);
  }
}
