package ai.sutazai.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.eventstream.EventStream;
import akka.pattern.StatusReply;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The registry behind readiness and the inboxes: who waits for the journal, why, and the events it publishes. */
class JournalHealthTest {
  static final ActorTestKit testKit = ActorTestKit.create("journal-health-test");

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void tracksWhoWaitsAndPublishesEveryChange() {
    JournalHealth health = JournalHealth.get(testKit.system());
    TestProbe<JournalHealth.Availability> changes = testKit.createTestProbe();
    testKit.system().eventStream().tell(new EventStream.Subscribe<>(JournalHealth.Availability.class, changes.getRef()));
    assertTrue(health.problem().isEmpty());

    health.failed("Pool|f:p", null);
    assertEquals(new JournalHealth.Availability("Pool|f:p", "journal unavailable: " + JournalHealth.WRITE_FAILED),
        changes.receiveMessage());
    health.failed("Pool|f:p", "Connection refused");
    assertEquals("journal unavailable: Connection refused", changes.receiveMessage().problem());
    health.failed("Pool|f:p", null); // an unknown cause keeps the known one
    changes.expectNoMessage(Duration.ofMillis(100));
    health.failed("Agent|f:a", "Connection refused");
    changes.receiveMessage();
    assertEquals("journal unavailable: Connection refused", health.problemOf("Pool|f:p").orElseThrow());
    assertTrue(health.problem().orElseThrow().startsWith("journal unavailable: Connection refused (2 event-sourced actor(s)"),
        health.problem().orElseThrow());

    health.recovered("Pool|f:p");
    assertEquals(new JournalHealth.Availability("Pool|f:p", null), changes.receiveMessage());
    assertTrue(health.problemOf("Pool|f:p").isEmpty());
    health.forget("Agent|f:a");
    changes.receiveMessage();
    assertTrue(health.problem().isEmpty());
  }

  @Test
  void recognisesOutageErrorsAndNamesTheirCause() {
    assertTrue(JournalHealth.isUnavailable(StatusReply.error("journal unavailable: x").getError()));
    assertTrue(JournalHealth.isUnavailable(new RuntimeException("wrapped", new IllegalStateException("journal unavailable: x"))));
    assertFalse(JournalHealth.isUnavailable(new IllegalStateException("agent a is not registered")));
    assertEquals("Connection refused", JournalHealth.describe(new IllegalStateException("Exception during recovery",
        new RuntimeException(new ConnectException("Connection refused")))));
    assertEquals("IllegalStateException", JournalHealth.describe(new IllegalStateException()));
  }
}
