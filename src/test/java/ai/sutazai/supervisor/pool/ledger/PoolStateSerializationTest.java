package ai.sutazai.supervisor.pool.ledger;

import ai.sutazai.supervisor.protocol.ActivationSource;
import ai.sutazai.supervisor.protocol.QueueEntry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.common.CborSerializable;
import ai.sutazai.common.Settings;
import ai.sutazai.fleet.PoolSpec;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ledger's snapshot format did not change with the persistent collections: a state written with plain
 * collections (as snapshots in users' journals were) reads back, and today's state writes the same bytes.
 * Uses the project's serialization setup (CborSerializable bound to jackson-cbor).
 */
class PoolStateSerializationTest {
  private static ActorTestKit testKit;
  private static Serialization serialization;

  /** The record shape of the former PoolState: a HashSet-like set of names and an ArrayList of entries. */
  record FormerPoolState(PoolSpec quota, Set<String> requested, List<QueueEntry> queue, long nextSeq)
      implements CborSerializable {}

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("pool-state-serialization", Settings.load(null));
    serialization = SerializationExtension.get(testKit.system());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static final Instant AT = Instant.parse("2026-11-27T08:00:00Z");

  private static List<QueueEntry> entries() {
    return List.of(
        new QueueEntry(7, "coder", 9, ActivationSource.API, "api: user", AT, AT.plusSeconds(60)),
        new QueueEntry(3, "writer", 5, ActivationSource.INFERENCE, "inference", AT.minusSeconds(5), null),
        new QueueEntry(5, "reviewer", 5, ActivationSource.BOOT, "min-active 1", AT, null));
  }

  private static byte[] write(Object o) {
    Serializer s = serialization.findSerializerFor(o);
    assertEquals("JacksonCborSerializer", s.getClass().getSimpleName(), "CborSerializable is bound to jackson-cbor");
    return s.toBinary(o);
  }

  private static PoolState readAsPoolState(byte[] bytes, Object written) {
    Serializer s = serialization.findSerializerFor(written);
    String manifest = Serializers.manifestFor(s, written).replace(FormerPoolState.class.getName(), PoolState.class.getName());
    return (PoolState) serialization.deserialize(bytes, s.identifier(), manifest).get();
  }

  @Test
  void aSnapshotWrittenWithPlainCollectionsReadsBack() {
    PoolSpec quota = new PoolSpec("default", 20, 8L << 30, 6.0, 2);
    List<QueueEntry> queue = new ArrayList<>(entries());
    queue.sort(QueueEntry::compare);
    FormerPoolState former = new FormerPoolState(quota, new java.util.HashSet<>(Set.of("a", "b", "ollama")), queue, 8);
    byte[] bytes = write(former);
    PoolState read = readAsPoolState(bytes, former);
    assertEquals(quota, read.quota());
    assertEquals(Set.of("a", "b", "ollama"), read.requested());
    assertEquals(queue, read.queue());
    assertEquals(8, read.nextSeq());
    assertEquals(2, read.position("writer"), "the index is rebuilt from the snapshot");
    assertTrue(read.queued("reviewer"));
  }

  @Test
  void todaysStateWritesTheSameBytesAsThePlainShape() {
    PoolState state = PoolState.empty();
    for (QueueEntry e : entries()) {
      state = state.apply(new PoolEvent.Queued(e, "queued", AT));
    }
    state = state.apply(new PoolEvent.Admitted(-1, "ollama", "boot", AT)).apply(new PoolEvent.Admitted(-1, "a", "boot", AT));
    // the former HashSet wrote names in hash order; the same bytes need the same order, here name order
    FormerPoolState former = new FormerPoolState(null, new LinkedHashSet<>(List.of("a", "ollama")),
        new ArrayList<>(state.queue()), state.nextSeq());
    byte[] bytes = write(state);
    assertArrayEquals(write(former), bytes);
    assertEquals(state, readAsPoolState(bytes, state));
    assertEquals(List.of("coder", "writer", "reviewer"), readAsPoolState(bytes, state).queue().stream().map(QueueEntry::agent).toList());
  }
}
