package ai.sutazai.supervisor.pool.ledger;

import ai.sutazai.supervisor.protocol.ActivationSource;
import ai.sutazai.supervisor.protocol.QueueEntry;
import ai.sutazai.supervisor.protocol.ScalingDecision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pool's ledger: queue order, positions, duplicates, and the same results as the former copying state. */
class PoolStateTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static QueueEntry entry(long seq, String agent, int priority) {
    return new QueueEntry(seq, agent, priority, ActivationSource.API, "test", NOW, null);
  }

  private static PoolEvent queued(long seq, String agent, int priority) {
    return new PoolEvent.Queued(entry(seq, agent, priority), "queued", NOW);
  }

  private static List<String> agents(PoolState s) {
    return s.queue().stream().map(QueueEntry::agent).toList();
  }

  @Test
  void higherPriorityFirstThenFifoWithinAPriority() {
    PoolState s = PoolState.empty()
        .apply(queued(1, "low-1", 1))
        .apply(queued(2, "high-1", 5))
        .apply(queued(3, "low-2", 1))
        .apply(queued(4, "mid", 3))
        .apply(queued(5, "high-2", 5));
    assertEquals(List.of("high-1", "high-2", "mid", "low-1", "low-2"), agents(s));
    assertEquals(6, s.nextSeq());
    assertEquals(1, s.position("high-1"));
    assertEquals(2, s.position("high-2"));
    assertEquals(4, s.position("low-1"));
    assertEquals(5, s.position("low-2"));
    assertEquals(0, s.position("absent"));
    assertTrue(s.queued("mid"));
    assertFalse(s.queued("absent"));
    assertEquals("mid", s.queue().get(2).agent());
  }

  @Test
  void admittedAndRejectedRemoveTheEntryTheyNameAndPositionsMoveUp() {
    PoolState s = PoolState.empty().apply(queued(1, "a", 1)).apply(queued(2, "b", 1)).apply(queued(3, "c", 1));
    PoolState admitted = s.apply(new PoolEvent.Admitted(1, "a", "admitted", NOW));
    assertEquals(List.of("b", "c"), agents(admitted));
    assertEquals(Set.of("a"), admitted.requested());
    assertEquals(1, admitted.position("b"));
    assertFalse(admitted.queued("a"));
    PoolState rejected = admitted.apply(new PoolEvent.Rejected(3, "c", "cancelled", NOW));
    assertEquals(List.of("b"), agents(rejected));
    assertEquals(List.of("a", "b", "c"), agents(s), "the state before is unchanged");
    assertTrue(s.requested().isEmpty());
    PoolState direct = s.apply(new PoolEvent.Admitted(-1, "z", "admitted", NOW));
    assertEquals(3, direct.queue().size(), "an admission without a queue entry leaves the queue");
    assertEquals(Set.of(), direct.apply(new PoolEvent.Released("z", ScalingDecision.Kind.STOPPED, "stop", NOW)).requested());
    assertThrows(UnsupportedOperationException.class, () -> s.queue().add(entry(9, "x", 1)));
    assertThrows(UnsupportedOperationException.class, () -> s.requested().add("x"));
  }

  @Test
  void anAgentQueuedTwiceKeepsBothEntriesInQueueOrder() {
    PoolState s = PoolState.empty().apply(queued(1, "a", 1)).apply(queued(2, "b", 1)).apply(queued(3, "a", 9));
    assertEquals(List.of("a", "a", "b"), agents(s));
    assertEquals(List.of(3L, 1L), s.queuedEntries("a").stream().map(QueueEntry::seq).toList());
    assertEquals(1, s.position("a"));
    PoolState first = s.apply(new PoolEvent.Rejected(3, "a", "cancelled", NOW));
    assertEquals(List.of(1L), first.queuedEntries("a").stream().map(QueueEntry::seq).toList());
    assertEquals(1, first.position("a"));
    assertEquals(2, first.position("b"));
    PoolState none = first.apply(new PoolEvent.Rejected(1, "a", "cancelled", NOW));
    assertFalse(none.queued("a"));
    assertEquals(List.of(), none.queuedEntries("a"));
  }

  @Test
  void constructorSortsAnyListAndTakesAnySet() {
    PoolState s = new PoolState(null, new HashSet<>(List.of("x", "y")),
        new ArrayList<>(List.of(entry(2, "b", 1), entry(1, "a", 1), entry(3, "c", 7))), 4);
    assertEquals(List.of("c", "a", "b"), agents(s));
    assertEquals(2, s.position("a"));
    assertEquals(Set.of("x", "y"), s.requested());
    assertEquals(s, new PoolState(null, Set.of("y", "x"), List.of(entry(3, "c", 7), entry(1, "a", 1), entry(2, "b", 1)), 4));
  }

  /** The former implementation (copying a HashSet and an ArrayList), as the reference. */
  private record Reference(Set<String> requested, List<QueueEntry> queue) {
    Reference apply(PoolEvent event) {
      Set<String> r = new HashSet<>(requested);
      List<QueueEntry> q = new ArrayList<>(queue);
      if (event instanceof PoolEvent.Queued e) {
        int i = Collections.binarySearch(q, e.entry(), QueueEntry::compare);
        q.add(i < 0 ? -i - 1 : i, e.entry());
      } else if (event instanceof PoolEvent.Admitted e) {
        r.add(e.agent());
        q.removeIf(x -> x.seq() == e.seq());
      } else if (event instanceof PoolEvent.Rejected e) {
        q.removeIf(x -> x.seq() == e.seq());
      } else if (event instanceof PoolEvent.Released e) {
        r.remove(e.agent());
      }
      return new Reference(r, q);
    }

    int position(String agent) {
      for (int i = 0; i < queue.size(); i++) {
        if (queue.get(i).agent().equals(agent)) {
          return i + 1;
        }
      }
      return 0;
    }
  }

  @Test
  void sameQueueRequestedAndPositionsAsTheFormerStateOnRandomEvents() {
    Random random = new Random(7);
    PoolState s = PoolState.empty();
    Reference ref = new Reference(Set.of(), List.of());
    for (int i = 0; i < 5_000; i++) {
      String agent = "agent-" + random.nextInt(300);
      int op = random.nextInt(4);
      PoolEvent e;
      if (op == 0 || s.queue().isEmpty()) {
        e = queued(s.nextSeq(), agent, random.nextInt(4));
      } else if (op == 1) {
        QueueEntry head = s.queue().get(random.nextInt(s.queue().size()));
        e = new PoolEvent.Admitted(head.seq(), head.agent(), "admitted", NOW);
      } else if (op == 2) {
        QueueEntry any = s.queue().get(random.nextInt(s.queue().size()));
        e = new PoolEvent.Rejected(any.seq(), any.agent(), "rejected", NOW);
      } else {
        e = new PoolEvent.Released(agent, ScalingDecision.Kind.STOPPED, "stop", NOW);
      }
      s = s.apply(e);
      ref = ref.apply(e);
      assertEquals(ref.queue(), s.queue());
      assertEquals(ref.requested(), s.requested());
      assertEquals(ref.position(agent), s.position(agent));
      assertEquals(ref.position(agent) > 0, s.queued(agent));
    }
  }
}
