package dev.berth.config;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Reads scalar text the way registry:2's YAML library does for typed fields. */
final class Values {

  /** What secrets are shown as. */
  static final String REDACTED = "<redacted>";

  // YAML 1.1 booleans, which registry:2 (go-yaml v2) accepts for boolean keys.
  private static final Set<String> TRUE = Set.of("true", "yes", "y", "on");
  private static final Set<String> FALSE = Set.of("false", "no", "n", "off");

  private Values() {}

  static Optional<Boolean> parseBoolean(String text) {
    String s = text.strip().toLowerCase(Locale.ROOT);
    if (TRUE.contains(s)) {
      return Optional.of(true);
    }
    return FALSE.contains(s) ? Optional.of(false) : Optional.empty();
  }

  static Optional<Long> parseLong(String text) {
    try {
      return Optional.of(Long.parseLong(text.strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Whether a free-form key (in middleware options, headers...) probably holds a secret. */
  static boolean looksSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password")
        || k.contains("secret")
        || k.contains("token")
        || k.equals("authorization")
        || k.contains("accountkey")
        || k.contains("private_key");
  }

  /** The edit distance between two strings, ignoring case; for "did you mean" hints. */
  static int distance(String a, String b) {
    String x = a.toLowerCase(Locale.ROOT);
    String y = b.toLowerCase(Locale.ROOT);
    int[] previous = new int[y.length() + 1];
    int[] current = new int[y.length() + 1];
    for (int j = 0; j <= y.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= x.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= y.length(); j++) {
        int cost = x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[y.length()];
  }

  /** The candidate closest to {@code name}, if it is close enough to be a likely typo. */
  static Optional<String> nearest(String name, Iterable<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int d = distance(name, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    int limit = Math.max(2, name.length() / 4);
    return bestDistance <= limit ? Optional.ofNullable(best) : Optional.empty();
  }

  /** How a problem names the value it is about: the variable, or the file position and key. */
  static String subject(String path, ConfigNode node, boolean secret) {
    String value =
        switch (node) {
          case ConfigNode.Scalar s -> secret ? REDACTED : s.text();
          case ConfigNode.Null n -> "";
          default -> null;
        };
    String assignment = value == null ? path : path + " = " + value;
    return switch (node.origin()) {
      case Origin.Variable v when v.path().equals(path) ->
          value == null ? v.name() : v.name() + "=" + value;
      case Origin.Variable v -> v.name() + ": " + assignment;
      case Origin.File f -> f.describe() + ": " + assignment;
      case Origin.Builtin b -> assignment;
      case Origin.Default d -> assignment;
    };
  }
}
