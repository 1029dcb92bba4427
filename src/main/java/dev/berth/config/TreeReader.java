package dev.berth.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Typed reads from a checked configuration tree by dotted key, falling back to the schema's default
 * when a key is absent or invalid ({@link TreeChecker} has already reported invalid ones).
 */
final class TreeReader {

  private final ConfigNode.Mapping root;

  TreeReader(ConfigNode.Mapping root) {
    this.root = root;
  }

  /** The node at a dotted key, if present and not explicitly empty. */
  Optional<ConfigNode> node(String path) {
    ConfigNode current = root;
    for (String segment : path.split("\\.", -1)) {
      if (!(current instanceof ConfigNode.Mapping mapping)) {
        return Optional.empty();
      }
      Optional<ConfigNode> next = mapping.get(segment);
      if (next.isEmpty()) {
        return Optional.empty();
      }
      current = next.get();
    }
    return current instanceof ConfigNode.Null ? Optional.empty() : Optional.of(current);
  }

  /** Whether a key is present, as a section or a value. */
  boolean isSet(String path) {
    return node(path).isPresent();
  }

  /** The keys of a section, in the order written. */
  List<String> keys(String path) {
    return node(path)
        .filter(ConfigNode.Mapping.class::isInstance)
        .map(n -> List.copyOf(((ConfigNode.Mapping) n).entries().keySet()))
        .orElse(List.of());
  }

  /** The written text of a scalar key, if set. */
  Optional<String> text(String path) {
    return node(path)
        .filter(ConfigNode.Scalar.class::isInstance)
        .map(n -> ((ConfigNode.Scalar) n).text());
  }

  /** A string key, or its default, or null when it has none. */
  @Nullable String string(String path) {
    return text(path).orElse(schema(path).defaultValue());
  }

  /** A string key, or {@code fallback} when it is absent and has no default. */
  String string(String path, String fallback) {
    String value = string(path);
    return value == null ? fallback : value;
  }

  boolean bool(String path) {
    return text(path)
        .flatMap(Values::parseBoolean)
        .orElse(Boolean.parseBoolean(schema(path).defaultValue()));
  }

  long number(String path) {
    String def = schema(path).defaultValue();
    return text(path).flatMap(Values::parseLong).orElse(def == null ? 0L : Long.parseLong(def));
  }

  Duration duration(String path) {
    String def = schema(path).defaultValue();
    return text(path)
        .flatMap(GoDuration::parse)
        .orElse(def == null ? Duration.ZERO : GoDuration.parse(def).orElse(Duration.ZERO));
  }

  List<String> strings(String path) {
    List<String> out = new ArrayList<>();
    node(path)
        .filter(ConfigNode.Sequence.class::isInstance)
        .ifPresent(
            n ->
                ((ConfigNode.Sequence) n)
                    .items()
                    .forEach(
                        i -> {
                          if (i instanceof ConfigNode.Scalar s) {
                            out.add(s.text());
                          }
                        }));
    return out;
  }

  /** A map of scalar values; non-scalar values are written as their YAML-ish text. */
  Map<String, String> stringMap(String path) {
    Map<String, String> out = new LinkedHashMap<>();
    node(path)
        .filter(ConfigNode.Mapping.class::isInstance)
        .ifPresent(
            n ->
                ((ConfigNode.Mapping) n)
                    .entries()
                    .forEach(
                        (k, v) -> {
                          if (v instanceof ConfigNode.Scalar s) {
                            out.put(k, s.text());
                          } else if (!(v instanceof ConfigNode.Null)) {
                            out.put(k, v.toString());
                          }
                        }));
    return out;
  }

  /** A map of names to lists of strings, such as {@code http.headers}. */
  Map<String, List<String>> listMap(String path) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String key : keys(path)) {
      out.put(key, List.copyOf(strings(path + "." + key)));
    }
    return out;
  }

  /** How a problem names a key: its variable or file position and its value. */
  String subject(String path) {
    SchemaKey schema = schema(path);
    return node(path).map(n -> Values.subject(path, n, schema.secret())).orElse(path);
  }

  /** The schema of a dotted key (list and map levels excluded). */
  static SchemaKey schema(String path) {
    SchemaKey current = ConfigSchema.ROOT;
    for (String segment : path.split("\\.", -1)) {
      Optional<SchemaKey> child = current.child(segment);
      if (child.isEmpty()) {
        return ConfigSchema.ANY_VALUE;
      }
      current = child.get();
    }
    return current;
  }
}
