package ai.sutazai.inference;

import ai.sutazai.inference.routing.RoutingPolicy;
import ai.sutazai.inference.routing.WorkerView;

import akka.actor.typed.ActorRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The router's table of workers: each worker's last published {@link OllamaWorker.Status} and the router's
 * own counts (leases in flight per model, models just sent there). Owned by the {@link InferenceRouter}
 * actor and only touched from it (not thread-safe). {@link #views()} is the snapshot handed to the
 * {@link RoutingPolicy}, cached until something changes.
 */
final class WorkerTable {

  /** One worker's row. */
  static final class Entry {
    final ActorRef<OllamaWorker.Command> ref;
    /** Another node's worker, found through the Receptionist: used here, never stopped or removed from here. */
    final boolean remote;
    OllamaWorker.Status status;
    final Map<String, Integer> inFlight = new HashMap<>();
    /** Models sent here that /api/ps does not show yet (loading), with when they were sent. */
    final Map<String, Long> sentNanos = new HashMap<>();
    long lastLoadNanos = Long.MIN_VALUE;
    double meanWaitMillis;

    Entry(ActorRef<OllamaWorker.Command> ref, OllamaWorker.Status status, boolean remote) {
      this.ref = ref;
      this.status = status;
      this.remote = remote;
    }

    /** This router's share of the worker's slots for {@code model} (see {@link WorkerTable#share}). */
    int slots(String model) {
      return share(status.slots().getOrDefault(model, status.config().numParallel()), sharers, shareIndex);
    }

    /** How many nodes' routers share this worker's slots, and this router's place among them. */
    int sharers = 1;
    int shareIndex;

    /** Requests beyond the slots, i.e. waiting in the worker's own queue, per model. */
    Map<String, Integer> queuedInside() {
      Map<String, Integer> out = new HashMap<>();
      inFlight.forEach((model, n) -> {
        if (n > slots(model)) {
          out.put(model, n - slots(model));
        }
      });
      return out;
    }
  }

  private final Map<String, Entry> rows = new LinkedHashMap<>();
  private List<WorkerView> views;
  private int sharers = 1;
  private int shareIndex;

  /**
   * The part of {@code slots} that router {@code index} of {@code routers} may fill: every node's router gets an
   * equal part, the first {@code slots % routers} one more, so that together they never exceed {@code slots}.
   */
  static int share(int slots, int routers, int index) {
    return slots / routers + (index < slots % routers ? 1 : 0);
  }

  /** This router is number {@code index} of {@code routers} nodes' routers: each worker's slots are split so. */
  void share(int routers, int index) {
    this.sharers = Math.max(1, routers);
    this.shareIndex = index;
    rows.values().forEach(this::applyShare);
    changed();
  }

  private void applyShare(Entry e) {
    e.sharers = sharers;
    e.shareIndex = shareIndex;
  }

  /** The row of the worker at {@code url} (by its configured URL), or null. */
  Entry byUrl(String url) {
    for (Entry e : rows.values()) {
      if (e.status.config().url().equals(url)) {
        return e;
      }
    }
    return null;
  }

  Entry get(String name) {
    return rows.get(name);
  }

  Collection<Entry> all() {
    return rows.values();
  }

  void put(String name, Entry e) {
    applyShare(e);
    rows.put(name, e);
    changed();
  }

  Entry remove(String name) {
    changed();
    return rows.remove(name);
  }

  /** Call after any change to a row. */
  void changed() {
    views = null;
  }

  /** Forgets "just sent" marks older than {@code graceNanos}. */
  void expireSent(long nowNanos, long graceNanos) {
    for (Entry e : rows.values()) {
      if (e.sentNanos.values().removeIf(sent -> nowNanos - sent > graceNanos)) {
        changed();
      }
    }
  }

  /** True while a healthy worker has not yet told what it has installed. */
  boolean modelsUnknownSomewhere() {
    for (Entry e : rows.values()) {
      if (!e.status.modelsKnown() && e.status.healthy()) {
        return true;
      }
    }
    return false;
  }

  /** Slots for {@code model} on available workers that have it loaded or in flight. */
  int loadedSlots(String model) {
    int slots = 0;
    for (Entry e : rows.values()) {
      if (e.status.available() && (e.status.loaded().contains(model) || e.inFlight.containsKey(model))) {
        slots += e.slots(model);
      }
    }
    return slots;
  }

  int inFlight(String model) {
    int n = 0;
    for (Entry e : rows.values()) {
      n += e.inFlight.getOrDefault(model, 0);
    }
    return n;
  }

  /** The policy's snapshot: loaded = /api/ps ∪ models in flight ∪ models just sent. */
  List<WorkerView> views() {
    if (views == null) {
      List<WorkerView> v = new ArrayList<>(rows.size());
      rows.forEach((name, e) -> {
        OllamaWorker.Status s = e.status;
        Set<String> loaded = s.loaded();
        if (!e.inFlight.isEmpty() || !e.sentNanos.isEmpty()) {
          Set<String> all = new HashSet<>(loaded);
          all.addAll(e.inFlight.keySet());
          all.addAll(e.sentNanos.keySet());
          loaded = all;
        }
        Map<String, Integer> slots = new HashMap<>();
        for (String model : loaded) {
          slots.put(model, e.slots(model));
        }
        v.add(new WorkerView(name, s.available(), s.installed(), loaded, slots, Map.copyOf(e.inFlight),
            e.lastLoadNanos));
      });
      views = List.copyOf(v);
    }
    return views;
  }

  RouterReports.Workers report() {
    List<RouterReports.Worker> out = new ArrayList<>();
    rows.forEach((name, e) -> {
      OllamaWorker.Status s = e.status;
      out.add(new RouterReports.Worker(name, s.config().url(), s.config().numParallel(), s.healthy(),
          s.breaker().name().toLowerCase(java.util.Locale.ROOT), s.available(), s.consecutiveFailures(),
          s.lastError(), s.loaded(), s.installed(), s.slots(), Map.copyOf(e.inFlight)));
    });
    return new RouterReports.Workers(out);
  }

  List<RouterReports.WorkerQueue> queueReport() {
    List<RouterReports.WorkerQueue> out = new ArrayList<>();
    rows.forEach((name, e) -> out.add(new RouterReports.WorkerQueue(name, Map.copyOf(e.inFlight), e.queuedInside(),
        e.meanWaitMillis)));
    return out;
  }

  Map<String, Map<String, Integer>> inFlightByWorker() {
    Map<String, Map<String, Integer>> out = new HashMap<>();
    rows.forEach((name, e) -> out.put(name, Map.copyOf(e.inFlight)));
    return out;
  }

  Map<String, Map<String, Integer>> queuedByWorker() {
    Map<String, Map<String, Integer>> out = new HashMap<>();
    rows.forEach((name, e) -> out.put(name, e.queuedInside()));
    return out;
  }
}
