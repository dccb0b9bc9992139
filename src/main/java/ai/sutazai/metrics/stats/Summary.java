package ai.sutazai.metrics.stats;

import ai.sutazai.common.CborSerializable;

/**
 * Descriptive statistics of one metric over a window, as computed by {@link Statistics#summarize}.
 * Values carry the unit of the metric they describe.
 *
 * @param count number of samples
 * @param min smallest sample
 * @param max largest sample
 * @param mean arithmetic mean
 * @param stddev <b>sample</b> standard deviation (divisor n − 1); 0 when count is 1
 * @param p50 median, linear interpolation between closest ranks (see {@link Statistics#percentile})
 * @param p90 90th percentile, same method
 * @param p95 95th percentile, same method
 * @param p99 99th percentile, same method
 * @param ewma exponentially weighted moving average after the last sample, in time order
 */
public record Summary(
    long count,
    double min,
    double max,
    double mean,
    double stddev,
    double p50,
    double p90,
    double p95,
    double p99,
    double ewma)
    implements CborSerializable {}
