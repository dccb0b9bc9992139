package ai.sutazai.inference;

import ai.sutazai.common.AgentKeys;
import ai.sutazai.common.Tokens;
import ai.sutazai.common.ClientConnections;

import ai.sutazai.inference.ollama.Stages;
import ai.sutazai.inference.ollama.ModelNames;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Scheduler;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpMethod;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.settings.ServerSettings;
import akka.http.scaladsl.model.EntityStreamSizeException;
import akka.NotUsed;
import akka.stream.Materializer;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Sink;
import akka.util.ByteString;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The Ollama-compatible HTTP front. Native {@code /api/*} and OpenAI {@code /v1/*} requests are parsed
 * just enough to find the model (bad input gets Ollama's own error shapes, never a 5xx) and then handed to
 * a {@link ProxyCall}; listings are unions over the workers ({@link ModelListings}); model management
 * goes to the workers named by {@code X-Sutazai-Worker} ({@link ModelAdmin}); {@code /sutazai/*} reports
 * the router's own state.
 */
public final class InferenceServer {
  static final Set<String> ROUTED = Set.of("/api/generate", "/api/chat", "/api/embed", "/api/embeddings",
      "/v1/chat/completions", "/v1/completions", "/v1/embeddings");
  private static final String AGENT_HEADER = "X-Sutazai-Agent";
  /** The named agent's key, with {@code X-Sutazai-Agent} (the path form carries it in the path instead). */
  static final String AGENT_KEY_HEADER = "X-Sutazai-Agent-Key";
  private static final String DEADLINE_HEADER = "X-Sutazai-Deadline-Ms";
  /** {@code /agents/{agent}/...}: the same API, the agent named by the path (OLLAMA_HOST of its container). */
  static final String AGENTS_PREFIX = "/agents/";

  private final ActorSystem<?> system;
  private final InferenceSettings settings;
  private final ActorRef<InferenceRouter.Command> router;
  private final AgentGateway gateway;
  private final UpstreamHttp http;
  private final Scheduler scheduler;
  private final Duration ask;
  private final ProxyCall proxy;
  private final ModelListings listings;
  private final ModelAdmin admin;

  public InferenceServer(ActorSystem<?> system, InferenceSettings settings, ActorRef<InferenceRouter.Command> router,
      AgentGateway gateway, UpstreamHttp http) {
    this.system = system;
    this.settings = settings;
    this.router = router;
    this.gateway = gateway;
    this.http = http;
    this.scheduler = system.scheduler();
    this.ask = ai.sutazai.common.Concurrency.askTimeout(system);
    this.proxy = new ProxyCall(router, scheduler, http, settings);
    this.listings = new ModelListings(router, scheduler, http, ask);
    this.admin = new ModelAdmin(router, scheduler, http, settings, ask);
  }

  /**
   * The HTTP server's settings. Akka's illegal-header warning quotes the header's value: a malformed
   * Authorization header would put a (possibly real) token in the log, so those warnings are off (as on the
   * management server).
   */
  static ServerSettings serverSettings(InferenceSettings settings, com.typesafe.config.Config fallback) {
    return ServerSettings.create(ConfigFactory.parseString(
        "akka.http.server {\n request-timeout = infinite\n"
            + " idle-timeout = " + settings.upstreamIdleTimeout().toMillis() + "ms\n"
            + " parsing.max-content-length = " + settings.maxBodyBytes() + "\n"
            + " parsing.illegal-header-warnings = off\n"
            + " server-header = \"sutazai-router\"\n}")
        .withFallback(fallback));
  }

  /** Binds {@code bind:port} (port 0: any free port). */
  public CompletionStage<ServerBinding> bind() {
    ServerSettings server = serverSettings(settings, system.settings().config());
    Materializer mat = http.materializer();
    return Stages.plain(Http.get(system).newServerAt(settings.bind(), settings.port()).withSettings(server)
        .connectionSource()
        .to(Sink.foreach(connection -> connection.handleWith(connectionFlow(), mat)))
        .run(mat));
  }

  /**
   * One connection's requests, one at a time (HTTP/1.1 without pipelining, as Akka's default). Each request
   * is given a future that completes when the client goes away: the request side of the connection ends
   * (the client closed or reset it) or the response side is cancelled. The watch sits before the handler, so
   * a client that leaves while its request waits in the router's queue is noticed at once, not when the
   * answer is finally written.
   */
  Flow<HttpRequest, HttpResponse, NotUsed> connectionFlow() {
    return ClientConnections.flow(this::handle);
  }

  /** One request, with no way to notice the client leaving (see {@link #connectionFlow()}). */
  public CompletionStage<HttpResponse> handle(HttpRequest req) {
    return handle(req, new CompletableFuture<>());
  }

  /** One request; never fails (failures become JSON error responses). {@code clientGone}: see above. */
  CompletionStage<HttpResponse> handle(HttpRequest given, CompletionStage<Void> clientGone) {
    HttpRequest req = given;
    try {
      String agent = "";
      String key = req.getHeader(AGENT_KEY_HEADER).map(h -> h.value().trim()).orElse("");
      if (req.getUri().path().startsWith(AGENTS_PREFIX)) {
        String p = req.getUri().path();
        int slash = p.indexOf('/', AGENTS_PREFIX.length());
        agent = slash < 0 ? p.substring(AGENTS_PREFIX.length()) : p.substring(AGENTS_PREFIX.length(), slash);
        if (agent.isEmpty() || !gateway.knows(agent)) {
          req.discardEntityBytes(system);
          return done(RouterErrors.json(404, "unknown agent '" + agent + "': the fleet has no such agent (path "
              + AGENTS_PREFIX + "{agent}/...)", slash >= 0 && p.startsWith("/v1", slash)));
        }
        String rest = slash < 0 ? "/" : p.substring(slash);
        // /agents/{agent}/{key}/...: the key the supervisor put in the agent's OLLAMA_HOST.
        int next = rest.indexOf('/', 1);
        String segment = next < 0 ? rest.substring(1) : rest.substring(1, next);
        if (AgentKeys.looksLikeKey(segment)) {
          key = segment;
          rest = next < 0 ? "/" : rest.substring(next);
        }
        req = req.withUri(req.getUri().path(rest));
      } else {
        agent = req.getHeader(AGENT_HEADER).map(h -> h.value().trim()).orElse("");
      }
      // Served as the same request with X-Sutazai-Agent, and that header only when the key is the agent's own.
      req = req.removeHeader(AGENT_HEADER).removeHeader(AGENT_KEY_HEADER);
      if (!agent.isEmpty()) {
        if (settings.agentKeys().valid(agent, key)) {
          req = req.addHeader(akka.http.javadsl.model.headers.RawHeader.create(AGENT_HEADER, agent));
        } else if (settings.requireAgentKey()) {
          req.discardEntityBytes(system);
          return done(RouterErrors.json(401, "agent '" + agent + "' named without its key: use the OLLAMA_HOST the "
              + "supervisor gave the agent (.../agents/{agent}/{key}) or send " + AGENT_KEY_HEADER
              + " (sutazai.inference.agent-keys.require)", req.getUri().path().startsWith("/v1")));
        }
        // else: anonymous: no activation, no busy marking, no priority
      }
      HttpRequest routed = req;
      return dispatch(routed, clientGone).exceptionally(err -> {
        routed.discardEntityBytes(system);
        return RouterErrors.json(500, "sutazai router: " + OllamaWorker.rootMessage(err),
            routed.getUri().path().startsWith("/v1"));
      });
    } catch (RuntimeException e) {
      req.discardEntityBytes(system);
      return CompletableFuture.completedFuture(RouterErrors.json(500, "sutazai router: " + e.getMessage(), false));
    }
  }

  private CompletionStage<HttpResponse> dispatch(HttpRequest req, CompletionStage<Void> clientGone) {
    String path = req.getUri().path();
    HttpMethod m = req.method();
    boolean read = m == HttpMethods.GET || m == HttpMethods.HEAD;
    if (!authorized(req)) {
      req.discardEntityBytes(system);
      return done(RouterErrors.json(401, "unauthorized: send Authorization: Bearer <token> (sutazai.inference.auth.tokens)",
          path.startsWith("/v1")));
    }
    if (path.equals("/") && read) {
      return done(HttpResponse.create().withEntity(ContentTypes.TEXT_PLAIN_UTF8,
          "Ollama is running (sutazai inference router " + ai.sutazai.common.Version.current() + ")"));
    }
    if (path.equals("/api/version") && read) {
      return done(json("{\"version\":\"0.33.0\",\"router\":\"sutazai inference router "
          + ai.sutazai.common.Version.current() + "\"}"));
    }
    if ((path.equals("/api/tags") || path.equals("/api/ps")) && read) {
      return listings.union(path);
    }
    if (path.equals("/v1/models") && m == HttpMethods.GET) {
      return listings.union(path);
    }
    if (path.startsWith("/v1/models/") && m == HttpMethods.GET) {
      String model = path.substring("/v1/models/".length());
      return located(req, ModelNames.key(model), model, true);
    }
    if (path.equals("/sutazai/workers") && m == HttpMethods.GET) {
      return Stages.plain(AskPattern.<InferenceRouter.Command, RouterReports.Workers>ask(router,
          InferenceRouter.GetWorkers::new, ask, scheduler)).thenApply(r -> json(ModelListings.bytes(r)));
    }
    if (path.equals("/sutazai/queue") && m == HttpMethods.GET) {
      return Stages.plain(AskPattern.<InferenceRouter.Command, RouterReports.Queue>ask(router,
          InferenceRouter.GetQueue::new, ask, scheduler)).thenApply(r -> json(ModelListings.bytes(r)));
    }
    boolean routed = ROUTED.contains(path) || path.equals("/api/show");
    boolean adminPath = path.equals("/api/pull") || path.equals("/api/copy") || path.equals("/api/delete");
    if (!routed && !adminPath && !knownPath(path)) {
      req.discardEntityBytes(system);
      return done(HttpResponse.create().withStatus(404).withEntity(ContentTypes.TEXT_PLAIN_UTF8, "404 page not found"));
    }
    if ((adminPath || path.equals("/api/push") || path.equals("/api/create")) && !operator(req)) {
      req.discardEntityBytes(system);
      return done(RouterErrors.json(403, path + " is model administration: send Authorization: Bearer <operator token>"
          + " (sutazai.inference.auth.operator-tokens" + (settings.operatorTokens().isEmpty() ? ", empty here)" : ")"),
          false));
    }
    if (path.equals("/api/push") || path.equals("/api/create")) {
      req.discardEntityBytes(system);
      return done(RouterErrors.json(400, path + " is not supported through the sutazai router; send it to a worker"
          + " directly (see GET /sutazai/workers)", false));
    }
    HttpMethod expected = path.equals("/api/delete") ? HttpMethods.DELETE : HttpMethods.POST;
    if ((!routed && !adminPath) || m != expected) {
      req.discardEntityBytes(system);
      return done(HttpResponse.create().withStatus(405).withEntity(ContentTypes.TEXT_PLAIN_UTF8, "405 method not allowed"));
    }
    boolean openAi = path.startsWith("/v1");
    return Stages.plain(req.entity().withSizeLimit(settings.maxBodyBytes())
            .toStrict(settings.probeTimeout().toMillis() * 5, http.materializer()))
        .thenCompose(strict -> withBody(req, path, strict.getData(), openAi, adminPath, clientGone))
        .exceptionally(err -> {
          Throwable t = ai.sutazai.common.Concurrency.unwrap(err);
          if (t instanceof EntityStreamSizeException || String.valueOf(t.getMessage()).contains("exceeded")) {
            return RouterErrors.json(413, "request body larger than " + settings.maxBodyBytes()
                + " bytes (sutazai.inference.max-body-size)", openAi);
          }
          if (t instanceof java.util.concurrent.TimeoutException) {
            return RouterErrors.json(408, "request body did not arrive in time", openAi);
          }
          return RouterErrors.json(500, "sutazai router: " + OllamaWorker.rootMessage(t), openAi);
        });
  }

  private CompletionStage<HttpResponse> withBody(HttpRequest req, String path, ByteString body, boolean openAi,
      boolean adminPath, CompletionStage<Void> clientGone) {
    if (body.isEmpty()) {
      return done(RouterErrors.json(400, "missing request body", openAi));
    }
    if (adminPath) {
      JsonNode json;
      try {
        json = UpstreamHttp.JSON.readTree(body.toArray());
      } catch (java.io.IOException e) {
        String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("invalid JSON");
        return done(RouterErrors.json(400, "invalid JSON in request body: " + first, openAi));
      }
      if (json == null || !json.isObject()) {
        return done(RouterErrors.json(400, "request body must be a JSON object", openAi));
      }
      return admin.handle(req, path, json, body);
    }
    String model;
    try {
      model = modelField(body, path.equals("/api/show"));
    } catch (BadBody e) {
      return done(RouterErrors.json(400, e.getMessage(), openAi));
    }
    if (model.isEmpty()) {
      return done(switch (path) {
        case "/api/generate", "/api/embed" -> RouterErrors.json(404, "model '' not found", false);
        default -> RouterErrors.json(400, "model is required", openAi);
      });
    }
    String norm = ModelNames.key(model);
    if (path.equals("/api/show")) {
      return located(req.withEntity(ContentTypes.APPLICATION_JSON, body), norm, model, false);
    }
    String agent = req.getHeader(AGENT_HEADER).map(h -> h.value().trim()).orElse("");
    long deadlineNanos;
    Optional<akka.http.javadsl.model.HttpHeader> deadlineHeader = req.getHeader(DEADLINE_HEADER);
    long maxWait = settings.maxQueueWait().toNanos();
    if (deadlineHeader.isPresent()) {
      try {
        long ms = Long.parseLong(deadlineHeader.get().value().trim());
        if (ms <= 0) {
          throw new NumberFormatException();
        }
        deadlineNanos = System.nanoTime() + Math.min(maxWait, ms * 1_000_000L);
      } catch (NumberFormatException e) {
        return done(RouterErrors.json(400, DEADLINE_HEADER + ": '" + deadlineHeader.get().value()
            + "' is not a positive number of milliseconds", openAi));
      }
    } else {
      deadlineNanos = System.nanoTime() + maxWait;
    }
    String pathAndQuery = req.getUri().rawQueryString().map(q -> path + "?" + q).orElse(path);
    CompletionStage<AgentAdmission> admission = agent.isEmpty()
        ? CompletableFuture.completedFuture(AgentAdmission.admit(0)) : gateway.admit(agent);
    return admission.handle((a, err) -> {
      if (err != null) {
        return done(RouterErrors.busy("agent '" + agent + "' could not be admitted: "
            + OllamaWorker.rootMessage(err), 5, openAi));
      }
      if (!a.admitted()) {
        return done(RouterErrors.json(403, "agent '" + agent + "' refused: " + a.reason(), openAi));
      }
      CompletionStage<HttpResponse> answer = proxy.run(new ProxyCall.Call(req.method(), pathAndQuery, path, norm,
          model, agent, a.priority(), deadlineNanos, body, openAi, clientGone));
      return agent.isEmpty() ? answer : InFlight.until(answer, clientGone, () -> gateway.finished(agent));
    }).thenCompose(x -> x);
  }

  /** A request body the router cannot route; the message is Ollama's own wording where it has one. */
  private static final class BadBody extends Exception {
    BadBody(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The top-level {@code model} of a JSON object body ({@code name} too for /api/show, when model is empty),
   * read with a streaming parser that stops at the field: no tree of a large prompt is built, and what follows
   * the field is left to the worker to judge. "" when absent or null.
   */
  static String modelField(ByteString body, boolean nameToo) throws BadBody {
    String model = "";
    String name = "";
    try (com.fasterxml.jackson.core.JsonParser p = UpstreamHttp.JSON.getFactory().createParser(body.toArray())) {
      if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        throw new BadBody("request body must be a JSON object");
      }
      com.fasterxml.jackson.core.JsonToken t;
      while ((t = p.nextToken()) == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String field = p.currentName();
        com.fasterxml.jackson.core.JsonToken value = p.nextToken();
        boolean wanted = field.equals("model") || (nameToo && field.equals("name"));
        if (wanted && value != com.fasterxml.jackson.core.JsonToken.VALUE_NULL) {
          if (value != com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
            throw new BadBody("json: cannot unmarshal " + kind(value) + " into Go struct field ." + field
                + " of type string");
          }
          if (field.equals("model")) {
            model = p.getText();
            if (!model.isEmpty()) {
              return model;
            }
          } else {
            name = p.getText();
          }
        } else {
          p.skipChildren();
        }
      }
      if (t != com.fasterxml.jackson.core.JsonToken.END_OBJECT) {
        throw new BadBody("invalid JSON in request body: unexpected end of input");
      }
    } catch (java.io.IOException e) {
      String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("invalid JSON");
      throw new BadBody("invalid JSON in request body: " + first);
    }
    return model.isEmpty() ? name : model;
  }

  private static String kind(com.fasterxml.jackson.core.JsonToken t) {
    return switch (t) {
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
      case VALUE_TRUE, VALUE_FALSE -> "bool";
      case START_OBJECT -> "object";
      case START_ARRAY -> "array";
      default -> "value";
    };
  }

  /** /api/show and /v1/models/{id}: any worker that has the model, no slot taken. */
  private CompletionStage<HttpResponse> located(HttpRequest req, String norm, String asGiven, boolean openAi) {
    return Stages.plain(AskPattern.<InferenceRouter.Command, InferenceRouter.Grant>ask(router,
        replyTo -> new InferenceRouter.Locate(norm, replyTo), ask, scheduler)).thenCompose(g -> {
          if (g instanceof InferenceRouter.Granted granted) {
            String pathAndQuery = req.getUri().rawQueryString().map(q -> req.getUri().path() + "?" + q)
                .orElse(req.getUri().path());
            HttpRequest upstream = HttpRequest.create(granted.url() + pathAndQuery).withMethod(req.method())
                .withEntity(req.entity());
            return http.send(upstream).thenApply(r -> r.addHeader(
                akka.http.javadsl.model.headers.RawHeader.create(ProxyCall.WORKER_HEADER, granted.worker())));
          }
          req.discardEntityBytes(system);
          return done(RouterErrors.json(404, openAi ? "The model '" + asGiven + "' does not exist"
              : RouterErrors.modelNotFound("/api/show", asGiven), openAi));
        });
  }

  private boolean authorized(HttpRequest req) {
    if (settings.authTokens().isEmpty()) {
      return true;
    }
    String given = bearer(req);
    return Tokens.matches(settings.authTokens(), given) | Tokens.matches(settings.operatorTokens(), given);
  }

  /** Model administration changes every worker's models: only an operator token may. */
  private boolean operator(HttpRequest req) {
    return !settings.operatorTokens().isEmpty() && Tokens.matches(settings.operatorTokens(), bearer(req));
  }

  private static String bearer(HttpRequest req) {
    return req.getHeader("Authorization").map(h -> Tokens.bearer(h.value())).orElse(null);
  }

  private static boolean knownPath(String path) {
    return path.equals("/") || path.equals("/api/version") || path.equals("/api/tags") || path.equals("/api/ps")
        || path.equals("/v1/models") || path.startsWith("/v1/models/") || path.startsWith("/sutazai/")
        || path.equals("/api/push") || path.equals("/api/create");
  }

  private static HttpResponse json(String s) {
    return HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, s);
  }

  private static HttpResponse json(byte[] b) {
    return HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, b);
  }

  private static CompletionStage<HttpResponse> done(HttpResponse r) {
    return CompletableFuture.completedFuture(r);
  }
}
