package ai.sutazai.supervisor.container;

import ai.sutazai.supervisor.settings.SupervisorSettings;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;

/**
 * Whether the host is under pressure (load average per core or memory use above the configured
 * thresholds). Under pressure a slow health probe gets a widened timeout instead of counting as a
 * failure: short timeouts on a saturated host were the seed's cause of premature restarts.
 *
 * <p>Reads go to /proc through OSHI, so they are memoized for the sample interval and must be made from
 * the blocking dispatcher (the prober's thread).
 */
public interface HostPressure {

  /** True while the host is above either threshold. */
  boolean underPressure();

  /** Multiplier for probe timeouts: the configured factor under pressure, else 1. */
  double probeTimeoutFactor();

  /** Host pressure from OSHI, memoized for {@code sampleInterval}. */
  static HostPressure oshi(SupervisorSettings s) {
    return new OshiHostPressure(s);
  }

  /** A host never under pressure: probe timeouts are never widened (benchmarks, simulations). */
  static HostPressure none() {
    return fixed(false, 1);
  }

  /** A fixed answer, for tests and simulations. */
  static HostPressure fixed(boolean pressure, double factor) {
    return new HostPressure() {
      @Override
      public boolean underPressure() {
        return pressure;
      }

      @Override
      public double probeTimeoutFactor() {
        return pressure ? factor : 1.0;
      }
    };
  }

  /** OSHI-backed implementation. */
  final class OshiHostPressure implements HostPressure {
    private final CentralProcessor cpu;
    private final GlobalMemory memory;
    private final double loadPerCoreThreshold;
    private final double memoryThreshold;
    private final double factor;
    private final long intervalNanos;
    private final AtomicLong sampledAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicReference<Boolean> last = new AtomicReference<>(Boolean.FALSE);

    OshiHostPressure(SupervisorSettings s) {
      SystemInfo si = new SystemInfo();
      this.cpu = si.getHardware().getProcessor();
      this.memory = si.getHardware().getMemory();
      this.loadPerCoreThreshold = s.pressureLoadPerCore();
      this.memoryThreshold = s.pressureMemoryUtilisation();
      this.factor = s.probeTimeoutFactor();
      this.intervalNanos = Duration.ofMillis(Math.max(100, s.pressureSampleInterval().toMillis())).toNanos();
    }

    @Override
    public boolean underPressure() {
      long now = System.nanoTime();
      long at = sampledAt.get();
      if (at == Long.MIN_VALUE || now - at > intervalNanos) {
        sampledAt.set(now);
        last.set(sample());
      }
      return last.get();
    }

    private boolean sample() {
      double load1 = cpu.getSystemLoadAverage(1)[0];
      double perCore = load1 < 0 ? 0 : load1 / Math.max(1, cpu.getLogicalProcessorCount());
      double used = 1.0 - (double) memory.getAvailable() / Math.max(1, memory.getTotal());
      return perCore >= loadPerCoreThreshold || used >= memoryThreshold;
    }

    @Override
    public double probeTimeoutFactor() {
      return underPressure() ? factor : 1.0;
    }
  }
}
