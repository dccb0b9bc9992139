package ai.sutazai.supervisor.protocol;

import ai.sutazai.supervisor.agent.AgentEntity;
import ai.sutazai.supervisor.container.HostPressure;
import ai.sutazai.supervisor.container.Prober;
import ai.sutazai.supervisor.settings.SupervisorSettings;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import ai.sutazai.common.Settings;
import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.HealthSpec;
import ai.sutazai.runtime.SimulatedRuntime;
import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agent journal read back through the JDBC query plugin (H2 file journal), newest first, paged. */
class AgentJournalTest {

  @Test
  void pagesTheJournalNewestFirst() throws Exception {
    String dir = Files.createTempDirectory("journal").toString();
    ActorTestKit kit = ActorTestKit.create("journal", Settings.load(null, ConfigFactory.parseMap(Map.of("sutazai.data-dir", dir))));
    try {
      ai.sutazai.common.JournalSchema.migrate(kit.system().settings().config());
      SimulatedRuntime runtime = SimulatedRuntime.create();
      SupervisorSettings settings = SupervisorSettings.fromConfig(kit.system().settings().config());
      TestProbe<Notice> pool = kit.createTestProbe();
      ActorRef<AgentEntity.Command> entity = kit.spawn(AgentEntity.create("reader", new AgentEntity.Deps("jf", runtime,
          new Prober(runtime, HostPressure.fixed(false, 1)), settings, pool.getRef())));
      AgentSpec spec = new AgentSpec("reader", "img", List.of(), Map.of(), 1 << 20, 1 << 20, 0.1, 0, List.of(), null,
          HealthSpec.NONE, List.of(), AgentSpec.Activation.ALWAYS, "default", null, null);
      TestProbe<AgentEventPublished> published = kit.createTestProbe();
      kit.system().eventStream().tell(new akka.actor.typed.eventstream.EventStream.Subscribe<>(AgentEventPublished.class,
          published.getRef()));
      TestProbe<StatusReply<Done>> reply = kit.createTestProbe();
      entity.tell(new AgentEntity.Register(spec, reply.getRef()));
      reply.receiveMessage(Duration.ofSeconds(30));
      entity.tell(new AgentEntity.Activate("journal test", reply.getRef()));
      reply.receiveMessage(Duration.ofSeconds(30));
      AgentJournal journal = new AgentJournal(kit.system());
      // Registered, ActivationRequested, ContainerCreated, ContainerStarted, BecameHealthy
      await().atMost(Duration.ofSeconds(30)).until(() ->
          journal.page("jf", "reader", Long.MAX_VALUE, 10).toCompletableFuture().get().size() == 5);
      List<AgentJournal.Entry> newest = journal.page("jf", "reader", Long.MAX_VALUE, 2).toCompletableFuture().get();
      assertEquals(List.of(5L, 4L), newest.stream().map(AgentJournal.Entry::seqNr).toList());
      assertInstanceOf(AgentEvent.BecameHealthy.class, newest.get(0).event());
      List<AgentJournal.Entry> older = journal.page("jf", "reader", 4, 10).toCompletableFuture().get();
      assertEquals(List.of(3L, 2L, 1L), older.stream().map(AgentJournal.Entry::seqNr).toList());
      assertInstanceOf(AgentEvent.Registered.class, older.get(2).event());
      // Live publications carry the same sequence numbers as the journal.
      List<Long> live = published.receiveSeveralMessages(5, Duration.ofSeconds(30)).stream()
          .map(AgentEventPublished::seqNr).toList();
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L), live);
    } finally {
      kit.shutdownTestKit();
    }
  }
}
