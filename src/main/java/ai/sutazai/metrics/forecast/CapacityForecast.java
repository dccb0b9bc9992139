package ai.sutazai.metrics.forecast;

import ai.sutazai.common.CborSerializable;

/**
 * Forecasts for capacity planning, any of which is null when there is not yet enough history.
 *
 * @param memory used memory (bytes) against total memory
 * @param cpu CPU busy (percent of all cores) against 100 %
 * @param demand per-agent request demand
 */
public record CapacityForecast(Forecast memory, Forecast cpu, DemandForecast demand) implements CborSerializable {}
