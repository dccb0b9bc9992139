package ai.sutazai.metrics.baseline;

import ai.sutazai.common.CborSerializable;
import ai.sutazai.metrics.stats.Summary;

/**
 * The baseline of one series: its statistics and the alert thresholds derived from them.
 *
 * @param series series name, e.g. {@code sutazai_host_load1}
 * @param summary statistics over the recording
 * @param warningThreshold derived warning threshold (see {@link Thresholds})
 * @param criticalThreshold derived critical threshold
 * @param capped true when a static threshold from conf limited a derived one
 */
public record MetricBaseline(
    String series, Summary summary, double warningThreshold, double criticalThreshold, boolean capped)
    implements CborSerializable {}
