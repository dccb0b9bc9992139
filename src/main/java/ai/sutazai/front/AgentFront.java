package ai.sutazai.front;

import ai.sutazai.common.ClientConnections;

import ai.sutazai.common.Concurrency;

import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.inference.InFlight;
import ai.sutazai.inference.ollama.Stages;
import akka.Done;
import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.settings.ServerSettings;
import akka.stream.Materializer;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Sink;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent front ({@code sutazai.gateway}): {@code /agents/{agent}/{path}}, any method, proxied to the
 * agent's port on 127.0.0.1 ({@link AgentProxy}). A request for an agent that is not healthy is held by
 * the {@link HoldingRoom} while its pool starts it; once the agent is healthy it goes on, and its response
 * carries {@code X-Sutazai-Cold-Start-Ms}. From arrival until its response has been sent (or it failed, or
 * its client left) the agent is busy: never idle-stopped or preempted; each request counts as its traffic.
 *
 * <pre>{@code
 * AgentFront.Handle front = AgentFront.start(system, FrontSettings.from(config), fleet, gateway.agentLink())
 *     .toCompletableFuture().get();
 * }</pre>
 */
public final class AgentFront {
  static final String PREFIX = "/agents/";
  public static final String COLD_START_HEADER = "X-Sutazai-Cold-Start-Ms";

  private final ActorSystem<?> system;
  private final FrontSettings settings;
  private final FleetSpec fleet;
  private final AgentLink link;
  private final FrontStats stats;
  private final Set<String> healthy;
  private final ActorRef<HoldingRoom.Command> room;
  private final AgentProxy proxy;
  private final List<byte[]> tokens;
  private final AtomicLong ids = new AtomicLong();
  /** Requests in flight per agent through this front (guarded by each array). */
  private final Map<String, int[]> inFlight = new ConcurrentHashMap<>();

  private AgentFront(ActorSystem<?> system, FrontSettings settings, FleetSpec fleet, AgentLink link, String name) {
    this.system = system;
    this.settings = settings;
    this.fleet = fleet;
    this.link = link;
    this.stats = FrontStats.of(ai.sutazai.common.MetricsRegistry.get(system));
    this.healthy = HoldingRoom.healthySet();
    this.room = system.systemActorOf(HoldingRoom.create(settings, link, stats, healthy), name, Props.empty());
    this.proxy = new AgentProxy(system, settings);
    this.tokens = settings.tokens().stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
  }

  /** Starts the front on {@code settings.bind():port}; fails with a message naming the setting when the port is taken. */
  public static CompletionStage<Handle> start(ActorSystem<?> system, FrontSettings settings, FleetSpec fleet, AgentLink link) {
    return start(system, settings, fleet, link, "agent-front");
  }

  /** As above; {@code name} (the holding room's actor name) must be unique in the system. */
  public static CompletionStage<Handle> start(ActorSystem<?> system, FrontSettings settings, FleetSpec fleet, AgentLink link,
      String name) {
    AgentFront front = new AgentFront(system, settings, fleet, link, name);
    ServerSettings server = ServerSettings.create(ConfigFactory.parseString(
        "akka.http.server {\n request-timeout = infinite\n idle-timeout = 10 min\n remote-address-attribute = on\n"
            + " parsing.max-content-length = infinite\n parsing.illegal-header-warnings = off\n"
            + " server-header = \"sutazai-gateway\"\n}") // no header value (a token) in a warning
        .withFallback(system.settings().config()));
    Materializer mat = Materializer.matFromSystem(system);
    CompletionStage<ServerBinding> bound = Http.get(system).newServerAt(settings.bind(), settings.port())
        .withSettings(server).connectionSource()
        .to(Sink.foreach(c -> c.handleWith(front.connectionFlow(), mat)))
        .run(mat);
    return bound.handle((b, err) -> {
      if (err != null) {
        system.classicSystem().stop(akka.actor.typed.javadsl.Adapter.toClassic(front.room));
        throw new ai.sutazai.common.UserError("agent front: cannot listen on " + settings.bind() + ":" + settings.port()
            + " (sutazai.gateway.bind / port, env SUTAZAI_GATEWAY_PORT): " + Concurrency.message(err));
      }
      return new Handle(front, b);
    });
  }

  /**
   * One connection's requests, each with a future that completes when its client goes away (the
   * connection's request side ends), so a held request whose client left is dropped at once.
   */
  private Flow<HttpRequest, HttpResponse, NotUsed> connectionFlow() {
    return ClientConnections.flow(this::handle);
  }

  /** One request; never fails (failures become problem answers). */
  CompletionStage<HttpResponse> handle(HttpRequest req, CompletionStage<Void> clientGone) {
    long start = System.nanoTime();
    String path = req.getUri().path();
    if (!path.startsWith(PREFIX)) {
      return refuse(req, "", start, new FrontProblem(404, "Not found", "the agent front serves /agents/{agent}/{path}; "
          + "agents: " + String.join(", ", fleet.agents().keySet()), "", null, 0, 0));
    }
    int slash = path.indexOf('/', PREFIX.length());
    String agent = slash < 0 ? path.substring(PREFIX.length()) : path.substring(PREFIX.length(), slash);
    String rest = slash < 0 ? "/" : path.substring(slash);
    AgentSpec spec = fleet.agents().get(agent);
    if (spec == null) {
      // Not counted under its name: any client could make up names, each a new series on /metrics.
      return refuse(req, "", start, new FrontProblem(404, "Unknown agent", "the fleet " + fleet.name()
          + " has no agent '" + agent + "'", agent, null, 0, 0));
    }
    if (!tokens.isEmpty() && !spec.publicAccess() && !authorized(req)) {
      return refuse(req, agent, start, new FrontProblem(401, "Unauthorized", "send Authorization: Bearer <token> "
          + "(sutazai.gateway.auth.tokens), or mark the agent public = true in the fleet spec", agent, null, 0, 0)
          .withRetryAfter(0));
    }
    int port = spec.frontPort();
    if (port <= 0) {
      return refuse(req, agent, start, new FrontProblem(404, "Agent not reachable through the front", "agent '" + agent
          + "' has no port: set port = <its HTTP port on 127.0.0.1> in its fleet spec (or an http health probe)",
          agent, null, 0, 0));
    }
    started(agent);
    AtomicBoolean ended = new AtomicBoolean();
    Runnable finished = () -> {
      if (ended.compareAndSet(false, true)) {
        ended(agent);
      }
    };
    CompletionStage<HoldingRoom.Verdict> verdict;
    if (healthy.contains(agent)) {
      verdict = CompletableFuture.completedFuture(new HoldingRoom.Go(-1));
    } else {
      long id = ids.incrementAndGet();
      verdict = Stages.plain(AskPattern.ask(room, r -> new HoldingRoom.Hold(agent, id, r), HoldingRoom.askTimeout(settings),
          system.scheduler()));
      clientGone.thenRun(() -> room.tell(new HoldingRoom.Drop(agent, id)));
    }
    CompletionStage<HttpResponse> answer = verdict.thenCompose(v -> {
      if (v instanceof HoldingRoom.Refuse r) {
        req.discardEntityBytes(system);
        return CompletableFuture.completedFuture(r.problem().response());
      }
      long cold = ((HoldingRoom.Go) v).coldStartMillis();
      long forwarded = System.nanoTime();
      return proxy.forward(req, rest, port).thenApply(resp -> {
        system.eventStream().tell(new akka.actor.typed.eventstream.EventStream.Publish<>(
            new ai.sutazai.common.AgentResponded(agent, (System.nanoTime() - forwarded) / 1_000_000)));
        return resp;
      }).thenApply(resp -> cold < 0 ? resp
          : resp.addHeader(RawHeader.create(COLD_START_HEADER, Long.toString(cold))));
    }).exceptionally(err -> {
      req.discardEntityBytes(system);
      String why = Concurrency.message(err);
      boolean timeout = why.contains("Ask timed out");
      return new FrontProblem(timeout ? 504 : 502, timeout ? "Agent did not start in time" : "Agent unreachable",
          timeout ? "agent " + agent + " did not become healthy in time (sutazai.gateway.hold-timeout)"
              : "agent " + agent + " on 127.0.0.1:" + port + ": " + why, agent, null, 0, 0).response();
    }).thenApply(resp -> {
      stats.answered(agent, resp.status().intValue(), System.nanoTime() - start);
      return resp;
    });
    return InFlight.until(answer, clientGone, finished);
  }

  /**
   * Busy marking without a message per request: the pool hears {@code busy(agent, true)} when the agent's
   * first request through this front starts and {@code busy(agent, false)} when its last one ends. The pool
   * counts in-flight requests and takes each mark as traffic, so its view is the same as with a mark per
   * request (busy while any is in flight; idle clock restarted when the last ends) at a fraction of the
   * messages under load. Marks are sent under the agent's lock so the pool sees them in order.
   */
  private void started(String agent) {
    int[] n = inFlight.computeIfAbsent(agent, a -> new int[1]);
    synchronized (n) {
      if (n[0]++ == 0) {
        link.busy(agent, true);
      }
    }
  }

  private void ended(String agent) {
    int[] n = inFlight.get(agent);
    synchronized (n) {
      if (--n[0] == 0) {
        link.busy(agent, false);
      }
    }
  }

  private CompletionStage<HttpResponse> refuse(HttpRequest req, String agent, long start, FrontProblem p) {
    req.discardEntityBytes(system);
    if (!agent.isEmpty()) {
      stats.answered(agent, p.status(), System.nanoTime() - start);
    }
    return CompletableFuture.completedFuture(p.response());
  }

  /** Bearer token, compared in constant time against every configured token. */
  private boolean authorized(HttpRequest req) {
    String v = req.getHeader("Authorization").map(h -> h.value().trim()).orElse("");
    if (!v.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = v.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    boolean ok = false;
    for (byte[] t : tokens) {
      ok |= MessageDigest.isEqual(t, given);
    }
    return ok;
  }

  /** A running front. */
  public static final class Handle {
    private final AgentFront front;
    private final ServerBinding binding;

    Handle(AgentFront front, ServerBinding binding) {
      this.front = front;
      this.binding = binding;
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
      return binding.localAddress().getPort();
    }

    /** Held requests, cold starts, latency and status codes per agent. */
    public FrontStats stats() {
      return front.stats;
    }

    /** Unbinds (in-flight responses get {@code hardDeadline}) and stops the holding room. */
    public CompletionStage<Done> stop(Duration hardDeadline) {
      return binding.terminate(hardDeadline).thenApply(t -> {
        front.system.classicSystem().stop(akka.actor.typed.javadsl.Adapter.toClassic(front.room));
        return Done.getInstance();
      });
    }
  }
}
