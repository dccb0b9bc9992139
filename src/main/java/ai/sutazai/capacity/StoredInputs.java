package ai.sutazai.capacity;

import ai.sutazai.metrics.stats.CollectorSeries;
import ai.sutazai.metrics.baseline.Baseline;
import ai.sutazai.metrics.baseline.MetricBaseline;
import ai.sutazai.metrics.forecast.CapacityForecast;
import ai.sutazai.metrics.forecast.DemandForecast;
import ai.sutazai.metrics.forecast.Forecast;
import ai.sutazai.metrics.forecast.ForecastSettings;
import ai.sutazai.metrics.forecast.Forecaster;
import ai.sutazai.metrics.stats.Point;
import ai.sutazai.metrics.stats.Summary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;

/**
 * Turns stored metrics into the report's utilisation and forecast sections: a {@link Baseline}'s statistics
 * (utilisation) and its kept samples (forecast), or the running collector's {@link CapacityForecast}.
 * Values are shown in readable units: bytes as GiB or MiB, ratios as percent.
 */
public final class StoredInputs {
  private static final double GIB = 1024.0 * 1024 * 1024;
  private static final double MIB = 1024.0 * 1024;
  /** Host series shown first, in this order. */
  static final List<String> HOST_SERIES = List.of(CollectorSeries.HOST_CPU_PERCENT, CollectorSeries.HOST_LOAD1,
      CollectorSeries.HOST_MEMORY_UTILISATION_RATIO, CollectorSeries.HOST_MEMORY_USED_BYTES, CollectorSeries.HOST_SWAP_USED_BYTES,
      CollectorSeries.CONTAINER_HEALTH_RATE_RATIO, CollectorSeries.CONTAINERS_RUNNING);
  /** Per-agent series shown after the host's. */
  static final List<String> AGENT_METRICS = List.of(CollectorSeries.CONTAINER_MEMORY_USAGE_BYTES, CollectorSeries.CONTAINER_CPU_PERCENT,
      CollectorSeries.AGENT_RESPONSE_TIME_P95_SECONDS);
  /** Most agents' demand lines in a forecast (highest peak first). */
  static final int MAX_DEMAND_LINES = 10;

  private StoredInputs() {}

  /** The utilisation section from a baseline: host series first, then per-agent memory, CPU and latency. */
  public static ReportInputs.Utilisation utilisation(Baseline b) {
    List<ReportInputs.MetricStat> rows = new ArrayList<>();
    for (String s : HOST_SERIES) {
      b.metric(s).ifPresent(m -> rows.add(stat(m)));
    }
    for (String metric : AGENT_METRICS) {
      b.metrics().stream().filter(m -> CollectorSeries.metricOf(m.series()).equals(metric)).forEach(m -> rows.add(stat(m)));
    }
    return new ReportInputs.Utilisation(String.valueOf(b.id()), b.createdAt(), b.duration(), rows,
        b.incompleteNote().orElse(null));
  }

  static ReportInputs.MetricStat stat(MetricBaseline m) {
    Unit u = unitOf(m.series());
    Summary s = m.summary();
    return new ReportInputs.MetricStat(m.series(), u.name(), u.f().applyAsDouble(s.mean()), u.f().applyAsDouble(s.p95()),
        u.f().applyAsDouble(s.max()), threshold(u, m.warningThreshold()), threshold(u, m.criticalThreshold()));
  }

  private static Double threshold(Unit u, double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? null : u.f().applyAsDouble(v);
  }

  /** A display unit and the conversion into it. */
  record Unit(String name, DoubleUnaryOperator f) {}

  static Unit unitOf(String series) {
    String metric = CollectorSeries.metricOf(series);
    if (metric.startsWith("sutazai_host_") && metric.endsWith("_bytes")) {
      return new Unit("GiB", v -> v / GIB);
    }
    if (metric.endsWith("_bytes")) {
      return new Unit("MiB", v -> v / MIB);
    }
    if (metric.endsWith("_ratio") || metric.endsWith("_percent")) {
      return new Unit("%", metric.endsWith("_ratio") ? v -> v * 100 : v -> v);
    }
    if (metric.endsWith("_seconds")) {
      return new Unit("s", v -> v);
    }
    if (metric.startsWith("sutazai_host_load")) {
      return new Unit("tasks", v -> v);
    }
    return new Unit("count", v -> v);
  }

  /**
   * The forecast from a baseline's kept samples, or why there is none: a baseline without samples (stored
   * before they were kept) or too few of them for {@code min-points}.
   */
  public static Either forecast(Baseline b, ForecastSettings settings) {
    Map<String, List<Point>> h = b.history();
    List<Point> used = h.getOrDefault(CollectorSeries.HOST_MEMORY_USED_BYTES, List.of());
    List<Point> cpu = h.getOrDefault(CollectorSeries.HOST_CPU_PERCENT, List.of());
    if (used.isEmpty() && cpu.isEmpty()) {
      return Either.missing("baseline " + b.id() + " (" + b.createdAt() + ") keeps statistics only, no samples of "
          + CollectorSeries.HOST_MEMORY_USED_BYTES + " or " + CollectorSeries.HOST_CPU_PERCENT + " (it was recorded before "
          + "baselines kept their samples); record a new one with `sutazai baseline --duration 30m`.");
    }
    Duration step = b.sampleInterval();
    Forecaster forecaster = new Forecaster(settings);
    List<Point> total = h.getOrDefault(CollectorSeries.HOST_MEMORY_TOTAL_BYTES, List.of());
    double capacity = total.isEmpty() ? Double.NaN : total.get(total.size() - 1).value();
    Forecast memory = used.isEmpty() ? null
        : forecaster.forecast(CollectorSeries.HOST_MEMORY_USED_BYTES, used, step, settings.horizon(), capacity).orElse(null);
    Forecast cpuForecast = cpu.isEmpty() ? null
        : forecaster.forecast(CollectorSeries.HOST_CPU_PERCENT, cpu, step, settings.horizon(), 100.0).orElse(null);
    Map<String, List<Point>> demand = new HashMap<>();
    h.forEach((series, points) -> {
      if (CollectorSeries.metricOf(series).equals(CollectorSeries.AGENT_REQUESTS)) {
        demand.put(agentOf(series), points);
      }
    });
    if (memory == null && cpuForecast == null) {
      int n = Math.max(used.size(), cpu.size());
      return Either.missing("baseline " + b.id() + " keeps " + n + " samples at " + step.toSeconds() + " s, fewer than the "
          + settings.minPoints() + " a forecast needs (sutazai.metrics.forecast.min-points)"
          + b.incompleteNote().map(note -> " (it is " + note + ")").orElse("") + "; record a longer one with "
          + "`sutazai baseline --duration 30m`.");
    }
    Map<String, Double> latest = new HashMap<>();
    h.forEach((series, points) -> latest.put(series, points.get(points.size() - 1).value()));
    CapacityForecast f = new CapacityForecast(memory, cpuForecast, DemandForecast.compute(demand, step, settings));
    return Either.of(forecast(f, latest, Instant.ofEpochMilli(lastTime(used, cpu)), settings.horizon(),
        "baseline " + b.id() + b.incompleteNote().map(note -> " (" + note + ")").orElse("")));
  }

  private static long lastTime(List<Point> a, List<Point> b) {
    long t = 0;
    for (List<Point> l : List.of(a, b)) {
      if (!l.isEmpty()) {
        t = Math.max(t, l.get(l.size() - 1).timeMillis());
      }
    }
    return t;
  }

  /**
   * The forecast section from forecasts of memory, CPU and demand; {@code latest} gives the current value
   * of each series (may lack some). Empty when no forecast has enough history.
   */
  public static Optional<ReportInputs.Forecast> forecast(CapacityForecast f, Map<String, Double> latest, Instant generatedAt,
      Duration horizon, String source) {
    List<ReportInputs.ForecastLine> lines = new ArrayList<>();
    if (f.memory() != null) {
      lines.add(line("host memory used", "GiB", f.memory(), latest.get(CollectorSeries.HOST_MEMORY_USED_BYTES), horizon, GIB));
    }
    if (f.cpu() != null) {
      lines.add(line("host CPU busy", "%", f.cpu(), latest.get(CollectorSeries.HOST_CPU_PERCENT), horizon, 1));
    }
    if (f.demand() != null) {
      f.demand().forecasts().entrySet().stream()
          .sorted(Comparator.comparingDouble((Map.Entry<String, Forecast> e) -> -f.demand().peakRequests().getOrDefault(e.getKey(), 0.0))
              .thenComparing(Map.Entry::getKey))
          .limit(MAX_DEMAND_LINES)
          .forEach(e -> lines.add(line("demand of " + e.getKey(), "requests per sample", e.getValue(),
              latest.get(CollectorSeries.forAgent(CollectorSeries.AGENT_REQUESTS, e.getKey())), horizon, 1)));
    }
    if (lines.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ReportInputs.Forecast(generatedAt, source, lines));
  }

  /** The primary model's forecast at the end of the horizon, with its prediction interval. */
  static ReportInputs.ForecastLine line(String metric, String unit, Forecast f, Double current, Duration horizon, double divisor) {
    Forecast.ModelForecast m = f.primary();
    Forecast.Point last = m.points().get(m.points().size() - 1);
    return new ReportInputs.ForecastLine(metric, unit, m.model(), horizon, current == null ? null : current / divisor,
        last.value() / divisor, last.lower() / divisor, last.upper() / divisor, m.timeToExhaustion().orElse(null));
  }

  private static String agentOf(String series) {
    int start = series.indexOf("=\"");
    return start < 0 ? series : series.substring(start + 2, series.length() - 2).replace("\\\"", "\"").replace("\\\\", "\\");
  }

  /** A forecast, or what it lacks. */
  public record Either(Optional<ReportInputs.Forecast> forecast, String missing) {
    static Either of(Optional<ReportInputs.Forecast> f) {
      return new Either(f, f.isPresent() ? null : "the stored samples are too few for any forecast.");
    }

    static Either missing(String why) {
      return new Either(Optional.empty(), why);
    }

    /** {@code in} with this forecast, or with what it lacks. */
    public ReportInputs applyTo(ReportInputs in) {
      return forecast.map(in::withForecast).orElseGet(() -> in.withForecastMissing(missing));
    }
  }
}
