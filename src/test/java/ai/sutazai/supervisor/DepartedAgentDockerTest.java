package ai.sutazai.supervisor;

import ai.sutazai.supervisor.protocol.SupervisorProtocol;

import ai.sutazai.supervisor.container.HostPressure;
import ai.sutazai.supervisor.pool.AgentPool;
import ai.sutazai.supervisor.pool.PoolAgents;
import ai.sutazai.supervisor.pool.ledger.PoolEvent;
import ai.sutazai.supervisor.protocol.ActivationResult;
import ai.sutazai.supervisor.protocol.ActivationSource;
import ai.sutazai.supervisor.protocol.AgentEvent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.testsupport.DockerTestSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import akka.actor.typed.javadsl.AskPattern;
import akka.pattern.StatusReply;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.PersistenceQuery;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An agent taken out of the fleet spec, on the real Docker engine: the next supervisor journals it as
 * removed and removes its container, never starting it again, while the agents that stayed are adopted;
 * the pool journals its release, and rejects a queued request for an agent that left, with the reasons,
 * readable from the journal like every scaling decision.
 */
class DepartedAgentDockerTest {
  @RegisterExtension static final DockerTestSupport docker = new DockerTestSupport();

  private static final Duration LONG = Duration.ofSeconds(60);

  @Test
  void anAgentThatLeftTheFleetIsJournalledAsRemovedAndItsContainerRemoved() throws Exception {
    Path dir = SupervisorHarness.tempDir("departed");
    int keepPort = DockerTestSupport.freePort();
    int gonePort = DockerTestSupport.freePort();
    String keep = SupervisorHarness.httpAgent("keep", keepPort, "");
    String keepContainer;
    String goneContainer;
    // Two always-on agents fill the pool (max-active 2), so "later" asked for on demand waits in the queue.
    String later = SupervisorHarness.httpAgent("later", DockerTestSupport.freePort(), "      activation = on-demand");
    try (SupervisorHarness h = new SupervisorHarness(docker, dir, "  pools { default { max-active = 2 } }\n  agents {\n"
        + keep + SupervisorHarness.httpAgent("gone", gonePort, "") + later + "  }", HostPressure.fixed(false, 1), Map.of())) {
      keepContainer = h.healthyStatus("keep", LONG).containerId();
      goneContainer = h.healthyStatus("gone", LONG).containerId();
      ActivationResult queued = AskPattern.<SupervisorProtocol.Command, StatusReply<ActivationResult>>ask(h.supervisor,
          r -> new SupervisorProtocol.Activate("later", ActivationSource.API, "test", null, r), Duration.ofSeconds(10),
          h.kit.system().scheduler()).toCompletableFuture().get(15, TimeUnit.SECONDS).getValue();
      assertEquals(ActivationResult.Outcome.QUEUED, queued.outcome());
    }
    assertTrue(docker.isRunning(goneContainer), "a graceful stop leaves the containers running");

    try (SupervisorHarness h = new SupervisorHarness(docker, dir, "  agents {\n" + keep + "  }",
        HostPressure.fixed(false, 1), Map.of())) {
      AgentEvent.Removed removed = h.await("gone", AgentEvent.Removed.class, LONG);
      assertEquals(PoolAgents.LEFT_THE_FLEET, removed.reason());
      await().atMost(LONG).until(() -> !docker.exists(goneContainer));
      assertEquals(keepContainer, h.healthyStatus("keep", LONG).containerId(), "keep was adopted, not replaced");
      assertTrue(h.seen.stream().noneMatch(p -> p.agent().equals("gone") && (p.event() instanceof AgentEvent.ContainerStarted
          || p.event() instanceof AgentEvent.ContainerCreated)), "gone was never started again");

      // The pool's decisions about it, with their reasons, are read back from the journal.
      JdbcReadJournal read = PersistenceQuery.get(h.kit.system()).getReadJournalFor(JdbcReadJournal.class,
          JdbcReadJournal.Identifier());
      String pool = AgentPool.persistenceId(docker.fleet(), "default").id();
      await().atMost(LONG).until(() -> decisions(read, pool, h).stream()
          .anyMatch(e -> e instanceof PoolEvent.Released r && r.agent().equals("gone")
              && r.reason().equals("released gone: no longer in pool default (fleet spec)")));
      assertTrue(decisions(read, pool, h).stream().anyMatch(e -> e instanceof PoolEvent.Admitted a && a.agent().equals("gone")
          && a.reason().startsWith("admitted gone (boot: activation = always)")), "the first run's admission is journalled");
      assertTrue(decisions(read, pool, h).stream().anyMatch(e -> e instanceof PoolEvent.Rejected r && r.agent().equals("later")
          && r.reason().equals("rejected later: no longer in pool default (fleet spec)")), "its queued request is rejected");
      assertTrue(h.seen.stream().noneMatch(p -> p.agent().equals("later")), "later was never started");
    }

    // A third start finds it already removed: nothing more is journalled for it.
    try (SupervisorHarness h = new SupervisorHarness(docker, dir, "  agents {\n" + keep + "  }",
        HostPressure.fixed(false, 1), Map.of())) {
      assertEquals(keepContainer, h.healthyStatus("keep", LONG).containerId());
      assertTrue(h.seen.stream().noneMatch(p -> p.agent().equals("gone")), "gone is left as it is");
    }
  }

  private static List<PoolEvent> decisions(JdbcReadJournal read, String persistenceId, SupervisorHarness h) throws Exception {
    return read.currentEventsByPersistenceId(persistenceId, 0L, Long.MAX_VALUE)
        .map(EventEnvelope::event)
        .filter(e -> e instanceof PoolEvent)
        .map(e -> (PoolEvent) e)
        .runWith(akka.stream.javadsl.Sink.seq(), h.kit.system())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
