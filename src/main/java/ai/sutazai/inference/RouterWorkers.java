package ai.sutazai.inference;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.receptionist.Receptionist;
import java.util.Map;
import java.util.Set;

/**
 * The {@link InferenceRouter}'s administration of its workers: its own (spawned from the settings or added
 * and removed through the API) and other nodes' (found through the Receptionist, used here but never stopped
 * from here), and the statuses they publish, kept in the {@link WorkerTable}. Each change answers whether
 * the router should hand out slots again. Owned by the router actor and only touched from it.
 */
final class RouterWorkers {
  private final ActorContext<InferenceRouter.Command> context;
  private final InferenceSettings settings;
  private final UpstreamHttp http;
  private final ActorRef<OllamaWorker.Status> statusAdapter;
  private final RemoteWorkers remote;
  private final WorkerTable workers;

  RouterWorkers(ActorContext<InferenceRouter.Command> context, InferenceSettings settings, UpstreamHttp http,
      ActorRef<OllamaWorker.Status> statusAdapter, RemoteWorkers remote, WorkerTable workers) {
    this.context = context;
    this.settings = settings;
    this.http = http;
    this.statusAdapter = statusAdapter;
    this.remote = remote;
    this.workers = workers;
  }

  /** A status of one of this node's workers; true when it was taken (slots may have changed). */
  boolean localStatus(OllamaWorker.Status status) {
    WorkerTable.Entry e = workers.get(status.config().name());
    if (e == null || e.remote || !e.status.config().equals(status.config())) {
      return false;
    }
    update(e, status);
    return true;
  }

  private void update(WorkerTable.Entry e, OllamaWorker.Status status) {
    e.status = status;
    e.sentNanos.keySet().removeIf(model -> status.loaded().contains(model));
    workers.changed();
  }

  /** Other nodes' workers came or went (the Receptionist's view, cluster-wide): the gone ones leave the table. */
  void listed(Receptionist.Listing listing) {
    for (String gone : remote.listed(listing.getServiceInstances(OllamaWorker.SERVICE_KEY))) {
      WorkerTable.Entry e = workers.get(gone);
      if (e != null && e.remote) {
        workers.remove(gone);
        context.getLog().info("inference worker {} (another node's) is gone", gone);
      }
    }
  }

  /** A status published by another node's worker (which is added when new); true when the table changed. */
  boolean remoteStatus(OllamaWorker.Published p) {
    String name = remote.nameOf(p);
    if (name == null) {
      return false;
    }
    WorkerTable.Entry e = workers.get(name);
    WorkerTable.Entry sameUrl = workers.byUrl(p.status().config().url());
    if (e == null && sameUrl != null) {
      // Merged by URL: the same server configured on several nodes is one worker here (its slots counted once).
      return false;
    }
    if (e == null) {
      WorkerConfig own = p.status().config();
      WorkerConfig config = new WorkerConfig(name, own.url(), own.numParallel());
      workers.put(name, new WorkerTable.Entry(p.worker(), p.status().withConfig(config), true));
      context.getLog().info("inference worker {} of node {} added at {}", name, p.worker().path().address(),
          own.url());
      return true;
    } else if (e.remote && e.ref.equals(p.worker())) {
      update(e, p.status().withConfig(e.status.config()));
      return true;
    }
    return false;
  }

  /** Adds (or replaces, when its configuration changed) one of this node's workers; never another node's. */
  void addOrReplace(WorkerConfig config) {
    WorkerTable.Entry old = workers.get(config.name());
    if (old != null && old.remote) {
      context.getLog().warn("inference worker {} not added: the name is another node's worker", config.name());
      return;
    }
    if (old != null) {
      if (old.status.config().equals(config)) {
        return;
      }
      remove(config.name());
    }
    add(config);
  }

  void add(WorkerConfig config) {
    var ref = context.spawnAnonymous(OllamaWorker.create(config, settings, http, statusAdapter));
    workers.put(config.name(), new WorkerTable.Entry(ref, new OllamaWorker.Status(config, true,
        OllamaWorker.Breaker.CLOSED, Set.of(), Set.of(), Map.of(), 0, "", false), false));
    context.getLog().info("inference worker {} added at {}", config.name(), config.url());
  }

  void remove(String name) {
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

  /** Asks the named worker to re-read its model lists. */
  void refreshModels(String name) {
    WorkerTable.Entry e = workers.get(name);
    if (e != null) {
      e.ref.tell(new OllamaWorker.RefreshModels());
    }
  }
}
