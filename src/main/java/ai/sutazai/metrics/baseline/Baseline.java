package ai.sutazai.metrics.baseline;

import ai.sutazai.CborSerializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A recorded performance baseline.
 *
 * @param id database id (0 before it is stored)
 * @param createdAt when the recording ended
 * @param duration how long it recorded
 * @param sampleInterval time between samples
 * @param label free text, the host name by default
 * @param samples samples taken
 * @param metrics one entry per series, sorted by series name
 */
public record Baseline(
    long id, Instant createdAt, Duration duration, Duration sampleInterval, String label, int samples,
    List<MetricBaseline> metrics)
    implements CborSerializable {

  public Baseline {
    metrics = List.copyOf(metrics);
  }

  public Baseline withId(long newId) {
    return new Baseline(newId, createdAt, duration, sampleInterval, label, samples, metrics);
  }

  public Optional<MetricBaseline> metric(String series) {
    return metrics.stream().filter(m -> m.series().equals(series)).findFirst();
  }
}
