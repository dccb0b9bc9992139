package ai.sutazai.metrics;

import ai.sutazai.metrics.stats.CollectorSeries;

import static ai.sutazai.metrics.FakeRuntime.container;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    assertEquals(2.0 / 5.0, s.get(CollectorSeries.CONTAINER_HEALTH_RATE_RATIO), 1e-12);
    assertEquals(6.0, s.get(CollectorSeries.CONTAINERS_MANAGED));
    assertEquals(3.0, s.get(CollectorSeries.CONTAINERS_RUNNING));
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
    assertFalse(new ContainerSampler(runtime, null).sample().containsKey(CollectorSeries.CONTAINER_HEALTH_RATE_RATIO));
  }

  @Test
  void statsCallsRunInParallelLanes() throws Exception {
    // Each stats call waits until 4 calls are under way at once: only 4 parallel lanes get past it.
    java.util.concurrent.CountDownLatch together = new java.util.concurrent.CountDownLatch(4);
    java.util.concurrent.atomic.AtomicBoolean sawAllFour = new java.util.concurrent.atomic.AtomicBoolean(true);
    FakeRuntime runtime = new FakeRuntime() {
      @Override
      public ai.sutazai.runtime.ContainerStats stats(String containerId) {
        together.countDown();
        try {
          if (!together.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
            sawAllFour.set(false);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return super.stats(containerId);
      }
    };
    for (int i = 0; i < 8; i++) {
      runtime.containers.add(container("a" + i, "running", "healthy", 0, 0));
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      Map<String, Double> s = new ContainerSampler(runtime, "", 4).onExecutor(pool).sample();
      assertTrue(sawAllFour.get(), "four stats calls were in flight together");
      for (int i = 0; i < 8; i++) {
        assertEquals(12.5, s.get("sutazai_container_cpu_percent{agent=\"a" + i + "\"}"));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
