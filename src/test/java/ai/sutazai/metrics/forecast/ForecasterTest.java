package ai.sutazai.metrics.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.metrics.stats.Point;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ForecasterTest {
  static final long MIN = 60_000;
  static final long MIB = 1 << 20;

  @Test
  void memoryGrowingOneMibPerMinuteExhaustsWhenTheLineSaysSo() {
    // 120 minutes from 1024 MiB, +1 MiB/min; capacity 2048 MiB: the last point is 1143 MiB, so 905 min left.
    List<Point> history = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      history.add(new Point(i * MIN, (1024 + i) * MIB));
    }
    Forecast f = new Forecaster(ForecastSettings.defaults())
        .forecast("mem", history, Duration.ofMinutes(1), Duration.ofHours(1), 2048.0 * MIB).orElseThrow();
    assertEquals(List.of("linear", "holt"), f.models().stream().map(Forecast.ModelForecast::model).toList());
    assertEquals(Duration.ofMinutes(905), f.models().get(0).timeToExhaustion().orElseThrow());
    assertEquals(Duration.ofMinutes(905), f.primary().timeToExhaustion().orElseThrow());
    assertEquals(60, f.primary().points().size());
    assertEquals(1144.0 * MIB, f.primary().points().get(0).value(), 1e-3);
    assertEquals(120 * MIN, f.primary().points().get(0).timeMillis());
  }

  @Test
  void everyForecastHasAnIntervalThatWidensAndAPessimisticExhaustion() {
    Random random = new Random(42);
    List<Point> history = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      history.add(new Point(i * 5_000L, 50 + 0.05 * i + random.nextGaussian()));
    }
    Forecast f = new Forecaster(ForecastSettings.defaults())
        .forecast("cpu", history, Duration.ofSeconds(5), Duration.ofMinutes(10), 100).orElseThrow();
    for (Forecast.ModelForecast m : f.models()) {
      Forecast.Point first = m.points().get(0);
      Forecast.Point last = m.points().get(m.points().size() - 1);
      assertTrue(first.lower() < first.value() && first.value() < first.upper(), m.model());
      assertTrue(last.upper() - last.lower() > first.upper() - first.lower(), m.model() + ": interval widens");
    }
    // The noisy recent trend may point anywhere for Holt; the line's rises 0.05 per step.
    Forecast.ModelForecast linear = f.models().get(0);
    assertTrue(linear.earliestExhaustion().orElseThrow().compareTo(linear.timeToExhaustion().orElseThrow()) < 0,
        "upper bound reaches capacity first");
    // Linear: slope 0.05 per 5 s from about 60 -> 100 roughly 800 steps (about 67 min) ahead.
    long minutes = f.models().get(0).timeToExhaustion().orElseThrow().toMinutes();
    assertTrue(minutes > 55 && minutes < 80, "linear exhaustion after " + minutes + " min");
  }

  @Test
  void holtWintersOnceTwoDaysExist() {
    List<Point> twoDays = new ArrayList<>();
    List<Point> oneDay = new ArrayList<>();
    for (int i = 0; i < 72; i++) { // hourly, 3 days
      Point p = new Point(i * 60 * MIN, 100 + 20 * Math.sin(2 * Math.PI * i / 24));
      twoDays.add(p);
      if (i < 30) {
        oneDay.add(p);
      }
    }
    Forecaster forecaster = new Forecaster(ForecastSettings.defaults());
    Forecast seasonal = forecaster.forecast("d", twoDays, Duration.ofHours(1), Duration.ofHours(24), Double.NaN).orElseThrow();
    assertEquals("holt-winters", seasonal.primary().model());
    // Next hour is phase 0 of the cycle: 100 + 20 sin(0) = 100; hour 6: the peak, 120.
    assertEquals(100, seasonal.primary().points().get(0).value(), 1e-6);
    assertEquals(120, seasonal.primary().points().get(6).value(), 1e-6);
    assertNull(seasonal.primary().timeToExhaustionMillis());
    assertEquals("holt", forecaster.forecast("d", oneDay, Duration.ofHours(1), Duration.ofHours(1), Double.NaN)
        .orElseThrow().primary().model());
    assertTrue(forecaster.forecast("d", oneDay.subList(0, 5), Duration.ofHours(1), Duration.ofHours(1), Double.NaN).isEmpty(),
        "fewer than min-points");
  }

  @Test
  void resampleAveragesBucketsAndCarriesGaps() {
    List<Point> pts = List.of(new Point(0, 1), new Point(2_000, 3), new Point(5_000, 10), new Point(17_000, 4));
    assertEquals(List.of(2.0, 10.0, 10.0, 4.0), toList(Forecaster.resample(pts, 5_000)));
  }

  @Test
  void demandForecastPreActivatesOnlyWhenEnabled() {
    List<Point> rising = new ArrayList<>();
    List<Point> idle = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      rising.add(new Point(i * 5_000L, i / 10.0)); // 0 .. 2.9 requests per interval, rising
      idle.add(new Point(i * 5_000L, 0));
    }
    Map<String, List<Point>> demand = Map.of("coder", rising, "writer", idle);
    ForecastSettings off = ForecastSettings.defaults();
    DemandForecast d = DemandForecast.compute(demand, Duration.ofSeconds(5), off);
    assertEquals(List.of(), d.preActivate());
    assertTrue(d.peakRequests().get("coder") > 2.9);
    assertEquals(0.0, d.peakRequests().get("writer"), 1e-9);
    ForecastSettings on = new ForecastSettings(Duration.ofMinutes(5), 12, 0.5, 0.3, 0.3, 0.95, true, 1.0);
    assertEquals(List.of("coder"), DemandForecast.compute(demand, Duration.ofSeconds(5), on).preActivate());
  }

  static List<Double> toList(double[] a) {
    List<Double> out = new ArrayList<>();
    for (double v : a) {
      out.add(v);
    }
    return out;
  }
}
