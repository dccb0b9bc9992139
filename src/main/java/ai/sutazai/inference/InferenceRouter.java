package ai.sutazai.inference;

import ai.sutazai.inference.routing.RoutingPolicy;
import ai.sutazai.inference.routing.WorkerView;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.receptionist.Receptionist;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;

/**
 * The router: grants request slots on workers, one lease per proxied request. A request whose model is
 * loaded somewhere with a free slot gets a lease at once; otherwise it waits in its model's bounded queue,
 * ordered by agent priority then arrival, until a slot frees, its deadline passes (503) or the queue is
 * full (503). Each agent has at most {@code per-agent-max-in-flight} leases. The choice of worker is the
 * {@link RoutingPolicy}'s, over a snapshot built from the workers' published {@link OllamaWorker.Status}
 * and the router's own lease counts (the router is the only one granting slots, so its counts are exact).
 * The leases are kept by {@link RouterLeases}, the workers administered by {@link RouterWorkers}.
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

  /**
   * Every router registers here: a worker's slots are split between the nodes that have a router (each node's
   * router fills only its share), so that routers on several nodes never send a server more requests than its
   * slots. Several routers on one node count as that node's (they do not share workers: see RemoteWorkers).
   */
  public static final akka.actor.typed.receptionist.ServiceKey<Command> ROUTERS_KEY =
      akka.actor.typed.receptionist.ServiceKey.create(Command.class, "sutazai-inference-router");

  private final InferenceSettings settings;
  private final RoutingPolicy policy;
  private final WorkerTable workers = new WorkerTable();
  private final RouterWorkers admin;
  private final WaitingQueues queues = new WaitingQueues();
  private final InferenceMetrics metrics = new InferenceMetrics();
  private final RouterLeases leases;

  public static Behavior<Command> create(InferenceSettings settings, UpstreamHttp http) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new ExpireTick(), Duration.ofMillis(50));
      return new InferenceRouter(ctx, settings, http);
    }));
  }

  private InferenceRouter(ActorContext<Command> context, InferenceSettings settings, UpstreamHttp http) {
    super(context);
    this.settings = settings;
    this.policy = settings.newPolicy();
    this.leases = new RouterLeases(settings, workers, metrics);
    ActorRef<OllamaWorker.Status> statusAdapter = context.messageAdapter(OllamaWorker.Status.class, WorkerStatus::new);
    RemoteWorkers remote = new RemoteWorkers(context.getSystem().address(),
        context.messageAdapter(OllamaWorker.Published.class, RemoteStatus::new), context.getLog());
    this.admin = new RouterWorkers(context, settings, http, statusAdapter, remote, workers);
    context.getSystem().receptionist().tell(Receptionist.subscribe(OllamaWorker.SERVICE_KEY,
        context.messageAdapter(Receptionist.Listing.class, WorkersListed::new)));
    settings.workers().forEach(admin::add);
    context.getSystem().receptionist().tell(Receptionist.register(ROUTERS_KEY, context.getSelf()));
    // One adapter per message class: both listings come through WorkersListed (see onListing).
    context.getSystem().receptionist().tell(Receptionist.subscribe(ROUTERS_KEY,
        context.messageAdapter(Receptionist.Listing.class, WorkersListed::new)));
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
          admin.refreshModels(m.worker());
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
    return policy.decide(req.model(), leases.stickyWorker(req.agent()), req.exclude(), workers.views(), System.nanoTime());
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
    req.replyTo().tell(leases.grant(req, d, now));
  }

  private Behavior<Command> onRelease(Release r) {
    RouterLeases.Released released = leases.release(r);
    if (released == null) {
      return this;
    }
    if (released.agentWasCapped()) {
      drainAll();
    } else {
      drain(released.model());
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
    if (admin.localStatus(m.status())) {
      drainAll();
    }
    return this;
  }

  private Behavior<Command> onListing(WorkersListed m) {
    if (m.listing().isForKey(ROUTERS_KEY)) {
      return onRouters(m.listing());
    }
    admin.listed(m.listing());
    drainAll();
    return this;
  }

  private Behavior<Command> onRemoteStatus(RemoteStatus m) {
    if (admin.remoteStatus(m.published())) {
      drainAll();
    }
    return this;
  }

  /** The nodes with a router, sorted by address: this node's place among them decides its share of every worker. */
  private Behavior<Command> onRouters(Receptionist.Listing listing) {
    akka.actor.Address self = getContext().getSystem().address();
    java.util.TreeSet<String> nodes = new java.util.TreeSet<>();
    nodes.add(self.toString());
    for (ActorRef<Command> r : listing.getServiceInstances(ROUTERS_KEY)) {
      akka.actor.Address a = r.path().address();
      nodes.add(a.hasLocalScope() ? self.toString() : a.toString());
    }
    workers.share(nodes.size(), nodes.headSet(self.toString()).size());
    drainAll();
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
    admin.addOrReplace(m.config());
    m.replyTo().tell(Done.getInstance());
    return this;
  }

  private Behavior<Command> onRemove(RemoveWorker m) {
    admin.remove(m.name());
    m.replyTo().tell(Done.getInstance());
    drainAll();
    return this;
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
    return leases.atCap(agent);
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
