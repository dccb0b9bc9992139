package ai.sutazai.fleet;

import java.util.Collection;
import java.util.Optional;

/** Suggests the known word closest to a misspelt one, by Levenshtein edit distance. */
final class DidYouMean {
  private DidYouMean() {}

  /**
   * The candidate nearest to {@code word}, if it is close enough to be a plausible typo: at most 2 edits,
   * or a third of the word's length for longer words. Case and '_' versus '-' do not count as edits.
   */
  static Optional<String> suggest(String word, Collection<String> candidates) {
    String normalised = normalise(word);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(normalised, normalise(c));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    int allowed = Math.max(2, word.length() / 3);
    return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  /** "; did you mean 'x'?" or "" when nothing is close. */
  static String hint(String word, Collection<String> candidates) {
    return suggest(word, candidates).map(s -> "; did you mean '" + s + "'?").orElse("");
  }

  private static String normalise(String s) {
    return s.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** Levenshtein distance: insertions, deletions and substitutions each cost 1. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
