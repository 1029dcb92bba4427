package dev.berth.config;

import dev.berth.config.SchemaKey.Kind;
import dev.berth.config.SchemaKey.Support;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks a configuration tree against the schema: unknown keys (with the nearest valid name), wrong
 * types, numbers out of range and values outside their allowed set. Also notes which settings are
 * set but have no effect in Berth yet, for the start-up warnings.
 */
final class TreeChecker {

  /**
   * A setting Berth does not act on that was set to something other than its default.
   *
   * @param path the outermost key that is not implemented, e.g. {@code http.tls}
   * @param support why it has no effect
   * @param origin where the first such value came from
   */
  record Inactive(String path, Support support, Origin origin) {}

  private final List<Problem> problems;
  private final Map<String, Inactive> inactive = new LinkedHashMap<>();

  private TreeChecker(List<Problem> problems) {
    this.problems = problems;
  }

  /** Checks {@code root}, adding problems, and returns the inactive settings found. */
  static List<Inactive> check(ConfigNode.Mapping root, List<Problem> problems) {
    var checker = new TreeChecker(problems);
    checker.walk(root, ConfigSchema.ROOT, "", Support.IMPLEMENTED, "");
    return List.copyOf(checker.inactive.values());
  }

  private void walk(ConfigNode node, SchemaKey schema, String path, Support inherited, String top) {
    boolean switches = inherited == Support.IMPLEMENTED && schema.support() != Support.IMPLEMENTED;
    Support support = switches ? schema.support() : inherited;
    String topPath = switches ? path : top;
    if (node instanceof ConfigNode.Null) {
      return;
    }
    switch (schema.kind()) {
      case SECTION, CHOICE -> section(node, schema, path, support, topPath);
      case LIST -> {
        if (!(node instanceof ConfigNode.Sequence sequence)) {
          problems.add(new Problem(Values.subject(path, node, schema.secret()), "must be a list"));
          return;
        }
        for (int i = 0; i < sequence.items().size(); i++) {
          walk(sequence.items().get(i), element(schema), path + "[" + i + "]", support, topPath);
        }
        markInactive(node, support, topPath, !sequence.items().isEmpty());
      }
      case MAP -> {
        if (!(node instanceof ConfigNode.Mapping mapping)) {
          problems.add(
              new Problem(Values.subject(path, node, false), "must be a map of names to values"));
          return;
        }
        mapping
            .entries()
            .forEach((k, v) -> walk(v, element(schema), path + "." + k, support, topPath));
        markInactive(node, support, topPath, !mapping.entries().isEmpty());
      }
      case ANY -> markInactive(node, support, topPath, true);
      default -> scalar(node, schema, path, support, topPath);
    }
  }

  private static SchemaKey element(SchemaKey schema) {
    return schema.element() == null ? ConfigSchema.ANY_VALUE : schema.element();
  }

  private void section(
      ConfigNode node, SchemaKey schema, String path, Support support, String top) {
    if (!(node instanceof ConfigNode.Mapping mapping)) {
      String message =
          schema.kind() == Kind.CHOICE && node instanceof ConfigNode.Scalar
              ? "unknown "
                  + (path.equals("storage") ? "storage driver" : path + " provider")
                  + "; use one of "
                  + variantNames(schema)
              : "must be a section of keys, not " + ConfigNode.kindOf(node);
      problems.add(new Problem(Values.subject(path, node, false), message));
      return;
    }
    mapping
        .entries()
        .forEach(
            (key, value) -> {
              String childPath = path.isEmpty() ? key : path + "." + key;
              Optional<SchemaKey> child = schema.child(key);
              if (child.isEmpty()) {
                List<String> names = schema.children().stream().map(SchemaKey::name).toList();
                String hint =
                    Values.nearest(key, names)
                        .map(n -> "; did you mean " + (path.isEmpty() ? n : path + "." + n) + "?")
                        .orElse("; known keys here: " + String.join(", ", names));
                problems.add(
                    new Problem(
                        value.origin().describe() + ": " + childPath,
                        "is not a known setting" + hint));
                return;
              }
              walk(value, child.get(), childPath, support, top);
            });
  }

  static String variantNames(SchemaKey schema) {
    return schema.children().stream()
        .filter(c -> c.variant() && !c.isVariantAlias() && c.support() != Support.UNSUPPORTED)
        .map(SchemaKey::name)
        .collect(Collectors.joining(", "));
  }

  private void scalar(ConfigNode node, SchemaKey schema, String path, Support support, String top) {
    if (!(node instanceof ConfigNode.Scalar scalar)) {
      problems.add(
          new Problem(
              Values.subject(path, node, schema.secret()),
              "must be a single value, not " + ConfigNode.kindOf(node)));
      return;
    }
    String subject = Values.subject(path, node, schema.secret());
    String text = scalar.text().strip();
    boolean isDefault = text.equalsIgnoreCase(String.valueOf(schema.defaultValue()));
    switch (schema.kind()) {
      case BOOLEAN -> {
        Optional<Boolean> value = Values.parseBoolean(text);
        if (value.isEmpty()) {
          problems.add(new Problem(subject, "must be true or false"));
          return;
        }
        isDefault = value.get().toString().equals(schema.defaultValue());
      }
      case INTEGER, BYTES -> {
        Optional<Long> value = Values.parseLong(text);
        String unit = schema.kind() == Kind.BYTES ? " bytes" : "";
        if (value.isEmpty()) {
          problems.add(new Problem(subject, "must be a whole number" + unit.replace(" ", " of ")));
          return;
        }
        rangeProblem(value.get(), schema, unit)
            .ifPresent(m -> problems.add(new Problem(subject, m)));
      }
      case DURATION -> {
        if (GoDuration.parse(text).isEmpty()) {
          problems.add(
              new Problem(
                  subject,
                  "must be a duration with a unit, such as 500ms, 30s, 5m or 1h30m"
                      + (Values.parseLong(text).isPresent()
                          ? " (a bare number has no unit)"
                          : "")));
          return;
        }
        isDefault =
            schema.defaultValue() != null
                && GoDuration.parse(text).equals(GoDuration.parse(schema.defaultValue()));
      }
      default -> {
        if (!schema.allowed().isEmpty()
            && schema.allowed().stream().noneMatch(a -> a.equalsIgnoreCase(text))) {
          problems.add(
              new Problem(subject, "must be one of " + String.join(", ", schema.allowed())));
          return;
        }
      }
    }
    markInactive(node, support, top, !isDefault);
  }

  static Optional<String> rangeProblem(long value, SchemaKey schema, String unit) {
    Long min = schema.min();
    Long max = schema.max();
    if (min != null && max != null && (value < min || value > max)) {
      return Optional.of("must be between " + min + " and " + max + unit);
    }
    if (min != null && value < min) {
      return Optional.of("must be at least " + min + unit);
    }
    if (max != null && value > max) {
      return Optional.of("must be at most " + max + unit);
    }
    return Optional.empty();
  }

  private void markInactive(ConfigNode node, Support support, String top, boolean effective) {
    if (support == Support.IMPLEMENTED || support == Support.UNSUPPORTED || !effective) {
      return;
    }
    inactive.putIfAbsent(top.toLowerCase(Locale.ROOT), new Inactive(top, support, node.origin()));
  }
}
