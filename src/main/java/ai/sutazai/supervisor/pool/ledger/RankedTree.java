package ai.sutazai.supervisor.pool.ledger;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * An immutable sorted map that shares structure between versions (a persistent AVL tree whose nodes know
 * their subtree size): {@code put} and {@code remove} return a new tree in O(log n), copying only the path
 * to the key, and the old tree stays valid. Besides lookups it answers by rank: the i-th key in order and
 * how many keys sort before a given one, both in O(log n).
 *
 * <p>Lets {@link PoolState} stay an immutable record whose every {@code apply} returns a new state without
 * copying its set of requested agents or its queue for each decision. Keys must be non-null and consistent
 * with the comparator; a key equal (by the comparator) to a present one replaces its value.
 */
final class RankedTree<K, V> {
  private static final class Node<K, V> {
    final K key;
    final V value;
    final Node<K, V> left;
    final Node<K, V> right;
    final int height;
    final int size;

    Node(K key, V value, Node<K, V> left, Node<K, V> right) {
      this.key = key;
      this.value = value;
      this.left = left;
      this.right = right;
      this.height = Math.max(height(left), height(right)) + 1;
      this.size = size(left) + size(right) + 1;
    }
  }

  private final Comparator<? super K> order;
  private final Node<K, V> root;

  private RankedTree(Comparator<? super K> order, Node<K, V> root) {
    this.order = order;
    this.root = root;
  }

  public static <K, V> RankedTree<K, V> empty(Comparator<? super K> order) {
    return new RankedTree<>(order, null);
  }

  public int size() {
    return size(root);
  }

  public boolean isEmpty() {
    return root == null;
  }

  /** The value of {@code key}; null when absent. */
  public V get(K key) {
    Node<K, V> n = root;
    while (n != null) {
      int c = order.compare(key, n.key);
      if (c == 0) {
        return n.value;
      }
      n = c < 0 ? n.left : n.right;
    }
    return null;
  }

  public boolean containsKey(K key) {
    return findNode(key) != null;
  }

  private Node<K, V> findNode(K key) {
    Node<K, V> n = root;
    while (n != null) {
      int c = order.compare(key, n.key);
      if (c == 0) {
        return n;
      }
      n = c < 0 ? n.left : n.right;
    }
    return null;
  }

  /** This tree with {@code key} mapped to {@code value}; this very tree when it already was. */
  public RankedTree<K, V> put(K key, V value) {
    Node<K, V> r = put(root, key, value);
    return r == root ? this : new RankedTree<>(order, r);
  }

  /** This tree without {@code key}; this very tree when it was absent. */
  public RankedTree<K, V> remove(K key) {
    Node<K, V> r = remove(root, key);
    return r == root ? this : new RankedTree<>(order, r);
  }

  /** The key at 0-based {@code index} in sort order. */
  public K keyAt(int index) {
    return nodeAt(index).key;
  }

  /** The value of the key at 0-based {@code index} in sort order. */
  public V valueAt(int index) {
    return nodeAt(index).value;
  }

  private Node<K, V> nodeAt(int index) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException("index " + index + ", size " + size());
    }
    Node<K, V> n = root;
    int i = index;
    while (true) {
      int left = size(n.left);
      if (i < left) {
        n = n.left;
      } else if (i == left) {
        return n;
      } else {
        i -= left + 1;
        n = n.right;
      }
    }
  }

  /** How many keys sort before {@code key} (its 0-based index when present). */
  public int rank(K key) {
    int before = 0;
    Node<K, V> n = root;
    while (n != null) {
      int c = order.compare(key, n.key);
      if (c <= 0) {
        if (c == 0) {
          return before + size(n.left);
        }
        n = n.left;
      } else {
        before += size(n.left) + 1;
        n = n.right;
      }
    }
    return before;
  }

  public Iterator<K> keys() {
    return new InOrder<>(root, n -> n.key);
  }

  public Iterator<V> values() {
    return new InOrder<>(root, n -> n.value);
  }

  /** In-order walk with a stack of the left spine: O(1) amortized per element, O(log n) memory. */
  private static final class InOrder<K, V, T> implements Iterator<T> {
    private final ArrayDeque<Node<K, V>> stack = new ArrayDeque<>();
    private final Function<Node<K, V>, T> of;

    InOrder(Node<K, V> root, Function<Node<K, V>, T> of) {
      this.of = of;
      pushLeft(root);
    }

    private void pushLeft(Node<K, V> n) {
      for (Node<K, V> x = n; x != null; x = x.left) {
        stack.push(x);
      }
    }

    @Override
    public boolean hasNext() {
      return !stack.isEmpty();
    }

    @Override
    public T next() {
      if (stack.isEmpty()) {
        throw new NoSuchElementException();
      }
      Node<K, V> n = stack.pop();
      pushLeft(n.right);
      return of.apply(n);
    }
  }

  private static int height(Node<?, ?> n) {
    return n == null ? 0 : n.height;
  }

  private static int size(Node<?, ?> n) {
    return n == null ? 0 : n.size;
  }

  private Node<K, V> put(Node<K, V> n, K key, V value) {
    if (n == null) {
      return new Node<>(key, value, null, null);
    }
    int c = order.compare(key, n.key);
    if (c < 0) {
      Node<K, V> l = put(n.left, key, value);
      return l == n.left ? n : balance(n.key, n.value, l, n.right);
    } else if (c > 0) {
      Node<K, V> r = put(n.right, key, value);
      return r == n.right ? n : balance(n.key, n.value, n.left, r);
    }
    return n.value == value && n.key == key ? n : new Node<>(key, value, n.left, n.right);
  }

  private Node<K, V> remove(Node<K, V> n, K key) {
    if (n == null) {
      return null;
    }
    int c = order.compare(key, n.key);
    if (c < 0) {
      Node<K, V> l = remove(n.left, key);
      return l == n.left ? n : balance(n.key, n.value, l, n.right);
    } else if (c > 0) {
      Node<K, V> r = remove(n.right, key);
      return r == n.right ? n : balance(n.key, n.value, n.left, r);
    }
    if (n.left == null) {
      return n.right;
    }
    if (n.right == null) {
      return n.left;
    }
    Node<K, V> min = n.right;
    while (min.left != null) {
      min = min.left;
    }
    return balance(min.key, min.value, n.left, removeMin(n.right));
  }

  private static <K, V> Node<K, V> removeMin(Node<K, V> n) {
    if (n.left == null) {
      return n.right;
    }
    return balance(n.key, n.value, removeMin(n.left), n.right);
  }

  /** A node over subtrees whose heights differ by at most 2, rotated so that they differ by at most 1. */
  private static <K, V> Node<K, V> balance(K key, V value, Node<K, V> l, Node<K, V> r) {
    int hl = height(l);
    int hr = height(r);
    if (hl > hr + 1) {
      if (height(l.left) >= height(l.right)) {
        return new Node<>(l.key, l.value, l.left, new Node<>(key, value, l.right, r));
      }
      Node<K, V> lr = l.right;
      return new Node<>(lr.key, lr.value, new Node<>(l.key, l.value, l.left, lr.left), new Node<>(key, value, lr.right, r));
    }
    if (hr > hl + 1) {
      if (height(r.right) >= height(r.left)) {
        return new Node<>(r.key, r.value, new Node<>(key, value, l, r.left), r.right);
      }
      Node<K, V> rl = r.left;
      return new Node<>(rl.key, rl.value, new Node<>(key, value, l, rl.left), new Node<>(r.key, r.value, rl.right, r.right));
    }
    return new Node<>(key, value, l, r);
  }

  /** Checks the AVL and size invariants (tests); returns the height. */
  public int checkInvariants() {
    return check(root);
  }

  private int check(Node<K, V> n) {
    if (n == null) {
      return 0;
    }
    if (n.left != null && order.compare(n.left.key, n.key) >= 0 || n.right != null && order.compare(n.right.key, n.key) <= 0) {
      throw new IllegalStateException("out of order at " + n.key);
    }
    int hl = check(n.left);
    int hr = check(n.right);
    if (Math.abs(hl - hr) > 1 || n.height != Math.max(hl, hr) + 1 || n.size != size(n.left) + size(n.right) + 1) {
      throw new IllegalStateException("unbalanced at " + n.key);
    }
    return n.height;
  }
}
