package ai.sutazai.metrics;

import ai.sutazai.metrics.stats.CollectorSeries;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Shared part of host samplers: turns cumulative counters (bytes read, bytes received...) into rates per
 * second between two calls, and assembles the sample map. Platform classes supply the raw readings.
 *
 * <p>Hazard: the previous counters live in this object, so concurrent calls would compute nonsense
 * rates; {@link #sample()} is synchronized, and the collector issues one sample at a time anyway.
 */
public abstract class AbstractHostSampler implements HostSampler {
  private final LongSupplier nanoClock;
  private final Map<String, Long> previousCounters = new HashMap<>();
  private long previousNanos = -1;

  protected AbstractHostSampler(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  @Override
  public final synchronized Map<String, Double> sample() {
    long now = nanoClock.getAsLong();
    Map<String, Double> out = new HashMap<>();
    readGauges(out);
    Map<String, Long> counters = new HashMap<>();
    readCounters(counters);
    double seconds = previousNanos < 0 ? 0 : (now - previousNanos) / 1e9;
    for (Map.Entry<String, Long> c : counters.entrySet()) {
      Long before = previousCounters.get(c.getKey());
      // A counter that went backwards (device removed, wrapped) yields no rate for this round.
      if (before != null && seconds > 0 && c.getValue() >= before) {
        out.put(c.getKey(), (c.getValue() - before) / seconds);
      }
    }
    previousCounters.clear();
    previousCounters.putAll(counters);
    previousNanos = now;
    out.values().removeIf(v -> v == null || v.isNaN() || v.isInfinite());
    return out;
  }

  /** Puts instantaneous readings (memory, load, CPU %) into {@code out}, named as in {@link CollectorSeries}. */
  protected abstract void readGauges(Map<String, Double> out);

  /**
   * Puts cumulative counters into {@code out}, keyed by the name of the rate series they become
   * (for example {@link CollectorSeries#HOST_DISK_READ_BYTES_PER_SECOND} → total bytes read since boot).
   */
  protected abstract void readCounters(Map<String, Long> out);
}
