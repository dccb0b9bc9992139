package ai.sutazai.metrics.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * A fixed-capacity ring of (time, value) points; the oldest point is overwritten when full.
 *
 * <p>Hazard: not thread-safe, by design. A ring belongs to one actor (the MetricsCollector) and is only
 * touched from that actor's message handlers; never hand it to a future or another thread.
 *
 * <p>Storage grows by doubling up to the capacity, so an idle series costs a few hundred bytes rather
 * than its full retention; the bound is 16 bytes × capacity.
 */
public final class RingBuffer {
  private final int capacity;
  private long[] times;
  private double[] values;
  private int head; // index of the oldest point
  private int size;

  public RingBuffer(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
    int initial = Math.min(capacity, 16);
    this.times = new long[initial];
    this.values = new double[initial];
  }

  public int capacity() {
    return capacity;
  }

  public int size() {
    return size;
  }

  /** Appends a point; points are expected in time order. */
  public void add(long timeMillis, double value) {
    if (size < capacity && size == times.length) {
      grow();
    }
    if (size < times.length) {
      int index = (head + size) % times.length;
      times[index] = timeMillis;
      values[index] = value;
      size++;
    } else {
      times[head] = timeMillis;
      values[head] = value;
      head = (head + 1) % times.length;
    }
  }

  private void grow() {
    int next = Math.min(capacity, times.length * 2);
    long[] t = new long[next];
    double[] v = new double[next];
    for (int i = 0; i < size; i++) {
      t[i] = times[(head + i) % times.length];
      v[i] = values[(head + i) % values.length];
    }
    times = t;
    values = v;
    head = 0;
  }

  /** Time of the oldest point held, or Long.MAX_VALUE when empty. */
  public long oldestMillis() {
    return size == 0 ? Long.MAX_VALUE : times[head];
  }

  /** The newest point, or null when empty. */
  public Point latest() {
    if (size == 0) {
      return null;
    }
    int index = (head + size - 1) % times.length;
    return new Point(times[index], values[index]);
  }

  /** Points with {@code fromMillis <= time <= toMillis}, oldest first. */
  public List<Point> window(long fromMillis, long toMillis) {
    List<Point> out = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      int index = (head + i) % times.length;
      if (times[index] >= fromMillis && times[index] <= toMillis) {
        out.add(new Point(times[index], values[index]));
      }
    }
    return out;
  }

  /** Upper bound of the heap this ring may use, in bytes (payload arrays only). */
  public long maxPayloadBytes() {
    return 16L * capacity;
  }
}
