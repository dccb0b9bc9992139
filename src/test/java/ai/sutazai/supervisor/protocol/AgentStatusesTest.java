package ai.sutazai.supervisor.protocol;

import ai.sutazai.supervisor.pool.AgentPool;
import ai.sutazai.supervisor.pool.NoticeInbox;
import ai.sutazai.supervisor.pool.StashBypass;
import ai.sutazai.supervisor.pool.ledger.IdleTracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Statuses travel the status topic in batches: split so that every message stays far below Artery's
 * 256 KiB frame (a larger one would be dropped, and with it the statuses of up to a hundred agents), in
 * order, and serialized with Jackson. A pool drops its own agents from a batch it hears back, and keeps
 * the others'.
 */
class AgentStatusesTest {
  private static final ActorTestKit KIT = ActorTestKit.create("statuses");
  /** Artery's default maximum-frame-size. */
  private static final int FRAME_BYTES = 256 * 1024;

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private static AgentStatus status(String name, String reason) {
    return new AgentStatus(name, "default", AgentPhase.HEALTHY, true, "c".repeat(64), 0, reason, Instant.now(), 12,
        Set.of(), 0, 16L << 20, 0.5, "akka://sutazai@127.0.0.1:2551");
  }

  @Test
  void batchesKeepOrderAndAtMostTheLimit() {
    List<AgentStatus> all = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      all.add(status("agent-" + i, "started"));
    }
    List<AgentStatuses> chunks = AgentStatuses.chunked(all);
    assertEquals(List.of(100, 100, 50), chunks.stream().map(c -> c.statuses().size()).toList());
    assertEquals(all, chunks.stream().flatMap(c -> c.statuses().stream()).toList());
    assertTrue(AgentStatuses.chunked(List.of()).isEmpty());
  }

  @Test
  void longReasonsMakeSmallerBatchesThatStillFitAFrame() throws Exception {
    Serialization serialization = SerializationExtension.get(akka.actor.typed.javadsl.Adapter.toClassic(KIT.system()));
    List<AgentStatus> all = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      // A long error text as the reason, and a 63-character name: the largest statuses a fleet makes.
      all.add(status(("agent-" + i + "-").repeat(10).substring(0, 63), "docker: " + "x".repeat(4_000)));
    }
    List<AgentStatuses> chunks = AgentStatuses.chunked(all);
    assertTrue(chunks.size() > 3, "long statuses split into more, smaller messages: " + chunks.size());
    for (AgentStatuses c : chunks) {
      byte[] bytes = serialization.serialize(c).get();
      assertTrue(bytes.length < FRAME_BYTES / 2, "message of " + c.statuses().size() + " statuses: " + bytes.length + " bytes");
      assertEquals(c, serialization.deserialize(bytes, AgentStatuses.class).get());
    }
    assertEquals(all, chunks.stream().flatMap(c -> c.statuses().stream()).toList());
  }

  /** A notice crosses nodes in the pool's wrapper when the pool runs elsewhere (a restart request, a status). */
  @Test
  void noticesCrossNodesInThePoolsWrapper() throws Exception {
    Serialization serialization = SerializationExtension.get(akka.actor.typed.javadsl.Adapter.toClassic(KIT.system()));
    for (Notice n : List.of(new Notice.RestartWanted("a05", 1), new Notice.StatusChanged(status("a06", "started")))) {
      AgentPool.Noticed m = new AgentPool.Noticed(n);
      byte[] bytes = serialization.serialize(m).get();
      akka.serialization.Serializer s = serialization.findSerializerFor(m);
      String manifest = akka.serialization.Serializers.manifestFor(s, m);
      assertEquals(m, serialization.deserialize(bytes, s.identifier(), manifest).get());
    }
  }

  @Test
  void aPoolKeepsOnlyOtherPoolsAgentsFromABatch() {
    TestProbe<AgentPool.Command> reached = KIT.createTestProbe();
    TestProbe<NoticeInbox.Command> inbox = KIT.createTestProbe();
    ActorRef<AgentPool.Command> pool = KIT.spawn(Behaviors.intercept(
        () -> new StashBypass(inbox.ref(), new IdleTracker(Duration.ofSeconds(1)), Set.of("mine-1", "mine-2")),
        Behaviors.receiveMessage(m -> {
          reached.ref().tell(m);
          return Behaviors.same();
        })));
    pool.tell(new AgentPool.PeerStatuses(new AgentStatuses(List.of(status("mine-1", "a"), status("other", "b"),
        status("mine-2", "c")))));
    AgentPool.PeerStatuses mixed = reached.expectMessageClass(AgentPool.PeerStatuses.class);
    assertEquals(List.of("other"), mixed.statuses().statuses().stream().map(AgentStatus::name).toList());
    // A batch of the pool's own agents only never reaches it: the next message does, first.
    pool.tell(new AgentPool.PeerStatuses(new AgentStatuses(List.of(status("mine-2", "d")))));
    pool.tell(AgentPool.Resync.INSTANCE);
    assertEquals(AgentPool.Resync.INSTANCE, reached.receiveMessage());
  }
}
