package ai.sutazai.metrics.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.sutazai.common.Settings;
import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert journal on the journal the product configures (reference.conf: H2 file under the data dir). */
class AlertJournalJdbcTest {

  @Test
  void alertEventsSurviveARestartOnTheConfiguredJdbcJournal(@TempDir Path dir) throws Exception {
    var config = Settings.load(null, Settings.of(Map.of("sutazai.data-dir", dir.toString())));
    ActorTestKit testKit = ActorTestKit.create("AlertJournalJdbcTest", config);
    try {
      ai.sutazai.common.JournalSchema.migrate(testKit.system().settings().config());
      String series = "sutazai_agent_response_time_p95_seconds{agent=\"coder\"}";
      AlertEvent fired = new AlertEvent.AlertFired(AlertEvent.key("agent-response-time-p95", series),
          "agent-response-time-p95", series, Severity.CRITICAL, 12.5, 10.0, 1_000);
      ActorRef<AlertJournal.Command> journal = testKit.spawn(AlertJournal.create("metrics-alerts|jdbc-test"));
      TestProbe<StatusReply<Done>> ack = testKit.createTestProbe();
      journal.tell(new AlertJournal.Append(fired, ack.ref()));
      assertEquals(StatusReply.ack(), ack.receiveMessage(Duration.ofSeconds(30)));
      testKit.stop(journal);

      ActorRef<AlertJournal.Command> again = testKit.spawn(AlertJournal.create("metrics-alerts|jdbc-test"));
      TestProbe<AlertJournal.Active> active = testKit.createTestProbe();
      again.tell(new AlertJournal.GetActive(active.ref()));
      AlertJournal.Active a = active.receiveMessage(Duration.ofSeconds(30));
      assertEquals(java.util.List.of(fired), a.alerts());
      assertEquals(1, a.eventsRecorded());
    } finally {
      testKit.shutdownTestKit();
    }
  }
}
