package ai.sutazai.inference;

import ai.sutazai.common.CborSerializable;
import ai.sutazai.inference.ollama.ModelNames;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One Ollama endpoint, registered with the Receptionist under {@link #SERVICE_KEY} so that the routers of
 * other cluster nodes can use it too ({@link Subscribe}); the node whose router spawned it owns it. Checks health with {@code HEAD /} every {@code health-interval}, reads loaded
 * ({@code /api/ps}) and installed ({@code /api/tags}) models every {@code models-interval}, keeps the
 * request slots per model (configured {@code num-parallel}, lowered by one for each 503 the worker
 * answers to a request within them (the router sends only those), restored one per {@code slot-recovery-interval}) and a circuit breaker: closed → open after
 * {@code max-failures} consecutive failures → half-open after {@code reset-timeout}, when a single
 * {@code HEAD /} probe decides between closed and open again. Every change is published to the router
 * as a {@link Status}. Requests in flight are counted by the router, which grants the slots.
 */
public final class OllamaWorker extends AbstractBehavior<OllamaWorker.Command> {

  public interface Command {}

  /** Every worker registers under this key; each node's router subscribes to it. */
  public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "sutazai-ollama-worker");

  /** A router reports how a proxied request to this worker ended (from any node). */
  public record Outcome(String model, Kind kind) implements Command, CborSerializable {}

  /**
   * Another node's router wants this worker's {@link Status}: sent at once and on every change, as
   * {@link Published}, until the subscriber stops.
   */
  public record Subscribe(ActorRef<Published> subscriber) implements Command, CborSerializable {}

  /** A {@link Status} sent to a {@link Subscribe}r, with the worker it is about. */
  public record Published(ActorRef<Command> worker, Status status) implements CborSerializable {}

  /** Kinds of {@link Outcome}. */
  public enum Kind { OK, OVERLOADED, FAILED, LOAD_OBSERVED }

  /** Read /api/ps and /api/tags now (after a pull, delete or copy, or an observed load). */
  public record RefreshModels() implements Command, CborSerializable {}

  /** Stop checking and stop. */
  public record Stop() implements Command {}

  /** Breaker states. */
  public enum Breaker { CLOSED, OPEN, HALF_OPEN }

  /** What the router knows about this worker; published on every change. */
  public record Status(
      WorkerConfig config,
      boolean healthy,
      Breaker breaker,
      Set<String> loaded,
      Set<String> installed,
      Map<String, Integer> slots,
      int consecutiveFailures,
      String lastError,
      boolean modelsKnown) implements CborSerializable {
    /** Routable: the breaker is closed (one failed health check alone does not take a worker out). */
    public boolean available() {
      return breaker == Breaker.CLOSED;
    }

    /** The same status under another worker config (the router's name for another node's worker). */
    public Status withConfig(WorkerConfig other) {
      return new Status(other, healthy, breaker, loaded, installed, slots, consecutiveFailures, lastError,
          modelsKnown);
    }
  }

  private enum Tick { HEALTH, MODELS, RESET, SLOTS }

  private record TickMsg(Tick tick) implements Command {}

  private record HealthResult(int status, String error, boolean probe) implements Command {}

  private record ModelsResult(Set<String> loaded, Set<String> installed, String error) implements Command {}

  private record SubscriberGone(ActorRef<Published> subscriber) implements Command {}

  private final ActorContext<Command> context;
  private final WorkerConfig config;
  private final InferenceSettings settings;
  private final UpstreamHttp http;
  private final ActorRef<Status> listener;
  private final TimerScheduler<Command> timers;
  private final Map<String, Integer> slots = new HashMap<>();
  private final Map<String, Long> lastOverloadNanos = new HashMap<>();
  private final Set<ActorRef<Published>> subscribers = new HashSet<>();
  private Set<String> loaded = Set.of();
  private Set<String> installed = Set.of();
  private boolean modelsKnown;
  /** A check or listing is under way: the next tick skips rather than pile requests up on a slow worker. */
  private boolean healthInFlight;
  private boolean modelsInFlight;
  /** Asked for while a listing was under way (e.g. after a pull): read again when it ends. */
  private boolean modelsAgain;
  private boolean healthy = true;
  private Breaker breaker = Breaker.CLOSED;
  private int failures;
  private String lastError = "";
  private Status published;

  public static Behavior<Command> create(WorkerConfig config, InferenceSettings settings, UpstreamHttp http,
      ActorRef<Status> listener) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new OllamaWorker(ctx, timers, config, settings, http, listener)));
  }

  private OllamaWorker(ActorContext<Command> context, TimerScheduler<Command> timers, WorkerConfig config,
      InferenceSettings settings, UpstreamHttp http, ActorRef<Status> listener) {
    super(context);
    this.context = context;
    this.timers = timers;
    this.config = config;
    this.settings = settings;
    this.http = http;
    this.listener = listener;
    timers.startTimerWithFixedDelay(Tick.HEALTH, new TickMsg(Tick.HEALTH), settings.healthInterval());
    timers.startTimerWithFixedDelay(Tick.MODELS, new TickMsg(Tick.MODELS), settings.modelsInterval());
    timers.startTimerWithFixedDelay(Tick.SLOTS, new TickMsg(Tick.SLOTS), settings.slotRecoveryInterval());
    context.getSystem().receptionist().tell(Receptionist.register(SERVICE_KEY, context.getSelf()));
    checkHealth(false);
    readModels();
    publish();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(TickMsg.class, this::onTick)
        .onMessage(HealthResult.class, this::onHealth)
        .onMessage(ModelsResult.class, this::onModels)
        .onMessage(Outcome.class, this::onOutcome)
        .onMessage(RefreshModels.class, m -> {
          readModels();
          return this;
        })
        .onMessage(Subscribe.class, this::onSubscribe)
        .onMessage(SubscriberGone.class, m -> {
          subscribers.remove(m.subscriber());
          return this;
        })
        .onMessage(Stop.class, m -> Behaviors.stopped())
        .build();
  }

  private Behavior<Command> onSubscribe(Subscribe m) {
    if (subscribers.add(m.subscriber())) {
      context.watchWith(m.subscriber(), new SubscriberGone(m.subscriber()));
      context.getLog().info("worker {}: used by the router at {}", config.name(), m.subscriber().path().address());
    }
    m.subscriber().tell(new Published(context.getSelf(), published));
    return this;
  }

  private Behavior<Command> onTick(TickMsg msg) {
    switch (msg.tick()) {
      case HEALTH -> {
        if (breaker != Breaker.OPEN) {
          checkHealth(breaker == Breaker.HALF_OPEN);
        }
      }
      case MODELS -> readModels();
      case RESET -> {
        breaker = Breaker.HALF_OPEN;
        context.getLog().info("worker {}: circuit half-open, probing", config.name());
        checkHealth(true);
      }
      case SLOTS -> recoverSlots();
    }
    publish();
    return this;
  }

  private void checkHealth(boolean probe) {
    if (healthInFlight && !probe) {
      return;
    }
    healthInFlight = true;
    context.pipeToSelf(http.probe(HttpRequest.create(config.url() + "/").withMethod(HttpMethods.HEAD)),
        (status, err) -> err == null
            ? new HealthResult(status, status / 100 == 2 ? "" : "HEAD / answered " + status, probe)
            : new HealthResult(0, "HEAD /: " + rootMessage(err), probe));
  }

  private void readModels() {
    if (modelsInFlight) {
      modelsAgain = true;
      return;
    }
    modelsInFlight = true;
    var ps = http.getJson(HttpRequest.create(config.url() + "/api/ps"));
    var tags = http.getJson(HttpRequest.create(config.url() + "/api/tags"));
    context.pipeToSelf(ps.thenCombine(tags, (p, t) -> new ModelsResult(names(p), names(t), "")),
        (res, err) -> err == null ? res : new ModelsResult(null, null, rootMessage(err)));
  }

  private Behavior<Command> onHealth(HealthResult r) {
    healthInFlight = false;
    boolean ok = r.error().isEmpty();
    healthy = ok;
    if (ok) {
      success();
    } else {
      lastError = r.error();
      failure(r.probe());
    }
    if (ok && !modelsKnown) {
      readModels();
    }
    publish();
    return this;
  }

  private Behavior<Command> onModels(ModelsResult r) {
    modelsInFlight = false;
    if (modelsAgain) {
      modelsAgain = false;
      readModels();
    }
    if (r.loaded() != null) {
      loaded = Set.copyOf(r.loaded());
      installed = Set.copyOf(r.installed());
      modelsKnown = true;
    } else {
      lastError = r.error();
    }
    publish();
    return this;
  }

  private Behavior<Command> onOutcome(Outcome o) {
    switch (o.kind()) {
      case OK -> success();
      case FAILED -> failure(false);
      case OVERLOADED -> {
        int now = slots.getOrDefault(o.model(), config.numParallel());
        slots.put(o.model(), Math.max(1, now - 1));
        lastOverloadNanos.put(o.model(), System.nanoTime());
        success();
      }
      case LOAD_OBSERVED -> {
        success();
        readModels();
      }
    }
    publish();
    return this;
  }

  private void success() {
    failures = 0;
    if (breaker == Breaker.HALF_OPEN) {
      context.getLog().info("worker {}: circuit closed", config.name());
    }
    if (breaker != Breaker.OPEN) {
      breaker = Breaker.CLOSED;
    }
  }

  private void failure(boolean probe) {
    failures++;
    boolean open = breaker == Breaker.HALF_OPEN ? probe : failures >= settings.breakerMaxFailures();
    if (open && breaker != Breaker.OPEN) {
      breaker = Breaker.OPEN;
      context.getLog().warn("worker {}: circuit open after {} failures ({})", config.name(), failures, lastError);
      timers.startSingleTimer(Tick.RESET, new TickMsg(Tick.RESET), settings.breakerResetTimeout());
    }
  }

  private void recoverSlots() {
    long now = System.nanoTime();
    long interval = settings.slotRecoveryInterval().toNanos();
    slots.replaceAll((model, n) ->
        n < config.numParallel() && now - lastOverloadNanos.getOrDefault(model, 0L) >= interval ? n + 1 : n);
    slots.values().removeIf(n -> n >= config.numParallel());
  }

  private void publish() {
    Status s = new Status(config, healthy, breaker, loaded, installed, Map.copyOf(slots), failures, lastError,
        modelsKnown);
    if (!s.equals(published)) {
      published = s;
      listener.tell(s);
      for (ActorRef<Published> subscriber : subscribers) {
        subscriber.tell(new Published(context.getSelf(), s));
      }
    }
  }

  private static Set<String> names(JsonNode listing) {
    Set<String> out = new HashSet<>();
    for (JsonNode m : listing.path("models")) {
      String n = m.hasNonNull("name") ? m.get("name").asText() : m.path("model").asText("");
      if (!n.isEmpty()) {
        out.add(ModelNames.key(n));
      }
    }
    return out;
  }

  static String rootMessage(Throwable err) {
    Throwable t = ai.sutazai.common.Concurrency.unwrap(err);
    if (t instanceof java.util.concurrent.TimeoutException) {
      return "timed out";
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
