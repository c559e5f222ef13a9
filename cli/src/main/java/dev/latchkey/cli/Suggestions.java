package dev.latchkey.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * "Did you mean ...?" for a mistyped command or option: only names within a small edit distance
 * (a letter missing, extra, wrong or two letters swapped), or none at all.
 */
final class Suggestions {
  /** Shorter words (after the dashes) get no suggestions: every short name is near every other. */
  private static final int MIN_LENGTH = 3;

  private Suggestions() {}

  /** The candidates nearest to {@code typed}, if near enough: one edit per four letters, at most two. */
  static List<String> near(String typed, Collection<String> candidates) {
    String word = strip(typed);
    if (word.length() < MIN_LENGTH) {
      return List.of();
    }
    int allowed = Math.max(1, Math.min(2, word.length() / 4));
    int best = allowed + 1;
    List<String> nearest = new ArrayList<>();
    for (String candidate : candidates) {
      int d = distance(word, strip(candidate));
      if (d > allowed || d > best) {
        continue;
      }
      if (d < best) {
        best = d;
        nearest.clear();
      }
      if (!nearest.contains(candidate)) {
        nearest.add(candidate);
      }
    }
    return nearest;
  }

  private static String strip(String name) {
    int i = 0;
    while (i < name.length() && name.charAt(i) == '-') {
      i++;
    }
    return name.substring(i);
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
