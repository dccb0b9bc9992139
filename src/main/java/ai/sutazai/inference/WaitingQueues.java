package ai.sutazai.inference;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * The router's queues of requests waiting for a slot: one per model, ordered by agent priority then arrival,
 * with an index by call id so that a request whose client left can be taken out at once. Owned by the
 * {@link InferenceRouter} actor and only touched from it (not thread-safe).
 */
final class WaitingQueues {
  /** A waiting request; {@code enqueuedNanos} is a {@link System#nanoTime()} instant. */
  record Waiting(long seq, InferenceRouter.Acquire req, long enqueuedNanos) {}

  private static final Comparator<Waiting> ORDER =
      Comparator.comparingInt((Waiting w) -> -w.req().priority()).thenComparingLong(Waiting::seq);

  private final Map<String, TreeSet<Waiting>> queues = new HashMap<>();
  private final Map<Long, Waiting> byCall = new HashMap<>();
  private final Map<String, Double> meanWaitMillis = new HashMap<>();
  private final Map<String, Long> cancelled = new HashMap<>();
  private long nextSeq;

  boolean isEmpty() {
    return queues.isEmpty();
  }

  boolean hasWaiting(String model) {
    TreeSet<Waiting> q = queues.get(model);
    return q != null && !q.isEmpty();
  }

  int depth(String model) {
    TreeSet<Waiting> q = queues.get(model);
    return q == null ? 0 : q.size();
  }

  /** Queues {@code req}; false (and nothing queued) when its model's queue already holds {@code max}. */
  boolean add(InferenceRouter.Acquire req, int max, long nowNanos) {
    TreeSet<Waiting> q = queues.computeIfAbsent(req.model(), m -> new TreeSet<>(ORDER));
    if (q.size() >= max) {
      return false;
    }
    Waiting w = new Waiting(nextSeq++, req, nowNanos);
    q.add(w);
    byCall.put(req.callId(), w);
    return true;
  }

  /** Takes the request of {@code callId} out of its queue and counts it as cancelled; null if not waiting. */
  Waiting cancel(long callId) {
    Waiting w = byCall.remove(callId);
    if (w == null) {
      return null;
    }
    TreeSet<Waiting> q = queues.get(w.req().model());
    if (q != null) {
      q.remove(w);
      if (q.isEmpty()) {
        queues.remove(w.req().model());
      }
    }
    cancelled.merge(w.req().model(), 1L, Long::sum);
    return w;
  }

  /** The queue of {@code model}, best first; {@code remove()} takes the last one returned out. */
  Iterator<Waiting> iterator(String model) {
    TreeSet<Waiting> q = queues.get(model);
    if (q == null) {
      return Collections.emptyIterator();
    }
    Iterator<Waiting> it = q.iterator();
    return new Iterator<>() {
      private Waiting last;

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Waiting next() {
        last = it.next();
        return last;
      }

      @Override
      public void remove() {
        it.remove();
        byCall.remove(last.req().callId());
      }
    };
  }

  /** Forgets the queue of {@code model} if it is empty (call after iterating). */
  void tidy(String model) {
    TreeSet<Waiting> q = queues.get(model);
    if (q != null && q.isEmpty()) {
      queues.remove(model);
    }
  }

  /** A request of {@code model} left the queue for a worker after {@code millis}. */
  void waited(String model, double millis) {
    meanWaitMillis.merge(model, millis, (old, x) -> old * 0.9 + x * 0.1);
  }

  /** Takes out and returns the requests whose deadline has passed. */
  List<Waiting> expire(long nowNanos) {
    List<Waiting> out = new ArrayList<>();
    for (TreeSet<Waiting> q : queues.values()) {
      q.removeIf(w -> {
        if (nowNanos - w.req().deadlineNanos() >= 0) {
          byCall.remove(w.req().callId());
          out.add(w);
          return true;
        }
        return false;
      });
    }
    queues.values().removeIf(TreeSet::isEmpty);
    return out;
  }

  /** The models with a queue now (a copy). */
  List<String> models() {
    return new ArrayList<>(queues.keySet());
  }

  Map<String, Integer> depths() {
    Map<String, Integer> depth = new HashMap<>();
    queues.forEach((model, q) -> depth.put(model, q.size()));
    return depth;
  }

  /** One row per model that has or had a queue. */
  List<RouterReports.ModelQueue> report(long nowNanos, ToIntFunction<String> inFlight) {
    List<RouterReports.ModelQueue> models = new ArrayList<>();
    Set<String> names = new TreeSet<>(queues.keySet());
    names.addAll(meanWaitMillis.keySet());
    names.addAll(cancelled.keySet());
    for (String model : names) {
      TreeSet<Waiting> q = queues.getOrDefault(model, new TreeSet<>(ORDER));
      long oldest = q.stream().mapToLong(Waiting::enqueuedNanos).min().orElse(nowNanos);
      models.add(new RouterReports.ModelQueue(model, q.size(), (nowNanos - oldest) / 1_000_000,
          meanWaitMillis.getOrDefault(model, 0.0), inFlight.applyAsInt(model), cancelled.getOrDefault(model, 0L)));
    }
    return models;
  }
}
