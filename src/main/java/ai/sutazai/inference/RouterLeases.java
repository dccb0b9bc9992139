package ai.sutazai.inference;

import ai.sutazai.inference.routing.RoutingPolicy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link InferenceRouter}'s leases: one per proxied request, counted per worker and model (in the
 * {@link WorkerTable}) and per agent (for {@code per-agent-max-in-flight}), with each agent's last worker
 * (sticky routing). On release the outcome goes to the worker's circuit breaker and into the
 * {@link InferenceMetrics}. Owned by the router actor and only touched from it (not thread-safe).
 */
final class RouterLeases {
  /** A lease given back: the model whose queue may move, and whether its agent was at its cap. */
  record Released(String model, boolean agentWasCapped) {}

  private record Lease(String worker, String model, String agent, long grantedNanos) {}

  private final InferenceSettings settings;
  private final WorkerTable workers;
  private final InferenceMetrics metrics;
  private final Map<Long, Lease> leases = new HashMap<>();
  private final Map<String, Integer> agentInFlight = new HashMap<>();
  private final Map<String, String> sticky = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > 10_000;
    }
  };
  private long nextLease;

  RouterLeases(InferenceSettings settings, WorkerTable workers, InferenceMetrics metrics) {
    this.settings = settings;
    this.workers = workers;
    this.metrics = metrics;
  }

  /** The worker the agent's last request went to, or null. */
  String stickyWorker(String agent) {
    return agent.isEmpty() ? null : sticky.get(agent);
  }

  /** The agent holds {@code per-agent-max-in-flight} leases already. */
  boolean atCap(String agent) {
    return !agent.isEmpty() && agentInFlight.getOrDefault(agent, 0) >= settings.perAgentMaxInFlight();
  }

  /** Grants {@code req} a slot on the chosen worker at {@code now} (System.nanoTime). */
  InferenceRouter.Granted grant(InferenceRouter.Acquire req, RoutingPolicy.Dispatch d, long now) {
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
    return new InferenceRouter.Granted(id, d.worker(), e.status.config().url());
  }

  /** Ends a lease with what was measured; null when there is no such lease (already released). */
  Released release(InferenceRouter.Release r) {
    Lease lease = leases.remove(r.leaseId());
    if (lease == null) {
      return null;
    }
    boolean wasCapped = false;
    if (!lease.agent().isEmpty()) {
      wasCapped = atCap(lease.agent());
      agentInFlight.computeIfPresent(lease.agent(), (a, n) -> n <= 1 ? null : n - 1);
    }
    WorkerTable.Entry e = workers.get(lease.worker());
    boolean loadObserved = r.loadNanos() > settings.loadObservedThreshold().toNanos();
    if (e != null) {
      // A 503 lowers the worker's slots only when it answered a request within them: one sent beyond them
      // (into the worker's own queue, worker-queue-per-model > 0) found that queue full, which says nothing
      // about how many requests the worker serves at once (Ollama reveals no slot count; see docs/api.md).
      boolean withinSlots = e.inFlight.getOrDefault(lease.model(), 1) <= e.slots(lease.model());
      e.inFlight.computeIfPresent(lease.model(), (m, n) -> n <= 1 ? null : n - 1);
      workers.changed();
      OllamaWorker.Kind kind = switch (r.result()) {
        case OVERLOADED -> withinSlots ? OllamaWorker.Kind.OVERLOADED
            : e.status.consecutiveFailures() > 0 ? OllamaWorker.Kind.OK : null;
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
      if (r.result() != InferenceRouter.Result.CANCELLED) {
        metrics.record(lease.worker(), lease.model(), r.result() != InferenceRouter.Result.OK, loadObserved, r.ttfbNanos(),
            r.totalNanos(), r.evalCount(), r.evalNanos());
      }
    }
    return new Released(lease.model(), wasCapped);
  }
}
