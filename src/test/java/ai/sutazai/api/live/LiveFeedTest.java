package ai.sutazai.api.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import ai.sutazai.api.view.LiveUpdate;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.supervisor.protocol.ScalingDecision;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.eventstream.EventStream;
import akka.stream.javadsl.Sink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The live feed sends the scaling decisions of this fleet's pools to SSE subscribers, and no other fleet's. */
class LiveFeedTest {
  private static final ActorTestKit KIT = ActorTestKit.create("live-feed");

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  @Test
  void aPoolsDecisionReachesSubscribers() throws Exception {
    FleetSpec fleet = new FleetSpec("f", null, Map.of(), Map.of());
    LiveFeed feed = LiveFeed.start(KIT.system(), fleet, null, agent -> 0);
    CompletionStage<List<LiveUpdate>> two = feed.source().take(2).runWith(Sink.seq(), KIT.system());
    Instant at = Instant.parse("2026-11-27T02:00:00Z");
    // Until the subscription is in place, publications are simply not seen: publish until the first arrives.
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
      KIT.system().eventStream().tell(new EventStream.Publish<>(
          new ScalingDecision("other", "p", ScalingDecision.Kind.ADMITTED, "x", "admitted x", at)));
      KIT.system().eventStream().tell(new EventStream.Publish<>(
          new ScalingDecision("f", "p", ScalingDecision.Kind.IDLE_STOPPED, "a", "stopped a: idle 10m", at)));
      return two.toCompletableFuture().isDone();
    });
    for (LiveUpdate u : two.toCompletableFuture().get(10, TimeUnit.SECONDS)) {
      LiveUpdate.Decision d = assertInstanceOf(LiveUpdate.Decision.class, u);
      assertEquals("p", d.decision().pool());
      assertEquals("IDLE_STOPPED", d.decision().kind());
      assertEquals("stopped a: idle 10m", d.decision().reason());
      assertEquals(at, d.decision().time());
    }
  }
}
