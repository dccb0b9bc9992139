package ai.sutazai.metrics.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.metrics.stats.Sample;
import ai.sutazai.metrics.TestClock;
import ai.sutazai.metrics.alerts.AlertRule;
import ai.sutazai.metrics.stats.Point;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class BaselineRecorderTest {
  static final ActorTestKit testKit = ActorTestKit.create();
  static final String MEM = "sutazai_host_memory_utilisation_ratio";
  static final List<AlertRule> RULES = List.of(new AlertRule("memory-utilisation", MEM, AlertRule.Direction.ABOVE,
      0.70, 0.85, Duration.ofMinutes(1), Duration.ofMinutes(1)));

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  @Test
  void recordsTheSamplesOfItsWindowAndRefusesASecondRecording() {
    TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    ActorRef<BaselineRecorder.Command> recorder =
        testKit.spawn(BaselineRecorder.create(null, RULES, 0.5, Duration.ofSeconds(5), clock));
    TestProbe<BaselineRecorder.Progress> progress = testKit.createTestProbe();
    TestProbe<StatusReply<Baseline>> reply = testKit.createTestProbe();
    recorder.tell(new BaselineRecorder.Observed(new Sample(0, Map.of(MEM, 0.99)))); // before: ignored
    recorder.tell(new BaselineRecorder.Record(Duration.ofSeconds(2), "unit", progress.ref(), reply.ref()));
    // A second request is refused; its reply also tells the first one is being processed (clock read).
    TestProbe<StatusReply<Baseline>> second = testKit.createTestProbe();
    recorder.tell(new BaselineRecorder.Record(Duration.ofSeconds(1), "other", progress.ref(), second.ref()));
    assertEquals("a baseline is already being recorded", second.receiveMessage().getError().getMessage());
    double[] values = {0.60, 0.62, 0.64, 0.66};
    for (double v : values) {
      clock.advance(Duration.ofMillis(400));
      recorder.tell(new BaselineRecorder.Observed(new Sample(clock.millis(), Map.of(MEM, v,
          ai.sutazai.metrics.stats.CollectorSeries.HOST_MEMORY_USED_BYTES, v * 1e9))));
    }
    BaselineRecorder.Progress p = progress.receiveMessage();
    assertEquals(1, p.samples());
    assertEquals(Duration.ofMillis(400), p.elapsed());

    Baseline b = reply.receiveMessage(Duration.ofSeconds(10)).getValue();
    assertEquals(4, b.samples());
    MetricBaseline m = b.metric(MEM).orElseThrow();
    assertEquals(4, m.summary().count());
    assertEquals(0.63, m.summary().mean(), 1e-12);
    assertEquals(0.60, m.summary().min(), 1e-12);
    // sample sd of 0.60..0.66 step 0.02 = 0.0258199; warning 0.63 + 0.0516 = 0.6816; critical 0.7075 (below 0.85)
    assertEquals(0.63 + 2 * 0.025819888974716, m.warningThreshold(), 1e-9);
    assertEquals(0.63 + 3 * 0.025819888974716, m.criticalThreshold(), 1e-9);
    assertTrue(!m.capped());
    // the samples a forecast needs are kept with their times; others are summarised only
    long t0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    assertEquals(List.of(new Point(t0 + 400, 0.60e9), new Point(t0 + 800, 0.62e9), new Point(t0 + 1200, 0.64e9),
        new Point(t0 + 1600, 0.66e9)), b.history().get(ai.sutazai.metrics.stats.CollectorSeries.HOST_MEMORY_USED_BYTES));
    assertEquals(java.util.Set.of(ai.sutazai.metrics.stats.CollectorSeries.HOST_MEMORY_USED_BYTES), b.history().keySet());
  }

  @Test
  void anInterruptEndsTheRecordingWithWhatItHoldsMarkedIncomplete() {
    TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    ActorRef<BaselineRecorder.Command> recorder =
        testKit.spawn(BaselineRecorder.create(null, RULES, 0.5, Duration.ofSeconds(5), clock));
    TestProbe<BaselineRecorder.Progress> progress = testKit.createTestProbe();
    TestProbe<StatusReply<Baseline>> reply = testKit.createTestProbe();
    recorder.tell(new BaselineRecorder.Record(Duration.ofMinutes(30), "cut", progress.ref(), reply.ref()));
    // The first sample at the recording's start, then one every 5 s; each sample's progress is awaited before the
    // clock moves, so the recording started (at t0) before the test clock advanced.
    boolean first = true;
    for (double v : new double[] {0.5, 0.6, 0.7}) {
      if (!first) {
        clock.advance(Duration.ofSeconds(5));
      }
      first = false;
      recorder.tell(new BaselineRecorder.Observed(new Sample(clock.millis(), Map.of(MEM, v))));
      progress.receiveMessage(Duration.ofSeconds(5));
    }
    TestProbe<StatusReply<Baseline>> interrupter = testKit.createTestProbe();
    recorder.tell(new BaselineRecorder.Interrupt(interrupter.ref()));
    Baseline b = interrupter.receiveMessage(Duration.ofSeconds(5)).getValue();
    assertTrue(!b.complete());
    assertEquals(3, b.samples());
    assertEquals(Duration.ofSeconds(10), b.duration());
    assertEquals(Duration.ofMinutes(30), b.plannedDuration());
    assertEquals(0.6, b.metric(MEM).orElseThrow().summary().mean(), 1e-12);
    assertTrue(b.incompleteNote().orElseThrow().startsWith("incomplete: 10s of the planned 30m00s recorded (3 samples)"),
        b.incompleteNote().orElseThrow());
    assertTrue(reply.receiveMessage().getError().getMessage().startsWith("interrupted"));
    TestProbe<StatusReply<Baseline>> again = testKit.createTestProbe();
    recorder.tell(new BaselineRecorder.Interrupt(again.ref()));
    assertEquals("no baseline is being recorded", again.receiveMessage().getError().getMessage());
  }

  @Test
  void noSamplesIsAnError() {
    ActorRef<BaselineRecorder.Command> recorder = testKit.spawn(BaselineRecorder.create(null, RULES, 0.5,
        Duration.ofSeconds(5), new TestClock(Instant.EPOCH)));
    TestProbe<StatusReply<Baseline>> reply = testKit.createTestProbe();
    recorder.tell(new BaselineRecorder.Record(Duration.ofMillis(50), "none", testKit.<BaselineRecorder.Progress>createTestProbe().ref(), reply.ref()));
    assertTrue(reply.receiveMessage(Duration.ofSeconds(5)).getError().getMessage().startsWith("no samples were taken"));
  }
}
