package ai.sutazai.api;

import static akka.http.javadsl.server.PathMatchers.segment;

import ai.sutazai.api.view.Activation;
import ai.sutazai.api.view.ActivationResponse;
import ai.sutazai.api.view.AgentState;
import ai.sutazai.api.view.AgentView;
import ai.sutazai.api.view.HostHistory;
import ai.sutazai.api.view.Thresholds;
import ai.sutazai.api.view.PoolView;
import ai.sutazai.api.view.WorkerRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.Location;
import akka.http.javadsl.server.Route;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The {@code /api/v1} resources (after authentication); mutations require the operator role. */
final class ApiRoutes extends RouteSupport {
  private final ManagementBackend backend;
  private final LiveStream liveStream;
  private final StreamTickets tickets;

  ApiRoutes(ManagementSettings settings, ManagementBackend backend, LiveStream liveStream, StreamTickets tickets) {
    super(settings);
    this.backend = backend;
    this.liveStream = liveStream;
    this.tickets = tickets;
  }

  Route route(Auth.Principal principal) {
    return concat(
        pathPrefix("agents", () -> agents(principal)),
        path("containers", () -> pathEndOrSingleSlash(() -> get(() -> answer(backend::containers, Json::ok)))),
        pathPrefix("pools", () -> pools(principal)),
        pathPrefix("workers", () -> workers(principal)),
        path("alerts", () -> get(() -> answer(backend::alerts, Json::ok))),
        pathPrefix("baselines", () -> concat(
            pathEndOrSingleSlash(() -> get(() -> answer(backend::baselines, Json::ok))),
            path(segment(), id -> get(() -> named("baseline", id, () -> answer(() -> backend.baseline(id), Json::ok)))))),
        path("capacity", () -> get(() -> answer(backend::capacity, Json::ok))),
        path("history", () -> get(() -> parameterOptional("minutes", minutes -> history(minutes)))),
        path(segment("events").slash("stream"), () -> get(liveStream::route)),
        path(segment("events").slash("ticket"), () -> get(() -> complete(tickets.issue(principal)
            .map(t -> Json.ok(java.util.Map.of("ticket", t, "expiresInSeconds", StreamTickets.VALIDITY.toSeconds())))
            .orElseGet(() -> Problem.unavailable("too many unused stream tickets; retry in "
                + StreamTickets.VALIDITY.toSeconds() + " s"))
            .addHeader(akka.http.javadsl.model.headers.RawHeader.create("Cache-Control", "no-store"))))),
        path("whoami", () -> get(() -> complete(Json.ok(java.util.Map.of(
            "name", principal.name(), "role", principal.role().name().toLowerCase(Locale.ROOT)))))));
  }

  private Route agents(Auth.Principal p) {
    return concat(
        pathEndOrSingleSlash(() -> get(() -> parameterOptional("state", state ->
            parameterOptional("pool", pool -> listAgents(state, pool))))),
        pathPrefix(segment(), name -> named("agent", name, () -> concat(
            pathEndOrSingleSlash(() -> get(() -> answer(() -> backend.agent(name), Json::ok))),
            path("activate", () -> post(() -> operator(p, () -> answer(() -> backend.activate(name),
                a -> activated(name, a))))),
            path("deactivate", () -> post(() -> operator(p, () -> answer(() -> backend.deactivate(name),
                v -> Json.response(StatusCodes.ACCEPTED, v))))),
            path("reset", () -> post(() -> operator(p, () -> answer(() -> backend.reset(name), Json::ok)))),
            path("events", () -> get(() -> parameterOptional("before", before ->
                parameterOptional("limit", limit -> events(name, before, limit)))))))));
  }

  private Route listAgents(Optional<String> state, Optional<String> pool) {
    AgentState wanted = null;
    if (state.isPresent()) {
      try {
        wanted = AgentState.valueOf(state.get().trim().toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        return complete(Problem.badRequest("state", "query parameter \"state\": \"" + clip(state.get())
            + "\" is not one of " + Arrays.stream(AgentState.values()).map(Enum::name)
            .collect(Collectors.joining(", "))));
      }
    }
    AgentState filterState = wanted;
    return answer(backend::agents, all -> staleMarked(all, Json.ok(all.stream()
        .filter(a -> filterState == null || a.state() == filterState)
        .filter(a -> pool.isEmpty() || pool.get().equals(a.pool()))
        .sorted(Comparator.comparing(AgentView::name))
        .toList())));
  }

  /** Header on an agent list some of whose agents are stale: the oldest {@code staleSince}, or "unknown". */
  static final String STALE_HEADER = "Sutazai-Stale-Since";

  /** Marks the whole answer stale when any agent in the fleet is (its pool could not be reached in time). */
  private static HttpResponse staleMarked(List<AgentView> all, HttpResponse response) {
    if (all.stream().noneMatch(AgentView::stale)) {
      return response;
    }
    String since = all.stream().filter(AgentView::stale).map(AgentView::staleSince)
        .map(s -> s == null ? java.time.Instant.EPOCH : s).min(Comparator.naturalOrder())
        .filter(s -> !s.equals(java.time.Instant.EPOCH)).map(Object::toString).orElse("unknown");
    return response.addHeader(akka.http.javadsl.model.HttpHeader.parse(STALE_HEADER, since));
  }

  private static HttpResponse activated(String name, Activation a) {
    if (a instanceof Activation.Accepted acc) {
      boolean queued = acc.queuePosition() > 0;
      return Json.response(StatusCodes.ACCEPTED, new ActivationResponse(name, queued ? "queued" : "starting",
          queued ? acc.queuePosition() : null, null));
    }
    Activation.Active active = (Activation.Active) a;
    return Json.ok(new ActivationResponse(name, "active", null, active.agent()));
  }

  private Route events(String name, Optional<String> before, Optional<String> limit) {
    long b;
    int l;
    try {
      b = before.isPresent() ? boundedLong("before", before.get(), 1, Long.MAX_VALUE) : Long.MAX_VALUE;
      l = pageLimit(limit);
    } catch (Json.BadJson e) {
      return complete(Problem.badRequest(e.field(), e.getMessage()));
    }
    return answer(() -> backend.events(name, b, l), Json::ok);
  }

  private Route decisions(String pool, Optional<String> limit) {
    int l;
    try {
      l = pageLimit(limit);
    } catch (Json.BadJson e) {
      return complete(Problem.badRequest(e.field(), e.getMessage()));
    }
    return answer(() -> backend.decisions(pool, l), Json::ok);
  }

  /** A list's {@code ?limit=}: 1 to 500, 50 when absent. */
  private static int pageLimit(Optional<String> limit) throws Json.BadJson {
    return limit.isPresent() ? boundedLong("limit", limit.get(), 1, 500).intValue() : 50;
  }

  private Route history(Optional<String> minutes) {
    long m;
    try {
      m = minutes.isPresent() ? boundedLong("minutes", minutes.get(), 1, 1440)
          : settings.historyWindow().toMinutes();
    } catch (Json.BadJson e) {
      return complete(Problem.badRequest(e.field(), e.getMessage()));
    }
    // Thresholds ride along so the charts can draw them; a supervisor without them gets the seed's.
    return answer(() -> call(backend::telemetry).exceptionally(e -> null).thenCombine(
        call(() -> backend.history(Duration.ofMinutes(m))),
        (t, samples) -> samples.map(list -> new HostHistory(
            t == null || t.thresholds() == null ? Thresholds.SEED : t.thresholds(), list))), Json::ok);
  }

  private Route pools(Auth.Principal p) {
    return concat(
        pathEndOrSingleSlash(() -> get(() -> answer(backend::pools, Json::ok))),
        path(segment().slash("quota"), name -> put(() -> operator(p, () -> named("pool", name, () ->
            jsonBody(PoolView.Quota.class, q -> setQuota(name, q)))))),
        path(segment().slash("decisions"), name -> get(() -> named("pool", name, () ->
            parameterOptional("limit", limit -> decisions(name, limit))))));
  }

  private Route setQuota(String pool, PoolView.Quota q) {
    String problem = null;
    String field = null;
    if (q.maxActive() < 0) {
      field = "maxActive";
      problem = "must be at least 0";
    } else if (q.memoryBudgetBytes() < 0) {
      field = "memoryBudgetBytes";
      problem = "must be at least 0";
    } else if (!Double.isFinite(q.cpuBudget()) || q.cpuBudget() < 0 || q.cpuBudget() > 1_000_000) {
      field = "cpuBudget";
      problem = "must be between 0 and 1000000 cores";
    } else if (q.minActive() < 0 || q.minActive() > q.maxActive()) {
      field = "minActive";
      problem = "must be between 0 and maxActive (" + q.maxActive() + ")";
    }
    if (problem != null) {
      return complete(Problem.badRequest(field, "field \"" + field + "\" " + problem));
    }
    return answer(() -> backend.setQuota(pool, q), Json::ok);
  }

  private Route workers(Auth.Principal p) {
    return concat(
        pathEndOrSingleSlash(() -> concat(
            get(() -> answer(backend::workers, Json::ok)),
            post(() -> operator(p, () -> jsonBody(WorkerRequest.class, this::addWorker))))),
        path(segment(), name -> delete(() -> operator(p, () -> named("worker", name,
            () -> answer(() -> backend.removeWorker(name), Json::ok))))));
  }

  private Route addWorker(WorkerRequest w) {
    if (w.name() == null || !NAME.matcher(w.name()).matches() || w.name().length() > 63) {
      return complete(Problem.badRequest("name",
          "field \"name\" must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit"));
    }
    String urlProblem = urlProblem(w.url());
    if (urlProblem != null) {
      return complete(Problem.badRequest("url", "field \"url\" " + urlProblem));
    }
    return answer(() -> backend.addWorker(w.name(), w.url()), v -> Json.response(StatusCodes.CREATED, v)
        .addHeader(Location.create("/api/v1/workers/" + v.name())));
  }

  static String urlProblem(String url) {
    if (url == null || url.isBlank()) {
      return "is required";
    }
    if (url.length() > 2048) {
      return "is longer than 2048 characters";
    }
    try {
      URI u = new URI(url);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return "must be an http:// or https:// URL";
      }
      if (u.getHost() == null || u.getHost().isEmpty()) {
        return "has no host";
      }
      if (u.getUserInfo() != null || u.getQuery() != null || u.getFragment() != null) {
        return "must not contain credentials, a query or a fragment";
      }
      return null;
    } catch (java.net.URISyntaxException e) {
      return "is not a valid URL: " + clip(e.getReason());
    }
  }

  private Route operator(Auth.Principal p, Supplier<Route> inner) {
    if (!p.mayMutate()) {
      return complete(Problem.forbidden("token \"" + p.name() + "\" has role viewer; this needs role operator"));
    }
    return inner.get();
  }

  static List<String> states() {
    return Arrays.stream(AgentState.values()).map(Enum::name).toList();
  }
}
