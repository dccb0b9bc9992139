package ai.sutazai.inference.sim;

import ai.sutazai.inference.ollama.KeepAlive;
import ai.sutazai.inference.ollama.ModelNames;
import akka.actor.Cancellable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * The simulated Ollama scheduler: which models are loaded, their parallel slots, the bounded queue of
 * requests waiting for a slot or a load, load time, keep_alive expiry and least-recently-used eviction.
 *
 * <p>Hazard: this is shared by every request thread. All state is guarded by {@code this}; futures are
 * completed only after the lock is released (their callbacks may call back in, and must not run under the
 * lock). Nothing here blocks: loads and expiries are timers.
 */
final class ModelScheduler {

  /** The request was for a model that is not installed. */
  static final class NotInstalled extends RuntimeException {
    NotInstalled(String name) {
      super(name, null, false, false);
    }
  }

  /** The queue is full (Ollama's 503). */
  static final class QueueFull extends RuntimeException {
    QueueFull() {
      super("queue full", null, false, false);
    }
  }

  /** A granted slot on a loaded model; {@link #release} gives it back (only the first call counts). */
  final class Lease {
    private final ModelState state;
    private final long waitNanos;
    private final AtomicBoolean released = new AtomicBoolean();

    private Lease(ModelState state, long waitNanos) {
      this.state = state;
      this.waitNanos = waitNanos;
    }

    /** Time from the request's start until the slot was granted, including any load: load_duration. */
    long waitNanos() {
      return waitNanos;
    }

    void release(KeepAlive keepAlive) {
      if (released.compareAndSet(false, true)) {
        ModelScheduler.this.release(state, keepAlive);
      }
    }

    boolean released() {
      return released.get();
    }
  }

  /** A loaded model as {@code /api/ps} shows it. */
  record Loaded(ModelCatalog.Installed model, Instant expiresAt, int activeRequests) {}

  private enum Phase { AWAITING_ROOM, LOADING, LOADED }

  private record Waiter(CompletableFuture<Lease> future, long startNanos) {}

  private static final class ModelState {
    final ModelCatalog.Installed model;
    Phase phase = Phase.AWAITING_ROOM;
    int active;
    final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    long lastUsedNanos = System.nanoTime();
    KeepAlive keepAlive;
    Instant expiresAt;
    Cancellable expiry;
    long expiryGeneration;

    ModelState(ModelCatalog.Installed model, KeepAlive keepAlive) {
      this.model = model;
      this.keepAlive = keepAlive;
    }

    boolean idle() {
      return active == 0 && waiters.isEmpty();
    }
  }

  private final SimConfig config;
  private final ModelCatalog catalog;
  private final BiFunction<Duration, Runnable, Cancellable> timers;
  private final Map<String, ModelState> models = new HashMap<>();
  private final ArrayDeque<ModelState> awaitingRoom = new ArrayDeque<>();
  private int pending;
  private final AtomicLong loads = new AtomicLong();

  /** {@code timers} runs a task once after a delay (the Akka scheduler in production). */
  ModelScheduler(SimConfig config, ModelCatalog catalog, BiFunction<Duration, Runnable, Cancellable> timers) {
    this.config = config;
    this.catalog = catalog;
    this.timers = timers;
  }

  /**
   * Asks for a slot on {@code name}. The future fails at once with {@link NotInstalled} or
   * {@link QueueFull}; otherwise it completes when a slot is free (after a load if needed).
   */
  CompletableFuture<Lease> acquire(String name, KeepAlive keepAlive, long startNanos) {
    ModelCatalog.Installed model = catalog.find(name).orElse(null);
    if (model == null) {
      return CompletableFuture.failedFuture(new NotInstalled(name));
    }
    List<Runnable> after = new ArrayList<>();
    CompletableFuture<Lease> result;
    synchronized (this) {
      String key = ModelNames.key(model.name());
      ModelState st = models.get(key);
      if (st != null && st.phase == Phase.LOADED && st.active < config.numParallel() && st.waiters.isEmpty()) {
        st.active++;
        st.keepAlive = keepAlive;
        cancelExpiry(st);
        return CompletableFuture.completedFuture(new Lease(st, System.nanoTime() - startNanos));
      }
      if (pending >= config.maxQueue()) {
        return CompletableFuture.failedFuture(new QueueFull());
      }
      result = new CompletableFuture<>();
      pending++;
      if (st == null) {
        st = new ModelState(model, keepAlive);
        models.put(key, st);
        st.waiters.add(new Waiter(result, startNanos));
        placeLoad(st, after);
      } else {
        st.keepAlive = keepAlive;
        cancelExpiry(st);
        st.waiters.add(new Waiter(result, startNanos));
        if (st.phase == Phase.LOADED) {
          dispatch(st, after);
        }
      }
    }
    after.forEach(Runnable::run);
    return result;
  }

  /** Takes a cancelled request out of its queue, so that it no longer counts against max-queue. */
  void forget(CompletableFuture<Lease> cancelled) {
    List<Runnable> after = new ArrayList<>();
    synchronized (this) {
      for (ModelState st : models.values()) {
        if (st.waiters.removeIf(w -> w.future() == cancelled)) {
          pending--;
          if (st.phase == Phase.LOADED && st.idle()) {
            becameIdle(st, after);
          }
          break;
        }
      }
    }
    after.forEach(Runnable::run);
  }

  /** Unloads {@code name} now if idle, else as soon as its running requests end (keep_alive 0). */
  void unload(String name) {
    List<Runnable> after = new ArrayList<>();
    synchronized (this) {
      ModelState st = models.get(ModelNames.key(name));
      if (st == null) {
        return;
      }
      st.keepAlive = KeepAlive.ZERO;
      if (st.phase == Phase.LOADED && st.idle()) {
        remove(st, after);
      }
    }
    after.forEach(Runnable::run);
  }

  /** Loaded models, longest remaining time first (as {@code /api/ps}). */
  synchronized List<Loaded> loaded() {
    Instant now = Instant.now();
    List<Loaded> out = new ArrayList<>();
    for (ModelState st : models.values()) {
      if (st.phase == Phase.LOADED) {
        Instant exp = st.expiresAt != null ? st.expiresAt : expiry(now, st.keepAlive);
        out.add(new Loaded(st.model, exp, st.active));
      }
    }
    out.sort(Comparator.comparing(Loaded::expiresAt).reversed());
    return out;
  }

  /** Requests waiting for a slot or a load, over all models. */
  synchronized int pending() {
    return pending;
  }

  /** Model loads started since the simulator began. */
  long loadCount() {
    return loads.get();
  }

  private void release(ModelState st, KeepAlive keepAlive) {
    List<Runnable> after = new ArrayList<>();
    synchronized (this) {
      st.active--;
      st.lastUsedNanos = System.nanoTime();
      st.keepAlive = keepAlive;
      if (models.get(ModelNames.key(st.model.name())) == st) {
        dispatch(st, after);
        if (st.idle()) {
          becameIdle(st, after);
        }
      }
    }
    after.forEach(Runnable::run);
  }

  private void becameIdle(ModelState st, List<Runnable> after) {
    if (st.keepAlive.unloadsImmediately()) {
      remove(st, after);
      return;
    }
    st.expiresAt = expiry(Instant.now(), st.keepAlive);
    if (!st.keepAlive.forever()) {
      long gen = ++st.expiryGeneration;
      st.expiry = timers.apply(st.keepAlive.duration(), () -> onExpiry(st, gen));
    }
    admitAwaiting(after);
  }

  private void onExpiry(ModelState st, long gen) {
    List<Runnable> after = new ArrayList<>();
    synchronized (this) {
      if (st.expiryGeneration == gen && st.idle() && models.get(ModelNames.key(st.model.name())) == st) {
        remove(st, after);
      }
    }
    after.forEach(Runnable::run);
  }

  /** Starts loading {@code st} if there is room (evicting an idle model if needed), else queues it. */
  private void placeLoad(ModelState st, List<Runnable> after) {
    if (occupying() < config.maxLoadedModels() || evictOne(after)) {
      beginLoad(st);
    } else {
      st.phase = Phase.AWAITING_ROOM;
      awaitingRoom.add(st);
    }
  }

  private void admitAwaiting(List<Runnable> after) {
    while (!awaitingRoom.isEmpty()) {
      if (occupying() < config.maxLoadedModels() || evictOne(after)) {
        beginLoad(awaitingRoom.poll());
      } else {
        return;
      }
    }
  }

  private void beginLoad(ModelState st) {
    st.phase = Phase.LOADING;
    loads.incrementAndGet();
    timers.apply(config.loadTime(), () -> onLoaded(st));
  }

  private void onLoaded(ModelState st) {
    List<Runnable> after = new ArrayList<>();
    synchronized (this) {
      st.phase = Phase.LOADED;
      st.lastUsedNanos = System.nanoTime();
      dispatch(st, after);
      if (st.idle()) {
        becameIdle(st, after);
      }
    }
    after.forEach(Runnable::run);
  }

  /** Grants waiting requests while slots are free. */
  private void dispatch(ModelState st, List<Runnable> after) {
    while (st.active < config.numParallel() && !st.waiters.isEmpty()) {
      Waiter w = st.waiters.poll();
      pending--;
      if (w.future().isDone()) {
        continue; // the client gave up
      }
      st.active++;
      Lease lease = new Lease(st, System.nanoTime() - w.startNanos());
      after.add(() -> {
        if (!w.future().complete(lease)) {
          lease.release(st.keepAlive);
        }
      });
    }
  }

  /** Unloads the least recently used idle loaded model; false when every loaded model is busy. */
  private boolean evictOne(List<Runnable> after) {
    ModelState lru = null;
    for (ModelState st : models.values()) {
      if (st.phase == Phase.LOADED && st.idle() && (lru == null || st.lastUsedNanos < lru.lastUsedNanos)) {
        lru = st;
      }
    }
    if (lru == null) {
      return false;
    }
    models.remove(ModelNames.key(lru.model.name()));
    cancelExpiry(lru);
    return true;
  }

  private void remove(ModelState st, List<Runnable> after) {
    models.remove(ModelNames.key(st.model.name()));
    cancelExpiry(st);
    admitAwaiting(after);
  }

  private int occupying() {
    int n = 0;
    for (ModelState st : models.values()) {
      if (st.phase != Phase.AWAITING_ROOM) {
        n++;
      }
    }
    return n;
  }

  private static void cancelExpiry(ModelState st) {
    st.expiryGeneration++;
    st.expiresAt = null;
    if (st.expiry != null) {
      st.expiry.cancel();
      st.expiry = null;
    }
  }

  /** Go's keep_alive forever is MaxInt64 nanoseconds (about 292 years). */
  private static Instant expiry(Instant now, KeepAlive keepAlive) {
    return keepAlive.forever() ? now.plus(Duration.ofNanos(Long.MAX_VALUE)) : now.plus(keepAlive.duration());
  }
}
