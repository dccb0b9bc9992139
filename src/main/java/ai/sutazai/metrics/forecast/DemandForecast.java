package ai.sutazai.metrics.forecast;

import ai.sutazai.CborSerializable;
import ai.sutazai.metrics.stats.Point;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Forecast demand per agent (requests per sample interval) and — when
 * {@code sutazai.metrics.forecast.pre-activation} is on — the agents worth activating before their
 * requests arrive: those whose forecast reaches {@code pre-activation-requests} within the horizon.
 * The AgentPool asks for this (MetricsCollector.GetDemandForecast) and decides itself.
 *
 * @param peakRequests per agent, the highest point forecast over the horizon
 * @param peakUpperRequests per agent, the highest upper bound of the prediction interval
 * @param preActivate agents to pre-activate, highest forecast first (always empty when disabled)
 * @param enabled whether pre-activation is switched on
 */
public record DemandForecast(Map<String, Double> peakRequests, Map<String, Double> peakUpperRequests,
    List<String> preActivate, boolean enabled) implements CborSerializable {

  public DemandForecast {
    peakRequests = Map.copyOf(peakRequests);
    peakUpperRequests = Map.copyOf(peakUpperRequests);
    preActivate = List.copyOf(preActivate);
  }

  /** Computes the demand forecast from each agent's request series sampled every {@code step}. */
  public static DemandForecast compute(Map<String, List<Point>> requestsByAgent, Duration step, ForecastSettings settings) {
    Forecaster forecaster = new Forecaster(settings);
    Map<String, Double> peak = new TreeMap<>();
    Map<String, Double> upper = new TreeMap<>();
    requestsByAgent.forEach((agent, points) -> {
      Optional<Forecast> f = forecaster.forecast(agent, points, step, settings.horizon(), Double.NaN);
      f.ifPresent(forecast -> {
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
    return new DemandForecast(peak, upper, pre, settings.preActivation());
  }
}
