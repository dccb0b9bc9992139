package ai.sutazai.metrics;

import ai.sutazai.metrics.stats.CollectorSeries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reads the real host: the figures must be internally consistent, whatever the machine. */
class OshiHostSamplerTest {

  @Test
  void memoryFiguresAddUpAndRatesAppearFromTheSecondSample() {
    OshiHostSampler sampler = new OshiHostSampler(Duration.ofMinutes(1));
    Map<String, Double> first = sampler.sample();
    double total = first.get(CollectorSeries.HOST_MEMORY_TOTAL_BYTES);
    assertTrue(total > 0);
    assertEquals(total, first.get(CollectorSeries.HOST_MEMORY_USED_BYTES) + first.get(CollectorSeries.HOST_MEMORY_AVAILABLE_BYTES), 1.0);
    double ratio = first.get(CollectorSeries.HOST_MEMORY_UTILISATION_RATIO);
    assertTrue(ratio > 0 && ratio < 1, "utilisation " + ratio);
    assertTrue(first.get(CollectorSeries.HOST_CPU_CORES) >= 1);
    assertTrue(first.get(CollectorSeries.HOST_LOAD1) >= 0, "Linux has a load average");
    assertTrue(first.get(CollectorSeries.HOST_DISK_TOTAL_BYTES) > 0);
    assertTrue(!first.containsKey(CollectorSeries.HOST_NETWORK_RECEIVED_BYTES_PER_SECOND), "no rate without a previous sample");

    Map<String, Double> second = sampler.sample();
    assertTrue(second.get(CollectorSeries.HOST_NETWORK_RECEIVED_BYTES_PER_SECOND) >= 0);
    assertTrue(second.get(CollectorSeries.HOST_DISK_READ_BYTES_PER_SECOND) >= 0);
    double cpu = second.get(CollectorSeries.HOST_CPU_PERCENT);
    assertTrue(cpu >= 0 && cpu <= 100, "cpu " + cpu);
  }
}
