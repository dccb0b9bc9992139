package ai.sutazai.metrics;

import static ai.sutazai.metrics.FakeRuntime.container;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerSamplerTest {

  @Test
  void healthRateCountsOnlyContainersMeantToBeUp() {
    FakeRuntime runtime = new FakeRuntime();
    runtime.containers.add(container("a", "running", "healthy", 0, 0));
    runtime.containers.add(container("b", "running", "none", 0, 0)); // no health check: healthy
    runtime.containers.add(container("c", "running", "unhealthy", 0, 2));
    runtime.containers.add(container("d", "restarting", "none", 1, 7));
    runtime.containers.add(container("e", "exited", "none", 137, 3)); // crashed: counts, unhealthy
    runtime.containers.add(container("f", "exited", "none", 0, 0)); // deactivated on purpose: left out
    Map<String, Double> s = new ContainerSampler(runtime, "").sample();
    assertEquals(2.0 / 5.0, s.get(MetricNames.CONTAINER_HEALTH_RATE_RATIO), 1e-12);
    assertEquals(6.0, s.get(MetricNames.CONTAINERS_MANAGED));
    assertEquals(3.0, s.get(MetricNames.CONTAINERS_RUNNING));
    assertEquals(7.0, s.get("sutazai_container_restarts{agent=\"d\"}"));
    assertEquals(0.0, s.get("sutazai_container_healthy{agent=\"c\"}"));
    assertEquals(12.5, s.get("sutazai_container_cpu_percent{agent=\"a\"}"));
    assertEquals((double) (100L << 20), s.get("sutazai_container_memory_usage_bytes{agent=\"b\"}"));
    assertFalse(s.containsKey("sutazai_container_cpu_percent{agent=\"e\"}"), "no stats for stopped containers");
  }

  @Test
  void noExpectedUpContainerMeansNoHealthRate() {
    FakeRuntime runtime = new FakeRuntime();
    runtime.containers.add(container("f", "exited", "none", 0, 0));
    assertFalse(new ContainerSampler(runtime, null).sample().containsKey(MetricNames.CONTAINER_HEALTH_RATE_RATIO));
  }
}
