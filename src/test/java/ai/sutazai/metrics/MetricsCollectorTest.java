package ai.sutazai.metrics;

import ai.sutazai.metrics.stats.CollectorSeries;
import ai.sutazai.metrics.stats.Sample;

import static ai.sutazai.metrics.FakeRuntime.container;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.metrics.stats.Point;
import ai.sutazai.metrics.stats.TierSpec;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class MetricsCollectorTest {
  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  /** Long interval: only explicit SampleNow takes samples during a test. */
  static MetricsSettings settings() {
    return new MetricsSettings(Duration.ofHours(1),
        List.of(new TierSpec(Duration.ofSeconds(5), Duration.ofHours(1)), new TierSpec(Duration.ofMinutes(1), Duration.ofDays(7))),
        100, 0.3, Duration.ofMinutes(1), true, "", 2, Duration.ofMinutes(5), 1000);
  }

  static final class FakeHost implements HostSampler {
    final List<String> threads = new CopyOnWriteArrayList<>();
    volatile double memoryRatio = 0.5;

    @Override
    public Map<String, Double> sample() {
      threads.add(Thread.currentThread().getName());
      return Map.of(CollectorSeries.HOST_MEMORY_UTILISATION_RATIO, memoryRatio, CollectorSeries.HOST_LOAD1, 1.5);
    }
  }

  @Test
  void samplesHostAndContainersOnTheBlockingDispatcherAndPublishes() {
    FakeHost host = new FakeHost();
    FakeRuntime runtime = new FakeRuntime();
    runtime.containers.add(container("web", "running", "healthy", 0, 1));
    TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    ActorRef<MetricsCollector.Command> collector =
        testKit.spawn(MetricsCollector.create(settings(), host, new ContainerSampler(runtime, ""), clock));
    TestProbe<Sample> samples = testKit.createTestProbe();
    collector.tell(new MetricsCollector.Subscribe(samples.ref()));
    collector.tell(MetricsCollector.SampleNow.INSTANCE);
    Sample s = samples.receiveMessage();
    assertEquals(clock.millis(), s.timeMillis());
    assertEquals(0.5, s.value(CollectorSeries.HOST_MEMORY_UTILISATION_RATIO));
    assertEquals(1.0, s.value(CollectorSeries.CONTAINER_HEALTH_RATE_RATIO));
    assertEquals(12.5, s.value("sutazai_container_cpu_percent{agent=\"web\"}"));
    assertTrue(host.threads.stream().allMatch(t -> t.contains("sutazai-blocking-dispatcher")), host.threads.toString());
    assertTrue(runtime.statsThreads.stream().allMatch(t -> t.contains("sutazai-blocking-dispatcher")));

    TestProbe<Sample> latest = testKit.createTestProbe();
    collector.tell(new MetricsCollector.GetLatest(latest.ref()));
    assertEquals(0.5, latest.receiveMessage().value(CollectorSeries.HOST_MEMORY_UTILISATION_RATIO));
  }

  @Test
  void agentLatencyBecomesP95AndDemand() {
    TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    ActorRef<MetricsCollector.Command> collector =
        testKit.spawn(MetricsCollector.create(settings(), new FakeHost(), null, clock));
    TestProbe<Sample> samples = testKit.createTestProbe();
    collector.tell(new MetricsCollector.Subscribe(samples.ref()));
    for (int i = 1; i <= 20; i++) {
      collector.tell(new MetricsCollector.RecordAgentLatency("coder", i * 100L));
    }
    collector.tell(new MetricsCollector.RecordColdStart("coder", 4200));
    collector.tell(new MetricsCollector.AgentStateCount(Map.of("Active", 3, "Idle", 5)));
    collector.tell(MetricsCollector.SampleNow.INSTANCE);
    Sample s = samples.receiveMessage();
    // 100..2000 ms: rank 0.95 * 19 = 18.05 -> 1900 + 0.05 * 100 = 1905 ms.
    assertEquals(1.905, s.value("sutazai_agent_response_time_p95_seconds{agent=\"coder\"}"), 1e-9);
    assertEquals(20.0, s.value("sutazai_agent_requests{agent=\"coder\"}"));
    assertEquals(4.2, s.value("sutazai_agent_cold_start_seconds{agent=\"coder\"}"));
    assertEquals(3.0, s.value("sutazai_agents{state=\"Active\"}"));

    clock.advance(Duration.ofMinutes(6)); // past the latency window: no p95, no demand
    collector.tell(MetricsCollector.SampleNow.INSTANCE);
    Sample later = samples.receiveMessage();
    assertFalse(later.values().containsKey("sutazai_agent_response_time_p95_seconds{agent=\"coder\"}"));
    assertEquals(0.0, later.value("sutazai_agent_requests{agent=\"coder\"}"));
  }

  @Test
  void seriesQueryReturnsTheWindow() {
    FakeHost host = new FakeHost();
    TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    ActorRef<MetricsCollector.Command> collector = testKit.spawn(MetricsCollector.create(settings(), host, null, clock));
    TestProbe<Sample> samples = testKit.createTestProbe();
    collector.tell(new MetricsCollector.Subscribe(samples.ref()));
    collector.tell(MetricsCollector.SampleNow.INSTANCE);
    samples.receiveMessage(); // at t0
    for (int i = 1; i <= 3; i++) {
      clock.advance(Duration.ofSeconds(5));
      host.memoryRatio = 0.5 + i / 10.0;
      collector.tell(MetricsCollector.SampleNow.INSTANCE);
      samples.receiveMessage();
    }
    TestProbe<MetricsCollector.Series> series = testKit.createTestProbe();
    collector.tell(new MetricsCollector.GetSeries(CollectorSeries.HOST_MEMORY_UTILISATION_RATIO, Duration.ofSeconds(10), series.ref()));
    List<Point> points = series.receiveMessage().points();
    long t0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    assertEquals(List.of(new Point(t0 + 5000, 0.6), new Point(t0 + 10000, 0.7), new Point(t0 + 15000, 0.8)), points);
  }

  @Test
  void forecastsDemandForThePoolAndMemoryForCapacity() {
    FakeHost host = new FakeHost();
    TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    ai.sutazai.metrics.forecast.ForecastSettings forecast =
        new ai.sutazai.metrics.forecast.ForecastSettings(Duration.ofMinutes(1), 3, 0.5, 0.3, 0.3, 0.95, true, 2.0);
    ActorRef<MetricsCollector.Command> collector = testKit.spawn(MetricsCollector.create(
        new MetricsCollector.Setup(settings().withSampleInterval(Duration.ofSeconds(5)), host, null, clock, null,
            List.of(), null, forecast)));
    TestProbe<Sample> samples = testKit.createTestProbe();
    collector.tell(new MetricsCollector.Subscribe(samples.ref()));
    for (int i = 0; i < 6; i++) { // coder: 0, 1, 2, ... requests per interval; writer: 1 then none
      for (int r = 0; r < i; r++) {
        collector.tell(new MetricsCollector.RecordAgentLatency("coder", 100));
      }
      if (i == 0) {
        collector.tell(new MetricsCollector.RecordAgentLatency("writer", 100));
      }
      host.memoryRatio = 0.5 + i * 0.01;
      collector.tell(MetricsCollector.SampleNow.INSTANCE);
      samples.receiveMessage();
      clock.advance(Duration.ofSeconds(5));
    }
    TestProbe<ai.sutazai.metrics.forecast.DemandForecast> demand = testKit.createTestProbe();
    collector.tell(new MetricsCollector.GetDemandForecast(demand.ref()));
    ai.sutazai.metrics.forecast.DemandForecast d = demand.receiveMessage();
    assertEquals(List.of("coder"), d.preActivate());
    assertTrue(d.peakRequests().get("coder") >= 5.0, d.toString());

    TestProbe<MetricsCollector.ForecastReply> reply = testKit.createTestProbe();
    collector.tell(new MetricsCollector.GetForecast(CollectorSeries.HOST_MEMORY_UTILISATION_RATIO, Duration.ofMinutes(5),
        Duration.ofMinutes(1), 0.85, reply.ref()));
    ai.sutazai.metrics.forecast.Forecast f = reply.receiveMessage().forecast();
    // +0.01 per 5 s from 0.55: linear reaches 0.85 30 steps (150 s) after the last sample.
    assertEquals(Duration.ofSeconds(150), f.models().get(0).timeToExhaustion().orElseThrow());
  }
}
