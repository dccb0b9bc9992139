package ai.sutazai.metrics;

import ai.sutazai.metrics.stats.CollectorSeries;

import java.util.Map;

/**
 * Reads the host's resource usage. Implementations block (they read /proc, sysfs or OS APIs): call
 * {@link #sample()} on {@code sutazai-blocking-dispatcher}, one call at a time, since throughput figures
 * are computed from the difference to the previous call.
 */
public interface HostSampler {

  /**
   * One sample as series name → value, using the names and units of {@link CollectorSeries}. A figure the
   * platform cannot provide (for example load average on Windows, or a rate on the very first call) is
   * left out.
   */
  Map<String, Double> sample();
}
