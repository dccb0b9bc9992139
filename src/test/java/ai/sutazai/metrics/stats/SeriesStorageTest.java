package ai.sutazai.metrics.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesStorageTest {

  @Test
  void ringOverwritesOldestWhenFull() {
    RingBuffer ring = new RingBuffer(3);
    for (int i = 1; i <= 5; i++) {
      ring.add(i * 1000L, i);
    }
    assertEquals(3, ring.size());
    assertEquals(List.of(new Point(3000, 3), new Point(4000, 4), new Point(5000, 5)), ring.window(0, Long.MAX_VALUE));
    assertEquals(new Point(5000, 5), ring.latest());
    assertEquals(List.of(new Point(4000, 4)), ring.window(3500, 4500));
  }

  @Test
  void ringGrowsPastInitialStorageWithoutLosingOrder() {
    RingBuffer ring = new RingBuffer(100);
    for (int i = 0; i < 150; i++) {
      ring.add(i, i);
    }
    List<Point> all = ring.window(0, Long.MAX_VALUE);
    assertEquals(100, all.size());
    assertEquals(50, all.get(0).timeMillis());
    assertEquals(149, all.get(99).timeMillis());
  }

  @Test
  void downsampledTierKeepsBucketMeansAfterRawTierRollsOver() {
    // Raw tier: 1 s points for 10 s. Coarse tier: 5 s means for 60 s.
    TieredSeries series = new TieredSeries(List.of(
        new TierSpec(Duration.ofSeconds(1), Duration.ofSeconds(10)),
        new TierSpec(Duration.ofSeconds(5), Duration.ofSeconds(60))));
    for (int s = 0; s < 30; s++) {
      series.add(s * 1000L, s); // value = second
    }
    List<Point> all = series.window(0, 29_000);
    // Raw tier still holds 20..29; before that, 5 s buckets [0-4] mean 2, [5-9] 7, [10-14] 12, [15-19] 17.
    assertEquals(new Point(0, 2.0), all.get(0));
    assertEquals(new Point(5000, 7.0), all.get(1));
    assertEquals(new Point(10000, 12.0), all.get(2));
    assertEquals(new Point(15000, 17.0), all.get(3));
    assertEquals(new Point(20000, 20.0), all.get(4));
    assertEquals(14, all.size());
    assertEquals(new Point(29000, 29.0), series.latest());
  }

  @Test
  void recentWindowUsesRawResolutionOnly() {
    TieredSeries series = new TieredSeries(List.of(
        new TierSpec(Duration.ofSeconds(1), Duration.ofSeconds(10)),
        new TierSpec(Duration.ofSeconds(5), Duration.ofSeconds(60))));
    for (int s = 0; s < 30; s++) {
      series.add(s * 1000L, s);
    }
    assertEquals(List.of(new Point(25000, 25), new Point(26000, 26)), series.window(25_000, 26_000));
  }

  @Test
  void storeIsBoundedInSeriesCount() {
    MetricStore store = new MetricStore(List.of(new TierSpec(Duration.ofSeconds(5), Duration.ofHours(1))), 2);
    assertTrue(store.record("a", 0, 1));
    assertTrue(store.record("b", 0, 1));
    assertFalse(store.record("c", 0, 1));
    assertTrue(store.record("a", 5000, 2));
    assertEquals(List.of("a", "b"), store.names());
    assertEquals(1, store.droppedSamples());
    assertEquals(720 * 16, store.maxBytesPerSeries());
  }
}
