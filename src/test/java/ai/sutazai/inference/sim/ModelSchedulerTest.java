package ai.sutazai.inference.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.inference.ollama.KeepAlive;
import akka.actor.Cancellable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The scheduler alone, with timers the test fires by hand: loads, slots, queue, eviction, expiry. */
class ModelSchedulerTest {

  /** Timers that run only when the test says so. */
  private static final class ManualTimers {
    private record Task(Duration delay, Runnable run, boolean[] cancelled) {}

    final List<Task> tasks = new ArrayList<>();

    Cancellable schedule(Duration delay, Runnable run) {
      boolean[] cancelled = new boolean[1];
      tasks.add(new Task(delay, run, cancelled));
      return new Cancellable() {
        @Override
        public boolean cancel() {
          cancelled[0] = true;
          return true;
        }

        @Override
        public boolean isCancelled() {
          return cancelled[0];
        }
      };
    }

    /** Fires every pending task scheduled with exactly {@code delay}. */
    void fire(Duration delay) {
      List<Task> due = tasks.stream().filter(t -> t.delay().equals(delay) && !t.cancelled()[0]).toList();
      tasks.removeAll(due);
      due.forEach(t -> t.run().run());
    }
  }

  private static final Duration LOAD = Duration.ofSeconds(2);
  private final ManualTimers timers = new ManualTimers();

  private ModelScheduler scheduler(int parallel, int queue, int maxLoaded, String... models) {
    SimConfig config = SimConfig.defaults().withModels(models).withNumParallel(parallel).withMaxQueue(queue)
        .withMaxLoadedModels(maxLoaded).withLoadTime(LOAD);
    return new ModelScheduler(config, new ModelCatalog(config.models()), timers::schedule);
  }

  private static List<String> loaded(ModelScheduler s) {
    return s.loaded().stream().map(l -> l.model().name()).sorted().toList();
  }

  @Test
  void requestsWaitForTheLoadThenForASlot() {
    ModelScheduler s = scheduler(1, 5, 3, "m");
    CompletableFuture<ModelScheduler.Lease> a = s.acquire("m", KeepAlive.DEFAULT, System.nanoTime());
    CompletableFuture<ModelScheduler.Lease> b = s.acquire("m", KeepAlive.DEFAULT, System.nanoTime());
    assertFalse(a.isDone() || b.isDone(), "loading");
    assertEquals(2, s.pending());
    timers.fire(LOAD);
    assertTrue(a.isDone() && !b.isDone(), "one slot");
    assertEquals(1, s.loadCount());
    a.join().release(KeepAlive.DEFAULT);
    assertTrue(b.isDone(), "the freed slot goes to the next in line");
    assertEquals(0, s.pending());
  }

  @Test
  void fullQueueAndUnknownModelFailAtOnce() {
    ModelScheduler s = scheduler(1, 1, 3, "m");
    s.acquire("m", KeepAlive.DEFAULT, System.nanoTime());
    CompletableFuture<ModelScheduler.Lease> rejected = s.acquire("m", KeepAlive.DEFAULT, System.nanoTime());
    assertTrue(rejected.isCompletedExceptionally());
    assertTrue(failure(rejected) instanceof ModelScheduler.QueueFull);
    assertTrue(failure(s.acquire("ghost", KeepAlive.DEFAULT, 0)) instanceof ModelScheduler.NotInstalled);
  }

  @Test
  void aLoadBeyondTheLimitWaitsForAModelToGoIdleThenEvictsIt() {
    ModelScheduler s = scheduler(1, 5, 1, "a", "b");
    CompletableFuture<ModelScheduler.Lease> a = s.acquire("a", KeepAlive.DEFAULT, System.nanoTime());
    timers.fire(LOAD);
    CompletableFuture<ModelScheduler.Lease> b = s.acquire("b", KeepAlive.DEFAULT, System.nanoTime());
    timers.fire(LOAD);
    assertFalse(b.isDone(), "a is busy, so b cannot be loaded yet");
    assertEquals(List.of("a:latest"), loaded(s));
    a.join().release(KeepAlive.DEFAULT);
    assertEquals(List.of(), loaded(s), "a evicted, b loading");
    timers.fire(LOAD);
    assertTrue(b.isDone());
    assertEquals(List.of("b:latest"), loaded(s));
  }

  @Test
  void keepAliveExpiresOnlyWhenIdleAndForeverNever() {
    ModelScheduler s = scheduler(2, 5, 3, "m", "n");
    CompletableFuture<ModelScheduler.Lease> m = s.acquire("m", KeepAlive.DEFAULT, System.nanoTime());
    CompletableFuture<ModelScheduler.Lease> n = s.acquire("n", KeepAlive.FOREVER, System.nanoTime());
    timers.fire(LOAD);
    KeepAlive tenSeconds = KeepAlive.of(Duration.ofSeconds(10));
    m.join().release(tenSeconds);
    n.join().release(KeepAlive.FOREVER);
    CompletableFuture<ModelScheduler.Lease> again = s.acquire("m", tenSeconds, System.nanoTime());
    timers.fire(Duration.ofSeconds(10));
    assertEquals(List.of("m:latest", "n:latest"), loaded(s), "a busy model does not expire");
    again.join().release(tenSeconds);
    timers.fire(Duration.ofSeconds(10));
    assertEquals(List.of("n:latest"), loaded(s));
    assertTrue(timers.tasks.stream().noneMatch(t -> !t.cancelled()[0]), "no timer for forever");
  }

  @Test
  void releasingTwiceCountsOnceAndKeepAliveZeroUnloads() {
    ModelScheduler s = scheduler(1, 5, 3, "m");
    CompletableFuture<ModelScheduler.Lease> a = s.acquire("m", KeepAlive.DEFAULT, System.nanoTime());
    timers.fire(LOAD);
    a.join().release(KeepAlive.DEFAULT);
    a.join().release(KeepAlive.DEFAULT);
    assertEquals(List.of("m:latest"), loaded(s));
    assertEquals(0, s.loaded().get(0).activeRequests());
    s.unload("m");
    assertEquals(List.of(), loaded(s));
  }

  private static Throwable failure(CompletableFuture<?> f) {
    try {
      f.join();
      throw new AssertionError("expected a failure");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }
}
