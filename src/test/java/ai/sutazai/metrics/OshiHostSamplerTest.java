package ai.sutazai.metrics;

import ai.sutazai.metrics.stats.MetricNames;

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
    double total = first.get(MetricNames.HOST_MEMORY_TOTAL_BYTES);
    assertTrue(total > 0);
    assertEquals(total, first.get(MetricNames.HOST_MEMORY_USED_BYTES) + first.get(MetricNames.HOST_MEMORY_AVAILABLE_BYTES), 1.0);
    double ratio = first.get(MetricNames.HOST_MEMORY_UTILISATION_RATIO);
    assertTrue(ratio > 0 && ratio < 1, "utilisation " + ratio);
    assertTrue(first.get(MetricNames.HOST_CPU_CORES) >= 1);
    assertTrue(first.get(MetricNames.HOST_LOAD1) >= 0, "Linux has a load average");
    assertTrue(first.get(MetricNames.HOST_DISK_TOTAL_BYTES) > 0);
    assertTrue(!first.containsKey(MetricNames.HOST_NETWORK_RECEIVED_BYTES_PER_SECOND), "no rate without a previous sample");

    Map<String, Double> second = sampler.sample();
    assertTrue(second.get(MetricNames.HOST_NETWORK_RECEIVED_BYTES_PER_SECOND) >= 0);
    assertTrue(second.get(MetricNames.HOST_DISK_READ_BYTES_PER_SECOND) >= 0);
    double cpu = second.get(MetricNames.HOST_CPU_PERCENT);
    assertTrue(cpu >= 0 && cpu <= 100, "cpu " + cpu);
  }
}
