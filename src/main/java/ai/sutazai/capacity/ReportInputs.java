package ai.sutazai.capacity;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The report's sections that come from other rooms: the health summary (from the journal), utilisation
 * (from the latest baseline) and the forecast. Each is optional; an absent one is rendered as "no data
 * yet" with the command that produces it. {@code sutazai analyze} fills in what it can find.
 */
public record ReportInputs(Optional<HealthSummary> health, Optional<Utilisation> utilisation, Optional<Forecast> forecast) {

  public ReportInputs {
    health = health == null ? Optional.empty() : health;
    utilisation = utilisation == null ? Optional.empty() : utilisation;
    forecast = forecast == null ? Optional.empty() : forecast;
  }

  /** No data from other rooms: the capacity sections only. */
  public static ReportInputs none() {
    return new ReportInputs(Optional.empty(), Optional.empty(), Optional.empty());
  }

  public ReportInputs withHealth(HealthSummary h) {
    return new ReportInputs(Optional.of(h), utilisation, forecast);
  }

  public ReportInputs withUtilisation(Utilisation u) {
    return new ReportInputs(health, Optional.of(u), forecast);
  }

  public ReportInputs withForecast(Forecast f) {
    return new ReportInputs(health, utilisation, Optional.of(f));
  }

  /**
   * Agent health over a period, from the journal's lifecycle events.
   *
   * @param agents agents known to the journal
   * @param healthy agents whose last state is healthy
   * @param unhealthy agents whose last state is unhealthy (failing probes)
   * @param degraded agents waiting on a failed dependency
   * @param crashLooping agents parked in CrashLoop
   * @param restarts restarts in the period
   * @param mostRestarted the agents with the most restarts, most first
   */
  public record HealthSummary(Instant from, Instant to, int agents, int healthy, int unhealthy, int degraded,
      int crashLooping, long restarts, List<AgentHealth> mostRestarted) {
    public HealthSummary {
      mostRestarted = mostRestarted == null ? List.of() : List.copyOf(mostRestarted);
    }

    /** Healthy agents as a percentage of all (the seed's "container health rate"). */
    public double healthRatePercent() {
      return agents == 0 ? 0 : healthy * 100.0 / agents;
    }

    /** Unhealthy and crash-looping agents as a percentage of all (the seed's "76 % unhealthy"). */
    public double unhealthySharePercent() {
      return agents == 0 ? 0 : (unhealthy + crashLooping) * 100.0 / agents;
    }
  }

  /** One agent's record in the health summary; {@code lastReason} may be null. */
  public record AgentHealth(String agent, String state, long restarts, String lastReason) {}

  /**
   * Utilisation statistics from a stored baseline.
   *
   * @param baselineId the baseline's id, for {@code sutazai baseline show ID}
   * @param metrics one row per metric, in the order to show
   */
  public record Utilisation(String baselineId, Instant recordedAt, Duration duration, List<MetricStat> metrics) {
    public Utilisation {
      metrics = List.copyOf(metrics);
    }
  }

  /**
   * Statistics of one metric; {@code warning} and {@code critical} are the derived alert thresholds (null
   * when the metric has none).
   */
  public record MetricStat(String metric, String unit, double mean, double p95, double max, Double warning, Double critical) {}

  /** Forecasts of memory, CPU and agent demand. */
  public record Forecast(Instant generatedAt, List<ForecastLine> lines) {
    public Forecast {
      lines = List.copyOf(lines);
    }
  }

  /**
   * One forecast: the value predicted {@code horizon} ahead with its prediction interval.
   *
   * @param method e.g. "linear", "holt", "holt-winters"
   * @param timeToExhaustion when the metric reaches capacity at the forecast trend; null if it never does
   */
  public record ForecastLine(String metric, String unit, String method, Duration horizon, double current,
      double predicted, double lower, double upper, Duration timeToExhaustion) {}
}
