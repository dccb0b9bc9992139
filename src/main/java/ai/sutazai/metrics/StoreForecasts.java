package ai.sutazai.metrics;

import ai.sutazai.metrics.stats.CollectorSeries;

import ai.sutazai.metrics.forecast.CapacityForecast;
import ai.sutazai.metrics.forecast.DemandForecast;
import ai.sutazai.metrics.forecast.Forecast;
import ai.sutazai.metrics.forecast.ForecastSettings;
import ai.sutazai.metrics.forecast.Forecaster;
import ai.sutazai.metrics.stats.MetricStore;
import ai.sutazai.metrics.stats.Point;
import ai.sutazai.metrics.stats.TierSpec;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Forecasts over the collector's history. Reads the {@link MetricStore}, so it is only used inside the
 * MetricsCollector's message handlers (the store is confined to that actor).
 */
final class StoreForecasts {
  private final MetricStore store;
  private final MetricsSettings settings;
  private final ForecastSettings forecastSettings;
  private final long nowMillis;

  StoreForecasts(MetricStore store, MetricsSettings settings, ForecastSettings forecastSettings, long nowMillis) {
    this.store = store;
    this.settings = settings;
    this.forecastSettings = forecastSettings;
    this.nowMillis = nowMillis;
  }

  /** Forecast of one series from its last {@code history}; null when there is too little of it. */
  Forecast forecast(String series, Duration history, Duration horizon, double capacity) {
    List<Point> points = store.window(series, nowMillis - history.toMillis(), nowMillis);
    if (points.isEmpty()) {
      return null;
    }
    return new Forecaster(forecastSettings).forecast(series, points, stepFor(history), horizon, capacity).orElse(null);
  }

  /** Memory used against total memory, CPU against 100 %, and agent demand, over all history held. */
  CapacityForecast capacity(Collection<String> agents) {
    Duration all = settings.tiers().get(settings.tiers().size() - 1).retention();
    Point total = store.latest(CollectorSeries.HOST_MEMORY_TOTAL_BYTES);
    Forecast memory = forecast(CollectorSeries.HOST_MEMORY_USED_BYTES, all, forecastSettings.horizon(),
        total == null ? Double.NaN : total.value());
    Forecast cpu = forecast(CollectorSeries.HOST_CPU_PERCENT, all, forecastSettings.horizon(), 100.0);
    return new CapacityForecast(memory, cpu, demand(agents));
  }

  /** Demand = each agent's requests per sample, over the raw tier's retention at the sample interval. */
  DemandForecast demand(Collection<String> agents) {
    TierSpec raw = settings.tiers().get(0);
    Map<String, List<Point>> demand = new HashMap<>();
    for (String agent : agents) {
      demand.put(agent, store.window(CollectorSeries.forAgent(CollectorSeries.AGENT_REQUESTS, agent),
          nowMillis - raw.retention().toMillis(), nowMillis));
    }
    return DemandForecast.compute(demand, settings.sampleInterval(), forecastSettings);
  }

  /** Resolution of the finest tier that reaches back over {@code history}, at least the sample interval. */
  private Duration stepFor(Duration history) {
    for (TierSpec t : settings.tiers()) {
      if (t.retention().compareTo(history) >= 0) {
        return t.resolution().compareTo(settings.sampleInterval()) < 0 ? settings.sampleInterval() : t.resolution();
      }
    }
    return settings.tiers().get(settings.tiers().size() - 1).resolution();
  }
}
