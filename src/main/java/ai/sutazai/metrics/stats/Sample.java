package ai.sutazai.metrics.stats;

import ai.sutazai.common.CborSerializable;
import java.util.Map;

/**
 * Everything sampled in one round: series name → value (names and units in {@link CollectorSeries}),
 * stamped with the collector's clock in epoch milliseconds.
 */
public record Sample(long timeMillis, Map<String, Double> values) implements CborSerializable {
  public Sample {
    values = Map.copyOf(values);
  }

  /** The value of a series, or NaN when it was not sampled this round. */
  public double value(String series) {
    Double v = values.get(series);
    return v == null ? Double.NaN : v;
  }
}
