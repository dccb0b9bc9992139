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
public record ReportInputs(Optional<HealthSummary> health, Optional<Utilisation> utilisation, Optional<Forecast> forecast,
    Optional<String> forecastMissing) {

  public ReportInputs {
    health = health == null ? Optional.empty() : health;
    utilisation = utilisation == null ? Optional.empty() : utilisation;
    forecast = forecast == null ? Optional.empty() : forecast;
    forecastMissing = forecastMissing == null ? Optional.empty() : forecastMissing;
  }

  /** No data from other rooms: the capacity sections only. */
  public static ReportInputs none() {
    return new ReportInputs(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  public ReportInputs withHealth(HealthSummary h) {
    return new ReportInputs(Optional.of(h), utilisation, forecast, forecastMissing);
  }

  public ReportInputs withUtilisation(Utilisation u) {
    return new ReportInputs(health, Optional.of(u), forecast, forecastMissing);
  }

  public ReportInputs withForecast(Forecast f) {
    return new ReportInputs(health, utilisation, Optional.of(f), Optional.empty());
  }

  /** No forecast, and exactly what data it lacks (shown instead of the generic "no data yet"). */
  public ReportInputs withForecastMissing(String what) {
    return new ReportInputs(health, utilisation, Optional.empty(), Optional.of(what));
  }

  /**
   * Agent health over a period, from the journal's lifecycle events. The state counts cover the agents
   * meant to be running at the end of the period (active, starting, unhealthy, restarting, degraded or
   * crash-looping); agents deactivated on purpose are counted in {@code inactive} only.
   *
   * @param agents agents meant to be running (those still activating, starting or stopping are counted here only)
   * @param healthy agents whose last state is healthy
   * @param unhealthy agents whose last state is unhealthy or restarting
   * @param degraded agents waiting on a failed dependency
   * @param crashLooping agents parked in CrashLoop
   * @param inactive agents with journal events that are deactivated (not counted in {@code agents})
   * @param restarts restarts scheduled in the period
   * @param crashLoops crash loops detected in the period
   * @param mostRestarted per agent, the ones with the most restarts (then the least healthy) first
   */
  public record HealthSummary(Instant from, Instant to, int agents, int healthy, int unhealthy, int degraded,
      int crashLooping, int inactive, long restarts, long crashLoops, List<AgentHealth> mostRestarted) {
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

  /**
   * One agent's record in the health summary.
   *
   * @param state its last lifecycle state
   * @param restarts restarts in the period
   * @param crashLoops crash loops detected in the period
   * @param unhealthySharePercent of the time it was meant to run in the period, the share spent unhealthy,
   *     restarting or crash-looping (percent)
   * @param lastReason the last reason the journal gives (may be null)
   */
  public record AgentHealth(String agent, String state, long restarts, long crashLoops, double unhealthySharePercent,
      String lastReason) {}

  /**
   * Reads the health summary from the supervisor's journal. The supervisor room implements it (found
   * through {@link java.util.ServiceLoader}, so that this package does not depend on the supervisor,
   * which itself uses the capacity analysis).
   */
  public interface HealthSource {
    /**
     * The summary of {@code agents} of {@code fleet} over [from, to], or empty when the journal holds no
     * event of them. Blocking. A journal that exists but cannot be read is an {@link ai.sutazai.common.UserError}.
     */
    Optional<HealthSummary> read(com.typesafe.config.Config config, String fleet, List<String> agents, Instant from,
        Instant to);
  }

  /**
   * Utilisation statistics from a stored baseline.
   *
   * @param baselineId the baseline's id, for {@code sutazai baseline show ID}
   * @param metrics one row per metric, in the order to show
   * @param incomplete for a baseline whose recording was interrupted (or still runs), what it holds; else null
   */
  public record Utilisation(String baselineId, Instant recordedAt, Duration duration, List<MetricStat> metrics,
      String incomplete) {
    public Utilisation {
      metrics = List.copyOf(metrics);
    }

    /** From a complete baseline. */
    public Utilisation(String baselineId, Instant recordedAt, Duration duration, List<MetricStat> metrics) {
      this(baselineId, recordedAt, duration, metrics, null);
    }
  }

  /**
   * Statistics of one metric; {@code warning} and {@code critical} are the derived alert thresholds (null
   * when the metric has none).
   */
  public record MetricStat(String metric, String unit, double mean, double p95, double max, Double warning, Double critical) {}

  /**
   * Forecasts of memory, CPU and agent demand.
   *
   * @param source the data they were computed from, e.g. "baseline 7" or "the running collector's history"
   */
  public record Forecast(Instant generatedAt, String source, List<ForecastLine> lines) {
    public Forecast {
      lines = List.copyOf(lines);
    }
  }

  /**
   * One forecast: the value predicted {@code horizon} ahead with its prediction interval.
   *
   * @param method e.g. "linear", "holt", "holt-winters"
   * @param current the last observed value (null when not known)
   * @param timeToExhaustion when the metric reaches capacity at the forecast trend; null if it never does
   */
  public record ForecastLine(String metric, String unit, String method, Duration horizon, Double current,
      double predicted, double lower, double upper, Duration timeToExhaustion) {}
}
