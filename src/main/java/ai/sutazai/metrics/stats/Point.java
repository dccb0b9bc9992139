package ai.sutazai.metrics.stats;

import ai.sutazai.common.CborSerializable;

/** One value of a series at {@code timeMillis} (epoch milliseconds), in the metric's unit. */
public record Point(long timeMillis, double value) implements CborSerializable {}
