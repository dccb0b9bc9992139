package ai.sutazai.metrics.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** In-memory journal; the test kit checks that commands, events and state survive serialization. */
class AlertJournalTest {
  static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config());

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  static final String SERIES = "sutazai_host_memory_utilisation_ratio";
  static final String KEY = AlertEvent.key("memory-utilisation", SERIES);

  @Test
  void firingAlertsAreRebuiltFromEvents() {
    EventSourcedBehaviorTestKit<AlertJournal.Command, AlertEvent, AlertJournal.State> kit =
        EventSourcedBehaviorTestKit.create(testKit.system(), AlertJournal.create("metrics-alerts|test-a"));
    AlertEvent fired = new AlertEvent.AlertFired(KEY, "memory-utilisation", SERIES, Severity.WARNING, 0.75, 0.70, 60_000);
    CommandResultWithReply<AlertJournal.Command, AlertEvent, AlertJournal.State, StatusReply<Done>> r1 =
        kit.runCommand(replyTo -> new AlertJournal.Append(fired, replyTo));
    assertEquals(fired, r1.event());
    assertTrue(r1.reply().isSuccess());
    assertEquals(Severity.WARNING, r1.state().firing().get(KEY).severity());

    AlertEvent up = new AlertEvent.AlertSeverityChanged(KEY, "memory-utilisation", SERIES, Severity.WARNING,
        Severity.CRITICAL, 0.9, 0.85, 70_000);
    AlertJournal.State afterUp = kit.<StatusReply<Done>>runCommand(replyTo -> new AlertJournal.Append(up, replyTo)).state();
    assertEquals(Severity.CRITICAL, afterUp.firing().get(KEY).severity());
    assertEquals(60_000, afterUp.firing().get(KEY).atMillis(), "fired time kept across a severity change");

    kit.restart();
    AlertJournal.Active active = kit.<AlertJournal.Active>runCommand(AlertJournal.GetActive::new).reply();
    assertEquals(1, active.alerts().size());
    assertEquals(Severity.CRITICAL, active.alerts().get(0).severity());
    assertEquals(2, active.eventsRecorded());

    AlertEvent resolved = new AlertEvent.AlertResolved(KEY, "memory-utilisation", SERIES, 0.5, 60_000, 300_000);
    AlertJournal.State end = kit.<StatusReply<Done>>runCommand(replyTo -> new AlertJournal.Append(resolved, replyTo)).state();
    assertTrue(end.firing().isEmpty());
    assertEquals(3, end.eventsRecorded());
  }
}
