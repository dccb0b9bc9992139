package ai.sutazai.metrics.stats;

import java.time.Duration;

/**
 * One tier of a {@link TieredSeries}: points {@code resolution} apart, kept for {@code retention}.
 * The first tier holds raw samples; later tiers hold the mean of each {@code resolution} bucket.
 */
public record TierSpec(Duration resolution, Duration retention) {
  public TierSpec {
    if (resolution.isZero() || resolution.isNegative()) {
      throw new IllegalArgumentException("tier resolution must be positive, was " + resolution);
    }
    if (retention.compareTo(resolution) < 0) {
      throw new IllegalArgumentException("tier retention " + retention + " is shorter than its resolution " + resolution);
    }
  }

  /** How many points this tier holds at most. */
  public int capacity() {
    return (int) Math.max(1, retention.toMillis() / resolution.toMillis());
  }
}
