package dev.berth.config;

import dev.berth.config.SchemaKey.Kind;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;

/**
 * Renames the keys of a tree to the schema's spelling (keys match ignoring case) and turns the
 * short form {@code storage: inmemory} into {@code storage: {inmemory: }}. Unknown keys are left as
 * they are for {@link TreeChecker} to report.
 */
final class Canonicalizer {

  private Canonicalizer() {}

  static void canonicalize(ConfigNode node, SchemaKey schema) {
    switch (schema.kind()) {
      case SECTION, CHOICE -> {
        if (node instanceof ConfigNode.Mapping mapping) {
          var entries = new ArrayList<>(mapping.entries().entrySet());
          mapping.entries().clear();
          for (Map.Entry<String, ConfigNode> entry : entries) {
            Optional<SchemaKey> child = schema.child(entry.getKey());
            String key = child.map(SchemaKey::name).orElse(entry.getKey());
            if (mapping.get(key).isPresent()) {
              // Two spellings of one key (s3 and s3aws): keep both, so that the binder reports
              // two drivers instead of one silently replacing the other.
              key = entry.getKey();
            }
            ConfigNode value = entry.getValue();
            if (child.isPresent()) {
              value = choiceShortForm(value, child.get());
              canonicalize(value, child.get());
            }
            mapping.put(key, value);
          }
        }
      }
      case LIST -> {
        if (node instanceof ConfigNode.Sequence sequence && schema.element() != null) {
          sequence.items().forEach(item -> canonicalize(item, schema.element()));
        }
      }
      case MAP -> {
        if (node instanceof ConfigNode.Mapping mapping && schema.element() != null) {
          mapping.entries().values().forEach(value -> canonicalize(value, schema.element()));
        }
      }
      default -> {
        // Scalars and free-form values have no keys to rename.
      }
    }
  }

  /** {@code storage: s3} (a driver name as a scalar) means {@code storage: {s3: }}. */
  static ConfigNode choiceShortForm(ConfigNode value, SchemaKey schema) {
    if (schema.kind() != Kind.CHOICE || !(value instanceof ConfigNode.Scalar scalar)) {
      return value;
    }
    Optional<SchemaKey> variant = variant(schema, scalar.text());
    if (variant.isEmpty()) {
      return value;
    }
    var mapping = new ConfigNode.Mapping(scalar.origin());
    mapping.put(variant.get().name(), new ConfigNode.Null(scalar.origin()));
    return mapping;
  }

  /** The variant of a choice named {@code name}, ignoring case. */
  static Optional<SchemaKey> variant(SchemaKey choice, String name) {
    return choice.child(name.strip()).filter(SchemaKey::variant);
  }
}
