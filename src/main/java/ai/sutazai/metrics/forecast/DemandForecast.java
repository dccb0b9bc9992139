package ai.sutazai.metrics.forecast;

import ai.sutazai.common.CborSerializable;
import ai.sutazai.metrics.stats.Point;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Forecast demand per agent (requests per sample interval) and — when
 * {@code sutazai.metrics.forecast.pre-activation} is on (the switch of the ForecastPreActivator,
 * {@code sutazai.quota.pre-activation.enabled}, is separate) — the agents worth activating before their
 * requests arrive: those whose forecast reaches {@code pre-activation-requests} within the horizon.
 * The AgentPool asks for this (MetricsCollector.GetDemandForecast) and decides itself.
 *
 * @param peakRequests per agent, the highest point forecast over the horizon
 * @param peakUpperRequests per agent, the highest upper bound of the prediction interval
 * @param preActivate agents to pre-activate, highest forecast first (always empty when disabled)
 * @param enabled whether pre-activation is switched on
 * @param forecasts per agent, the full forecast of its requests (for reports)
 */
public record DemandForecast(Map<String, Double> peakRequests, Map<String, Double> peakUpperRequests,
    List<String> preActivate, boolean enabled, Map<String, Forecast> forecasts) implements CborSerializable {

  public DemandForecast {
    peakRequests = Map.copyOf(peakRequests);
    peakUpperRequests = Map.copyOf(peakUpperRequests);
    preActivate = List.copyOf(preActivate);
    forecasts = forecasts == null ? Map.of() : Map.copyOf(forecasts);
  }

  /** Computes the demand forecast from each agent's request series sampled every {@code step}. */
  public static DemandForecast compute(Map<String, List<Point>> requestsByAgent, Duration step, ForecastSettings settings) {
    Forecaster forecaster = new Forecaster(settings);
    Map<String, Double> peak = new TreeMap<>();
    Map<String, Double> upper = new TreeMap<>();
    Map<String, Forecast> forecasts = new TreeMap<>();
    requestsByAgent.forEach((agent, points) -> {
      Optional<Forecast> f = forecaster.forecast(agent, points, step, settings.horizon(), Double.NaN);
      f.ifPresent(forecast -> {
        forecasts.put(agent, forecast);
        peak.put(agent, Math.max(0, forecast.primary().peak()));
        upper.put(agent, Math.max(0, forecast.primary().peakUpper()));
      });
    });
    List<String> pre = new ArrayList<>();
    if (settings.preActivation()) {
      peak.entrySet().stream()
          .filter(e -> e.getValue() >= settings.preActivationRequests())
          .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
          .forEach(e -> pre.add(e.getKey()));
    }
    return new DemandForecast(peak, upper, pre, settings.preActivation(), forecasts);
  }
}
