package dev.berth.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A generic configuration tree as read from YAML, before binding. Scalars keep the exact text that
 * was written, so a secret such as {@code 0123} is never turned into a number. Maps and lists are
 * mutable while the environment overlay is applied and never leave this package.
 */
sealed interface ConfigNode {

  /** Where this node came from. */
  Origin origin();

  /** A single value, kept as the text that was written. */
  record Scalar(String text, Origin origin) implements ConfigNode {}

  /** An explicitly empty value ({@code key:}, {@code ~} or {@code null}): the same as absent. */
  record Null(Origin origin) implements ConfigNode {}

  /** A map of keys to nodes, in the order written. */
  final class Mapping implements ConfigNode {
    private final Origin origin;
    private final Map<String, ConfigNode> entries = new LinkedHashMap<>();

    Mapping(Origin origin) {
      this.origin = origin;
    }

    @Override
    public Origin origin() {
      return origin;
    }

    Map<String, ConfigNode> entries() {
      return entries;
    }

    /** The key as stored that equals {@code key} ignoring case. */
    Optional<String> keyIgnoringCase(String key) {
      return entries.keySet().stream().filter(k -> k.equalsIgnoreCase(key)).findFirst();
    }

    Optional<ConfigNode> get(String key) {
      return Optional.ofNullable(entries.get(key));
    }

    void put(String key, ConfigNode value) {
      entries.put(key, value);
    }

    @Override
    public String toString() {
      return entries.toString();
    }
  }

  /** A list of nodes. */
  final class Sequence implements ConfigNode {
    private final Origin origin;
    private final List<ConfigNode> items = new ArrayList<>();

    Sequence(Origin origin) {
      this.origin = origin;
    }

    @Override
    public Origin origin() {
      return origin;
    }

    List<ConfigNode> items() {
      return items;
    }

    @Override
    public String toString() {
      return items.toString();
    }
  }

  /** Whether a node carries a value, i.e. is neither absent nor explicitly empty. */
  static boolean isSet(Optional<ConfigNode> node) {
    return node.isPresent() && !(node.get() instanceof Null);
  }

  /** What kind of YAML value a node is, for messages. */
  static String kindOf(ConfigNode node) {
    return switch (node) {
      case Scalar s -> "a single value";
      case Null n -> "empty";
      case Mapping m -> "a map";
      case Sequence q -> "a list";
    };
  }

  /** Lower-cases a key the way registry:2 does for keys created from environment variables. */
  static String lower(String key) {
    return key.toLowerCase(Locale.ROOT);
  }
}
