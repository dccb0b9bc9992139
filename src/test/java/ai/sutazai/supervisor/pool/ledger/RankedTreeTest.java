package ai.sutazai.supervisor.pool.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The persistent tree against java.util.TreeMap on random operations, and that old versions never change. */
class RankedTreeTest {

  @Test
  void matchesTreeMapOnRandomOperationsAndStaysBalanced() {
    Random random = new Random(42);
    RankedTree<Integer, String> tree = RankedTree.empty(Integer::compare);
    TreeMap<Integer, String> model = new TreeMap<>();
    for (int i = 0; i < 20_000; i++) {
      int k = random.nextInt(2_000);
      if (random.nextInt(3) == 0) {
        tree = tree.remove(k);
        model.remove(k);
      } else {
        tree = tree.put(k, "v" + i);
        model.put(k, "v" + i);
      }
      if (i % 1_000 == 0) {
        assertSameContent(model, tree);
      }
    }
    assertSameContent(model, tree);
    int height = tree.checkInvariants();
    assertTrue(height <= 1.45 * (Math.log(model.size() + 2) / Math.log(2)), "AVL height " + height + " for " + model.size());
  }

  private static void assertSameContent(TreeMap<Integer, String> model, RankedTree<Integer, String> tree) {
    tree.checkInvariants();
    assertEquals(model.size(), tree.size());
    List<Integer> keys = new ArrayList<>();
    tree.keys().forEachRemaining(keys::add);
    assertEquals(new ArrayList<>(model.keySet()), keys);
    int i = 0;
    for (Map.Entry<Integer, String> e : model.entrySet()) {
      assertEquals(e.getKey(), tree.keyAt(i));
      assertEquals(e.getValue(), tree.valueAt(i));
      assertEquals(e.getValue(), tree.get(e.getKey()));
      assertEquals(i, tree.rank(e.getKey()));
      i++;
    }
    assertEquals(model.headMap(1_000).size(), tree.rank(1_000), "rank of a key that may be absent");
  }

  @Test
  void olderVersionsAreUnchangedByLaterOperations() {
    RankedTree<Integer, Integer> t0 = RankedTree.empty(Integer::compare);
    for (int i = 0; i < 100; i++) {
      t0 = t0.put(i, i);
    }
    RankedTree<Integer, Integer> t1 = t0.remove(50).put(500, 500).put(7, -7);
    assertEquals(100, t0.size());
    assertEquals(50, t0.get(50));
    assertEquals(7, t0.get(7));
    assertFalse(t0.containsKey(500));
    assertEquals(100, t1.size());
    assertFalse(t1.containsKey(50));
    assertEquals(-7, t1.get(7));
    assertSame(t1, t1.remove(12345), "removing an absent key returns the same tree");
  }

  @Test
  void emptyTreeAndOutOfRangeIndex() {
    RankedTree<String, String> t = RankedTree.empty(String::compareTo);
    assertTrue(t.isEmpty());
    assertEquals(0, t.rank("x"));
    Iterator<String> it = t.keys();
    assertFalse(it.hasNext());
    assertThrows(IndexOutOfBoundsException.class, () -> t.keyAt(0));
    assertThrows(IndexOutOfBoundsException.class, () -> t.put("a", "a").keyAt(1));
  }
}
