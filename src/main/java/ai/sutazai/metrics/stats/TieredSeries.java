package ai.sutazai.metrics.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * One metric's history at several resolutions, e.g. 1 h of raw 5 s samples and 7 d of 1 min means.
 * Every sample goes into the first tier as is; each later tier accumulates the samples of its current
 * bucket ({@code resolution} wide, aligned to the epoch) and stores their mean when the bucket closes.
 *
 * <p>Hazard: not thread-safe; confined to the actor that owns it, like {@link RingBuffer}.
 */
public final class TieredSeries {
  private final List<TierSpec> specs;
  private final RingBuffer[] rings;
  // Open bucket of each downsampled tier (index 0 unused): start, sum, count.
  private final long[] bucketStart;
  private final double[] bucketSum;
  private final int[] bucketCount;

  public TieredSeries(List<TierSpec> tiers) {
    if (tiers.isEmpty()) {
      throw new IllegalArgumentException("at least one tier is needed");
    }
    this.specs = List.copyOf(tiers);
    this.rings = new RingBuffer[tiers.size()];
    for (int i = 0; i < rings.length; i++) {
      rings[i] = new RingBuffer(tiers.get(i).capacity());
    }
    this.bucketStart = new long[tiers.size()];
    this.bucketSum = new double[tiers.size()];
    this.bucketCount = new int[tiers.size()];
  }

  /** Records a sample; samples are expected in time order. */
  public void add(long timeMillis, double value) {
    rings[0].add(timeMillis, value);
    for (int i = 1; i < rings.length; i++) {
      long width = specs.get(i).resolution().toMillis();
      long start = Math.floorDiv(timeMillis, width) * width;
      if (bucketCount[i] > 0 && start != bucketStart[i]) {
        rings[i].add(bucketStart[i], bucketSum[i] / bucketCount[i]);
        bucketCount[i] = 0;
        bucketSum[i] = 0;
      }
      if (bucketCount[i] == 0) {
        bucketStart[i] = start;
      }
      bucketSum[i] += value;
      bucketCount[i]++;
    }
  }

  /** The newest raw sample, or null when none. */
  public Point latest() {
    return rings[0].latest();
  }

  /**
   * Points within [from, to], oldest first, at the finest resolution available for each stretch: the
   * raw tier where it still reaches back, coarser tiers before that.
   */
  public List<Point> window(long fromMillis, long toMillis) {
    List<Point> result = rings[0].window(fromMillis, toMillis);
    long coveredFrom = result.isEmpty() ? Long.MAX_VALUE : result.get(0).timeMillis();
    for (int i = 1; i < rings.length; i++) {
      long finerOldest = Math.min(coveredFrom, rings[i - 1].oldestMillis());
      if (finerOldest <= fromMillis) {
        break;
      }
      List<Point> older = new ArrayList<>();
      for (Point p : rings[i].window(fromMillis, toMillis)) {
        if (p.timeMillis() < finerOldest) {
          older.add(p);
        }
      }
      if (!older.isEmpty()) {
        older.addAll(result);
        result = older;
        coveredFrom = result.get(0).timeMillis();
      }
    }
    return result;
  }

  /** Upper bound of the heap used by this series' points, in bytes. */
  public long maxPayloadBytes() {
    long bytes = 0;
    for (RingBuffer r : rings) {
      bytes += r.maxPayloadBytes();
    }
    return bytes;
  }
}
