package ai.sutazai.api;

import static akka.http.javadsl.server.PathMatchers.segment;

import ai.sutazai.api.view.HealthView;
import ai.sutazai.api.view.Telemetry;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpMethod;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.Allow;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.MethodRejection;
import akka.http.javadsl.server.Rejection;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management server's whole route tree: {@code /api/v1} (authenticated), {@code /health},
 * {@code /metrics}, {@code /openapi.json} and the dashboard. Every answer, including rejections and
 * unexpected exceptions, is timed and problems are {@code application/problem+json}.
 */
public final class ManagementRoutes extends RouteSupport {
  private static final Logger log = LoggerFactory.getLogger(ManagementRoutes.class);
  private static final String STREAM_PATH = "/api/v1/events/stream";
  private static final List<HttpHeader> STATIC_HEADERS = List.of(
      RawHeader.create("Content-Security-Policy",
          "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self';"
              + " frame-ancestors 'none'"),
      // No page of another site may frame the dashboard (clickjacking of operator buttons).
      RawHeader.create("X-Frame-Options", "DENY"),
      RawHeader.create("X-Content-Type-Options", "nosniff"),
      RawHeader.create("Cache-Control", "no-cache"));

  /** Prometheus text exposition format 0.0.4. */
  static final akka.http.javadsl.model.ContentType PROMETHEUS_TEXT =
      ContentTypes.parse("text/plain; version=0.0.4; charset=utf-8");

  private final ManagementBackend backend;
  private final Auth auth;
  private final HttpMetrics httpMetrics;
  private final MetricsExposition exposition;
  private final ApiRoutes api;
  private final StreamTickets tickets;
  private final byte[] openApi;

  /** Routes whose {@code /metrics} writes {@code metrics}' registry (the actor system's). */
  public ManagementRoutes(ManagementSettings settings, ManagementBackend backend, ai.sutazai.common.MetricsRegistry metrics) {
    super(settings);
    this.backend = backend;
    this.auth = new Auth(settings.tokens());
    this.httpMetrics = new HttpMetrics(metrics);
    this.exposition = MetricsExposition.of(metrics);
    this.tickets = new StreamTickets(java.time.Clock.systemUTC());
    this.api = new ApiRoutes(settings, backend, new LiveStream(backend, settings), tickets);
    this.openApi = Json.bytes(OpenApi.document());
  }

  public Route route() {
    return timed(() -> handleExceptions(exceptions(), () -> handleRejections(rejections(), () -> concat(
        pathPrefix(segment("api").slash("v1"), () -> extractUri(uri -> STREAM_PATH.equals(uri.path())
            ? parameterOptional("ticket", ticket -> ticket.isPresent() ? ticketed(ticket.get(), api::route)
                : authenticated(api::route))
            : authenticated(api::route))),
        path("health", () -> get(() -> maybePublic(settings.publicHealth(), this::health))),
        path("metrics", () -> get(() -> maybePublic(settings.publicMetrics(), this::metrics))),
        path("openapi.json", () -> get(() -> complete(HttpResponse.create()
            .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, openApi))))),
        dashboard()))));
  }

  private Route dashboard() {
    return respondWithHeaders(STATIC_HEADERS, () -> concat(
        pathSingleSlash(() -> get(() -> getFromResource("dashboard/index.html", ContentTypes.TEXT_HTML_UTF8))),
        pathPrefix("assets", () -> get(() -> getFromResourceDirectory("dashboard/assets")))));
  }

  private Route timed(Supplier<Route> inner) {
    return extractRequest(request -> {
      long start = System.nanoTime();
      return mapResponse(response -> {
        httpMetrics.observe(request.method().value(), request.getUri().path(), response.status().intValue(),
            System.nanoTime() - start);
        return response;
      }, inner);
    });
  }

  /** Authenticates by bearer header; a token is never taken from the URL (logs, history, captures keep URLs). */
  private Route authenticated(Function<Auth.Principal, Route> inner) {
    return optionalHeaderValueByName("Authorization", header -> {
      Optional<String> token = header.flatMap(Auth::bearer);
      if (header.isPresent() && token.isEmpty()) {
        return complete(Problem.unauthorized("the Authorization header must be \"Bearer <token>\""));
      }
      if (token.isEmpty()) {
        return complete(Problem.unauthorized("a bearer token is required (Authorization: Bearer <token>; the event "
            + "stream takes ?ticket= from GET /api/v1/events/ticket)"));
      }
      Optional<Auth.Principal> principal = auth.authenticate(token.get());
      return principal.map(inner).orElseGet(() -> complete(Problem.unauthorized("the token is not valid")));
    });
  }

  /** The event stream opened with a ticket (single use, short-lived) instead of a token in its URL. */
  private Route ticketed(String ticket, Function<Auth.Principal, Route> inner) {
    return tickets.redeem(ticket).map(inner).orElseGet(() -> complete(Problem.unauthorized(
        "the stream ticket is not valid: tickets open one stream within " + StreamTickets.VALIDITY.toSeconds()
            + " s of GET /api/v1/events/ticket")));
  }

  private Route maybePublic(boolean isPublic, Supplier<Route> inner) {
    return isPublic ? inner.get() : authenticated(p -> inner.get());
  }

  private Route health() {
    return completeWithFuture(call(backend::health)
        .thenApply(h -> Json.response(h.live() && h.ready() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, h))
        .exceptionally(e -> Json.response(StatusCodes.SERVICE_UNAVAILABLE, new HealthView(false, false,
            java.util.Map.of("supervisor", new HealthView.Check(false, "did not answer: " + e.getClass().getSimpleName()))))));
  }

  private Route metrics() {
    CompletableFuture<Telemetry> telemetry = optional(call(backend::telemetry));
    var agents = section(backend::agents);
    var pools = section(backend::pools);
    var containers = section(backend::containers);
    var workers = section(backend::workers);
    var alerts = section(backend::alerts);
    CompletionStage<HttpResponse> response = CompletableFuture.allOf(telemetry, agents, pools, containers, workers, alerts)
        .thenApply(v -> exposition.render(new Scrape(telemetry.join(), agents.join(), pools.join(),
            containers.join(), workers.join(), alerts.join())))
        .thenApply(bytes -> HttpResponse.create().withEntity(HttpEntities.create(PROMETHEUS_TEXT, bytes)));
    return completeWithFuture(response);
  }

  private <T> CompletableFuture<T> section(Supplier<CompletionStage<Result<T>>> c) {
    return optional(call(c).thenApply(r -> r instanceof Result.Ok<T> ok ? ok.value() : null));
  }

  private static <T> CompletableFuture<T> optional(CompletionStage<T> stage) {
    return stage.toCompletableFuture().exceptionally(e -> null);
  }

  private ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder().match(Throwable.class, e -> {
      log.error("management route failed", e);
      return complete(Problem.of(StatusCodes.INTERNAL_SERVER_ERROR, "internal", "internal error; see the supervisor's log", null));
    }).build();
  }

  private RejectionHandler rejections() {
    return RejectionHandler.newBuilder()
        .handleAll(MethodRejection.class, rs -> {
          List<HttpMethod> allowed = rs.stream().map(MethodRejection::supported).distinct().toList();
          String names = String.join(", ", allowed.stream().map(HttpMethod::value).toList());
          return complete(Problem.of(StatusCodes.METHOD_NOT_ALLOWED, "method-not-allowed",
              "this resource supports " + names, "method").addHeader(Allow.create(allowed.toArray(HttpMethod[]::new))));
        })
        .handle(Rejection.class, r -> complete(Problem.badRequest(null, "request rejected: " + r.getClass().getSimpleName())))
        .handleNotFound(extractUri(uri -> complete(Problem.notFound("no resource at " + clip(uri.path())))))
        .build();
  }
}
