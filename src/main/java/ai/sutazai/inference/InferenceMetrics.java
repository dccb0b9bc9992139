package ai.sutazai.inference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Request metrics per worker and model, owned by the router actor (not thread-safe). Latencies are
 * kept as counts over fixed buckets so the API can render Prometheus histograms from a {@link Snapshot}.
 */
public final class InferenceMetrics {
  /** Upper bounds of the latency buckets, in seconds (the last bucket is +Inf). */
  public static final double[] BUCKET_SECONDS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120};

  private final Map<String, Map<String, Cell>> cells = new HashMap<>();

  private static final class Cell {
    long requests;
    long failures;
    long rejected;
    long loadsObserved;
    long ttfbCount;
    long ttfbNanosSum;
    long[] ttfbBuckets = new long[BUCKET_SECONDS.length + 1];
    long latencyCount;
    long latencyNanosSum;
    long[] latencyBuckets = new long[BUCKET_SECONDS.length + 1];
    long evalCount;
    long evalNanos;
    double lastTokensPerSecond;
  }

  /** One (worker, model) pair. Times in seconds; {@code *Buckets} are per-bucket (not cumulative) counts. */
  public record WorkerModel(
      String worker,
      String model,
      int inFlight,
      int queueDepth,
      long requests,
      long failures,
      long loadsObserved,
      long ttfbCount,
      double ttfbSecondsSum,
      List<Long> ttfbBuckets,
      long latencyCount,
      double latencySecondsSum,
      List<Long> latencyBuckets,
      long evalCount,
      double evalSeconds,
      double tokensPerSecond,
      double lastTokensPerSecond) {}

  /**
   * Everything, at one instant.
   *
   * @param perWorkerModel one entry per (worker, model) seen
   * @param queueDepthPerModel requests waiting in the router, per model
   * @param rejectedPerModel requests refused with 503 because the queue was full or a deadline passed
   */
  public record Snapshot(List<WorkerModel> perWorkerModel, Map<String, Integer> queueDepthPerModel,
      Map<String, Long> rejectedPerModel) {}

  private final Map<String, Long> rejected = new HashMap<>();

  private Cell cell(String worker, String model) {
    return cells.computeIfAbsent(worker, w -> new HashMap<>()).computeIfAbsent(model, m -> new Cell());
  }

  public void rejected(String model) {
    rejected.merge(model, 1L, Long::sum);
  }

  /**
   * One finished request.
   *
   * @param ttfbNanos       time to the first response byte, or -1 if none came
   * @param evalCount       {@code eval_count} of the final line, 0 if absent
   * @param evalNanos       {@code eval_duration} of the final line, 0 if absent
   */
  public void record(String worker, String model, boolean failed, boolean loadObserved, long ttfbNanos,
      long totalNanos, long evalCount, long evalNanos) {
    Cell c = cell(worker, model);
    c.requests++;
    if (failed) {
      c.failures++;
    }
    if (loadObserved) {
      c.loadsObserved++;
    }
    if (ttfbNanos >= 0) {
      c.ttfbCount++;
      c.ttfbNanosSum += ttfbNanos;
      c.ttfbBuckets[bucket(ttfbNanos)]++;
    }
    c.latencyCount++;
    c.latencyNanosSum += totalNanos;
    c.latencyBuckets[bucket(totalNanos)]++;
    if (evalCount > 0 && evalNanos > 0) {
      c.evalCount += evalCount;
      c.evalNanos += evalNanos;
      c.lastTokensPerSecond = evalCount * 1e9 / evalNanos;
    }
  }

  /** Mean latency of one model over all workers in seconds, or {@code fallback} when nothing finished yet. */
  public double meanLatencySeconds(String model, double fallback) {
    long n = 0;
    long sum = 0;
    for (Map<String, Cell> perModel : cells.values()) {
      Cell c = perModel.get(model);
      if (c != null) {
        n += c.latencyCount;
        sum += c.latencyNanosSum;
      }
    }
    return n == 0 ? fallback : sum / 1e9 / n;
  }

  /** {@code inFlight} and {@code queued} give the live gauges per worker → model. */
  public Snapshot snapshot(Map<String, Map<String, Integer>> inFlight, Map<String, Map<String, Integer>> queued,
      Map<String, Integer> queueDepthPerModel) {
    List<WorkerModel> out = new ArrayList<>();
    Map<String, Map<String, Cell>> all = new HashMap<>(cells);
    inFlight.forEach((w, m) -> m.keySet().forEach(model -> all.computeIfAbsent(w, x -> new HashMap<>())
        .computeIfAbsent(model, x -> cell(w, model))));
    all.forEach((worker, perModel) -> perModel.forEach((model, c) -> out.add(new WorkerModel(worker, model,
        inFlight.getOrDefault(worker, Map.of()).getOrDefault(model, 0),
        queued.getOrDefault(worker, Map.of()).getOrDefault(model, 0),
        c.requests, c.failures, c.loadsObserved,
        c.ttfbCount, c.ttfbNanosSum / 1e9, longs(c.ttfbBuckets),
        c.latencyCount, c.latencyNanosSum / 1e9, longs(c.latencyBuckets),
        c.evalCount, c.evalNanos / 1e9, c.evalNanos == 0 ? 0 : c.evalCount * 1e9 / c.evalNanos,
        c.lastTokensPerSecond))));
    out.sort((a, b) -> a.worker().equals(b.worker()) ? a.model().compareTo(b.model())
        : a.worker().compareTo(b.worker()));
    return new Snapshot(out, Map.copyOf(queueDepthPerModel), Map.copyOf(rejected));
  }

  private static List<Long> longs(long[] a) {
    List<Long> l = new ArrayList<>(a.length);
    for (long v : a) {
      l.add(v);
    }
    return l;
  }

  private static int bucket(long nanos) {
    double s = nanos / 1e9;
    for (int i = 0; i < BUCKET_SECONDS.length; i++) {
      if (s <= BUCKET_SECONDS[i]) {
        return i;
      }
    }
    return BUCKET_SECONDS.length;
  }
}
