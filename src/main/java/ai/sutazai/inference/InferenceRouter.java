package ai.sutazai.inference;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.receptionist.Receptionist;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The router: grants request slots on workers, one lease per proxied request. A request whose model is
 * loaded somewhere with a free slot gets a lease at once; otherwise it waits in its model's bounded queue,
 * ordered by agent priority then arrival, until a slot frees, its deadline passes (503) or the queue is
 * full (503). Each agent has at most {@code per-agent-max-in-flight} leases. The choice of worker is the
 * {@link RoutingPolicy}'s, over a snapshot built from the workers' published {@link OllamaWorker.Status}
 * and the router's own lease counts (the router is the only one granting slots, so its counts are exact).
 */
public final class InferenceRouter extends AbstractBehavior<InferenceRouter.Command> {

  public interface Command {}

  /**
   * Asks for a lease; {@code callId} names the request for {@link Cancel}, {@code deadlineNanos} is a
   * {@link System#nanoTime()} instant.
   */
  public record Acquire(long callId, String model, String agent, int priority, long deadlineNanos, Set<String> exclude,
      boolean retry, ActorRef<Grant> replyTo) implements Command {}

  /** The client of a request that may wait in the queue went away: it leaves the queue (answered CANCELLED). */
  public record Cancel(long callId) implements Command {}

  /** Asks for any available worker that has the model, without a slot (for /api/show). */
  public record Locate(String model, ActorRef<Grant> replyTo) implements Command {}

  /** The answer to {@link Acquire} and {@link Locate}. */
  public sealed interface Grant permits Granted, Rejected {}

  /** Use {@code url}; give the lease back with {@link Release} (lease -1: nothing to give back). */
  public record Granted(long leaseId, String worker, String url) implements Grant {}

  /** Refused; the server turns the reason into Ollama's body. */
  public record Rejected(Reason reason, int retryAfterSeconds) implements Grant {}

  /** Why a request was refused. */
  public enum Reason { NOT_FOUND, QUEUE_FULL, UNAVAILABLE, DEADLINE, NO_OTHER_WORKER, CANCELLED }

  /** How a lease ended, with what was measured. Times in nanoseconds, -1 when unknown. */
  public record Release(long leaseId, Result result, long ttfbNanos, long totalNanos, long evalCount,
      long evalNanos, long loadNanos) implements Command {}

  /** Outcomes of a lease. */
  public enum Result { OK, OVERLOADED, FAILED, CANCELLED }

  public record AddWorker(WorkerConfig config, ActorRef<Done> replyTo) implements Command {}

  public record RemoveWorker(String name, ActorRef<Done> replyTo) implements Command {}

  /** Stops the router and its workers. */
  public record Stop() implements Command {}

  /** Asks the named worker to re-read its model lists (after a pull, delete or copy). */
  public record RefreshModels(String worker) implements Command {}

  public record GetWorkers(ActorRef<RouterReports.Workers> replyTo) implements Command {}

  public record GetQueue(ActorRef<RouterReports.Queue> replyTo) implements Command {}

  public record GetMetrics(ActorRef<InferenceMetrics.Snapshot> replyTo) implements Command {}

  private record WorkerStatus(OllamaWorker.Status status) implements Command {}

  private record WorkersListed(Receptionist.Listing listing) implements Command {}

  private record RemoteStatus(OllamaWorker.Published published) implements Command {}

  private record ExpireTick() implements Command {}


  private record Lease(String worker, String model, String agent, long grantedNanos) {}


  private final ActorContext<Command> context;
  private final InferenceSettings settings;
  private final UpstreamHttp http;
  private final RoutingPolicy policy;
  private final ActorRef<OllamaWorker.Status> statusAdapter;
  private final RemoteWorkers remote;
  private final WorkerTable workers = new WorkerTable();
  private final WaitingQueues queues = new WaitingQueues();
  private final Map<Long, Lease> leases = new HashMap<>();
  private final Map<String, Integer> agentInFlight = new HashMap<>();
  private final Map<String, String> sticky = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > 10_000;
    }
  };
  private final InferenceMetrics metrics = new InferenceMetrics();
  private long nextLease;

  public static Behavior<Command> create(InferenceSettings settings, UpstreamHttp http) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new ExpireTick(), Duration.ofMillis(50));
      return new InferenceRouter(ctx, settings, http);
    }));
  }

  private InferenceRouter(ActorContext<Command> context, InferenceSettings settings, UpstreamHttp http) {
    super(context);
    this.context = context;
    this.settings = settings;
    this.http = http;
    this.policy = settings.newPolicy();
    this.statusAdapter = context.messageAdapter(OllamaWorker.Status.class, WorkerStatus::new);
    this.remote = new RemoteWorkers(context.getSystem().address(),
        context.messageAdapter(OllamaWorker.Published.class, RemoteStatus::new), context.getLog());
    context.getSystem().receptionist().tell(Receptionist.subscribe(OllamaWorker.SERVICE_KEY,
        context.messageAdapter(Receptionist.Listing.class, WorkersListed::new)));
    settings.workers().forEach(this::add);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Acquire.class, this::onAcquire)
        .onMessage(Release.class, this::onRelease)
        .onMessage(Cancel.class, this::onCancel)
        .onMessage(Locate.class, this::onLocate)
        .onMessage(WorkerStatus.class, this::onStatus)
        .onMessage(WorkersListed.class, this::onListing)
        .onMessage(RemoteStatus.class, this::onRemoteStatus)
        .onMessage(ExpireTick.class, this::onExpire)
        .onMessage(AddWorker.class, this::onAdd)
        .onMessage(RemoveWorker.class, this::onRemove)
        .onMessage(Stop.class, m -> Behaviors.stopped())
        .onMessage(RefreshModels.class, m -> {
          WorkerTable.Entry e = workers.get(m.worker());
          if (e != null) {
            e.ref.tell(new OllamaWorker.RefreshModels());
          }
          return this;
        })
        .onMessage(GetWorkers.class, this::onGetWorkers)
        .onMessage(GetQueue.class, this::onGetQueue)
        .onMessage(GetMetrics.class, this::onGetMetrics)
        .build();
  }

  private Behavior<Command> onAcquire(Acquire req) {
    if (queues.hasWaiting(req.model()) || agentAtCap(req.agent())) {
      enqueue(req);
      drain(req.model());
      return this;
    }
    RoutingPolicy.Decision d = decide(req);
    if (d instanceof RoutingPolicy.Dispatch dispatch) {
      grant(req, dispatch, System.nanoTime());
    } else if (d instanceof RoutingPolicy.Wait) {
      enqueue(req);
    } else if (d instanceof RoutingPolicy.NotFound) {
      if (modelsUnknownSomewhere()) {
        enqueue(req);
      } else {
        req.replyTo().tell(new Rejected(req.retry() ? Reason.NO_OTHER_WORKER : Reason.NOT_FOUND, 0));
      }
    } else {
      req.replyTo().tell(new Rejected(
          req.retry() ? Reason.NO_OTHER_WORKER : Reason.UNAVAILABLE, retryAfter(req.model())));
    }
    return this;
  }

  private RoutingPolicy.Decision decide(Acquire req) {
    String stickyWorker = req.agent().isEmpty() ? null : sticky.get(req.agent());
    return policy.decide(req.model(), stickyWorker, req.exclude(), workers.views(), System.nanoTime());
  }

  private void enqueue(Acquire req) {
    if (!queues.add(req, settings.maxQueue(), System.nanoTime())) {
      metrics.rejected(req.model());
      req.replyTo().tell(new Rejected(Reason.QUEUE_FULL, retryAfter(req.model())));
    }
  }

  private Behavior<Command> onCancel(Cancel m) {
    WaitingQueues.Waiting w = queues.cancel(m.callId());
    if (w == null) {
      return this;
    }
    w.req().replyTo().tell(new Rejected(Reason.CANCELLED, 0));
    drain(w.req().model());
    return this;
  }

  /** Hands free slots to the queue of {@code model}, best first, skipping agents at their cap. */
  private void drain(String model) {
    Iterator<WaitingQueues.Waiting> it = queues.iterator(model);
    while (it.hasNext()) {
      WaitingQueues.Waiting w = it.next();
      if (agentAtCap(w.req().agent())) {
        continue;
      }
      RoutingPolicy.Decision d = decide(w.req());
      if (d instanceof RoutingPolicy.Dispatch dispatch) {
        it.remove();
        long now = System.nanoTime();
        double waitedMillis = (now - w.enqueuedNanos()) / 1e6;
        queues.waited(model, waitedMillis);
        WorkerTable.Entry e = workers.get(dispatch.worker());
        e.meanWaitMillis = e.meanWaitMillis * 0.9 + waitedMillis * 0.1;
        grant(w.req(), dispatch, now);
      } else if (d instanceof RoutingPolicy.NotFound && !modelsUnknownSomewhere()) {
        it.remove();
        w.req().replyTo().tell(new Rejected(w.req().retry() ? Reason.NO_OTHER_WORKER : Reason.NOT_FOUND, 0));
      } else if (w.req().exclude().isEmpty()) {
        break;
      }
    }
    queues.tidy(model);
  }

  private void drainAll() {
    for (String model : queues.models()) {
      drain(model);
    }
  }

  private void grant(Acquire req, RoutingPolicy.Dispatch d, long now) {
    WorkerTable.Entry e = workers.get(d.worker());
    long id = nextLease++;
    leases.put(id, new Lease(d.worker(), req.model(), req.agent(), now));
    e.inFlight.merge(req.model(), 1, Integer::sum);
    if (!e.status.loaded().contains(req.model())) {
      if (!e.sentNanos.containsKey(req.model()) && e.inFlight.get(req.model()) == 1) {
        e.lastLoadNanos = now;
      }
      e.sentNanos.put(req.model(), now);
    }
    if (!req.agent().isEmpty()) {
      agentInFlight.merge(req.agent(), 1, Integer::sum);
      sticky.put(req.agent(), d.worker());
    }
    workers.changed();
    req.replyTo().tell(new Granted(id, d.worker(), e.status.config().url()));
  }

  private Behavior<Command> onRelease(Release r) {
    Lease lease = leases.remove(r.leaseId());
    if (lease == null) {
      return this;
    }
    boolean wasCapped = false;
    if (!lease.agent().isEmpty()) {
      wasCapped = agentAtCap(lease.agent());
      agentInFlight.computeIfPresent(lease.agent(), (a, n) -> n <= 1 ? null : n - 1);
    }
    WorkerTable.Entry e = workers.get(lease.worker());
    boolean loadObserved = r.loadNanos() > settings.loadObservedThreshold().toNanos();
    if (e != null) {
      e.inFlight.computeIfPresent(lease.model(), (m, n) -> n <= 1 ? null : n - 1);
      workers.changed();
      OllamaWorker.Kind kind = switch (r.result()) {
        case OVERLOADED -> OllamaWorker.Kind.OVERLOADED;
        case FAILED -> OllamaWorker.Kind.FAILED;
        default -> loadObserved ? OllamaWorker.Kind.LOAD_OBSERVED
            : e.status.consecutiveFailures() > 0 ? OllamaWorker.Kind.OK : null;
      };
      if (kind != null) {
        e.ref.tell(new OllamaWorker.Outcome(lease.model(), kind));
      }
      if (loadObserved) {
        e.lastLoadNanos = System.nanoTime();
      }
      if (r.result() != Result.CANCELLED) {
        metrics.record(lease.worker(), lease.model(), r.result() != Result.OK, loadObserved, r.ttfbNanos(),
            r.totalNanos(), r.evalCount(), r.evalNanos());
      }
    }
    if (wasCapped) {
      drainAll();
    } else {
      drain(lease.model());
    }
    return this;
  }

  private Behavior<Command> onLocate(Locate m) {
    WorkerView best = null;
    for (WorkerView w : workers.views()) {
      if (w.available() && w.has(m.model()) && (best == null || (w.isLoaded(m.model()) && !best.isLoaded(m.model())))) {
        best = w;
      }
    }
    if (best == null) {
      m.replyTo().tell(new Rejected(Reason.NOT_FOUND, 0));
    } else {
      m.replyTo().tell(new Granted(-1, best.name(), workers.get(best.name()).status.config().url()));
    }
    return this;
  }

  private Behavior<Command> onStatus(WorkerStatus m) {
    WorkerTable.Entry e = workers.get(m.status().config().name());
    if (e == null || e.remote || !e.status.config().equals(m.status().config())) {
      return this;
    }
    update(e, m.status());
    return this;
  }

  private void update(WorkerTable.Entry e, OllamaWorker.Status status) {
    e.status = status;
    e.sentNanos.keySet().removeIf(model -> status.loaded().contains(model));
    workers.changed();
    drainAll();
  }

  /** Other nodes' workers came or went (the Receptionist's view, cluster-wide). */
  private Behavior<Command> onListing(WorkersListed m) {
    for (String gone : remote.listed(m.listing().getServiceInstances(OllamaWorker.SERVICE_KEY))) {
      WorkerTable.Entry e = workers.get(gone);
      if (e != null && e.remote) {
        workers.remove(gone);
        context.getLog().info("inference worker {} (another node's) is gone", gone);
      }
    }
    drainAll();
    return this;
  }

  private Behavior<Command> onRemoteStatus(RemoteStatus m) {
    OllamaWorker.Published p = m.published();
    String name = remote.nameOf(p);
    if (name == null) {
      return this;
    }
    WorkerTable.Entry e = workers.get(name);
    if (e == null) {
      WorkerConfig own = p.status().config();
      WorkerConfig config = new WorkerConfig(name, own.url(), own.numParallel());
      workers.put(name, new WorkerTable.Entry(p.worker(), p.status().withConfig(config), true));
      context.getLog().info("inference worker {} of node {} added at {}", name, p.worker().path().address(),
          own.url());
      drainAll();
    } else if (e.remote && e.ref.equals(p.worker())) {
      update(e, p.status().withConfig(e.status.config()));
    }
    return this;
  }

  private Behavior<Command> onExpire(ExpireTick t) {
    if (queues.isEmpty()) {
      return this;
    }
    long now = System.nanoTime();
    long grace = settings.loadGrace().toNanos();
    workers.expireSent(now, grace);
    for (WaitingQueues.Waiting w : queues.expire(now)) {
      metrics.rejected(w.req().model());
      w.req().replyTo().tell(new Rejected(Reason.DEADLINE, retryAfter(w.req().model())));
    }
    drainAll();
    return this;
  }

  private Behavior<Command> onAdd(AddWorker m) {
    WorkerTable.Entry old = workers.get(m.config().name());
    if (old != null && old.remote) {
      context.getLog().warn("inference worker {} not added: the name is another node's worker", m.config().name());
      m.replyTo().tell(Done.getInstance());
      return this;
    }
    if (old != null) {
      if (old.status.config().equals(m.config())) {
        m.replyTo().tell(Done.getInstance());
        return this;
      }
      remove(m.config().name());
    }
    add(m.config());
    m.replyTo().tell(Done.getInstance());
    return this;
  }

  private Behavior<Command> onRemove(RemoveWorker m) {
    remove(m.name());
    m.replyTo().tell(Done.getInstance());
    drainAll();
    return this;
  }

  private void add(WorkerConfig config) {
    var ref = context.spawnAnonymous(OllamaWorker.create(config, settings, http, statusAdapter));
    workers.put(config.name(), new WorkerTable.Entry(ref, new OllamaWorker.Status(config, true,
        OllamaWorker.Breaker.CLOSED, Set.of(), Set.of(), Map.of(), 0, "", false), false));
    context.getLog().info("inference worker {} added at {}", config.name(), config.url());
  }

  private void remove(String name) {
    WorkerTable.Entry found = workers.get(name);
    if (found != null && found.remote) {
      context.getLog().warn("inference worker {} is another node's; remove it on that node", name);
      return;
    }
    WorkerTable.Entry e = workers.remove(name);
    if (e != null) {
      e.ref.tell(new OllamaWorker.Stop());
      context.getLog().info("inference worker {} removed", name);
    }
  }

  private Behavior<Command> onGetWorkers(GetWorkers m) {
    m.replyTo().tell(workers.report());
    return this;
  }

  private Behavior<Command> onGetQueue(GetQueue m) {
    m.replyTo().tell(new RouterReports.Queue(queues.report(System.nanoTime(), workers::inFlight),
        workers.queueReport()));
    return this;
  }

  private Behavior<Command> onGetMetrics(GetMetrics m) {
    m.replyTo().tell(metrics.snapshot(workers.inFlightByWorker(), workers.queuedByWorker(), queues.depths()));
    return this;
  }

  private boolean modelsUnknownSomewhere() {
    return workers.modelsUnknownSomewhere();
  }

  private boolean agentAtCap(String agent) {
    return !agent.isEmpty() && agentInFlight.getOrDefault(agent, 0) >= settings.perAgentMaxInFlight();
  }

  private int retryAfter(String model) {
    int depth = queues.depth(model);
    int slots = workers.loadedSlots(model);
    double seconds = metrics.meanLatencySeconds(model, 1.0) * (depth + 1) / Math.max(1, slots);
    if (depth == 0 && slots == 0) {
      seconds = settings.breakerResetTimeout().toSeconds();
    }
    return (int) Math.max(1, Math.min(60, Math.ceil(seconds)));
  }
}
