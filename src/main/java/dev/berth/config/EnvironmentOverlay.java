package dev.berth.config;

import dev.berth.config.SchemaKey.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Applies {@code REGISTRY_*} variables to a configuration tree with registry:2's rules: the name
 * after {@code REGISTRY_} split on {@code _} is a path of keys matched ignoring case, variables are
 * applied in lexical order after the file, and values are read as YAML. Where registry:2 breaks,
 * Berth differs on purpose (listed in the README): driver names in any case, sibling storage
 * settings kept when a driver is chosen, string settings kept literally, unknown names reported
 * with the nearest valid one, and Kubernetes service-link variables ignored with one warning.
 */
final class EnvironmentOverlay {

  static final String PREFIX = "REGISTRY_";

  /** Names the locator reads; they are not configuration keys. */
  private static final List<String> NOT_SETTINGS = List.of("REGISTRY_CONFIGURATION_PATH");

  private static final String LINK = "(TCP|UDP|SCTP)://[^\\s/]+:\\d+";
  private static final Pattern LINK_VALUE = Pattern.compile(LINK, Pattern.CASE_INSENSITIVE);
  private static final Pattern LINK_PORT =
      Pattern.compile("REGISTRY(_[A-Z0-9_]+)?_PORT(_\\d+_(TCP|UDP|SCTP))?");
  private static final Pattern LINK_DETAIL =
      Pattern.compile("REGISTRY(_[A-Z0-9_]+)?_PORT_\\d+_(TCP|UDP|SCTP)_(ADDR|PORT|PROTO)");
  private static final Pattern LINK_SERVICE =
      Pattern.compile("REGISTRY(_[A-Z0-9_]+)?_SERVICE_(HOST|PORT(_[A-Z0-9_]+)?)");

  private final ConfigNode.Mapping root;
  private final List<Problem> problems;
  private final List<String> warnings;

  private EnvironmentOverlay(
      ConfigNode.Mapping root, List<Problem> problems, List<String> warnings) {
    this.root = root;
    this.problems = problems;
    this.warnings = warnings;
  }

  /** Applies every {@code REGISTRY_*} variable of {@code environment} to {@code root}. */
  static void apply(
      ConfigNode.Mapping root,
      Map<String, String> environment,
      List<Problem> problems,
      List<String> warnings) {
    var overlay = new EnvironmentOverlay(root, problems, warnings);
    // Lexical order applies REGISTRY_STORAGE before REGISTRY_STORAGE_S3_BUCKET, as registry:2 does.
    var sorted = new TreeMap<String, String>();
    environment.forEach(
        (name, value) -> {
          if (name.startsWith(PREFIX) && !NOT_SETTINGS.contains(name)) {
            sorted.put(name, value);
          }
        });
    List<String> serviceLinks = new ArrayList<>();
    sorted.forEach(
        (name, value) -> {
          if (isServiceLink(name, value)) {
            serviceLinks.add(name);
          } else {
            overlay.applyOne(name, value);
          }
        });
    if (!serviceLinks.isEmpty()) {
      warnings.add(
          "ignored Kubernetes service-link variables "
              + String.join(", ", serviceLinks)
              + ": a Service named registry... injects them into the pod; they are not settings"
              + " (set enableServiceLinks: false in the pod spec to remove them)");
    }
  }

  static boolean isServiceLink(String name, String value) {
    if (LINK_DETAIL.matcher(name).matches()) {
      return true;
    }
    if (LINK_PORT.matcher(name).matches() && LINK_VALUE.matcher(value.strip()).matches()) {
      return true;
    }
    return LINK_SERVICE.matcher(name).matches() && !value.isBlank() && !value.contains(" ");
  }

  private void applyOne(String name, String value) {
    if (value.isBlank()) {
      problems.add(new Problem(name, "is empty: give it a value or unset it"));
      return;
    }
    String[] segments = name.substring(PREFIX.length()).split("_", -1);
    if (!resolves(ConfigSchema.ROOT, segments, 0)) {
      unknown(name);
      return;
    }
    ConfigNode.Mapping parent = root;
    SchemaKey parentSchema = ConfigSchema.ROOT;
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      boolean last = i == segments.length - 1;
      Optional<Step> step = step(parentSchema, parent, segment);
      if (step.isEmpty() || segment.isEmpty()) {
        unknown(name);
        return;
      }
      SchemaKey schema = step.get().schema();
      String key = step.get().key();
      path.append(path.isEmpty() ? "" : ".").append(key);
      var origin = new Origin.Variable(name, path.toString());
      if (last) {
        set(parent, key, schema, value, origin);
        return;
      }
      if (schema.kind() == Kind.LIST) {
        // registry:2 indexes lists by position: REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL.
        applyToList(parent, key, schema, segments, i + 1, value, name, path.toString());
        return;
      }
      if (schema.kind().isScalar()) {
        unknown(name);
        return;
      }
      ConfigNode existing = parent.get(key).orElse(null);
      ConfigNode.Mapping next;
      if (existing instanceof ConfigNode.Mapping mapping) {
        next = mapping;
      } else {
        next = new ConfigNode.Mapping(origin);
        parent.put(key, next);
      }
      parent = next;
      parentSchema = schema;
    }
  }

  private void applyToList(
      ConfigNode.Mapping parent,
      String key,
      SchemaKey schema,
      String[] segments,
      int indexAt,
      String value,
      String name,
      String path) {
    Optional<Long> index = Values.parseLong(segments[indexAt]);
    ConfigNode existing = parent.get(key).orElse(null);
    ConfigNode.Sequence sequence;
    if (existing instanceof ConfigNode.Sequence s) {
      sequence = s;
    } else {
      sequence = new ConfigNode.Sequence(new Origin.Variable(name, path));
      parent.put(key, sequence);
    }
    int size = sequence.items().size();
    if (index.isEmpty() || index.get() < 0 || index.get() > size) {
      problems.add(
          new Problem(
              name,
              "list index "
                  + segments[indexAt]
                  + " is not valid for "
                  + path
                  + ": use 0 to "
                  + size
                  + " (an index equal to the length appends)"));
      return;
    }
    int at = index.get().intValue();
    String elementPath = path + "[" + at + "]";
    var origin = new Origin.Variable(name, elementPath);
    SchemaKey element = schema.element() == null ? schema : schema.element();
    if (indexAt == segments.length - 1) {
      ConfigNode node = parseValue(element, value, origin, name);
      if (at == size) {
        sequence.items().add(node);
      } else {
        sequence.items().set(at, node);
      }
      return;
    }
    ConfigNode.Mapping holder;
    if (at < size && sequence.items().get(at) instanceof ConfigNode.Mapping m) {
      holder = m;
    } else {
      holder = new ConfigNode.Mapping(origin);
      if (at == size) {
        sequence.items().add(holder);
      } else {
        sequence.items().set(at, holder);
      }
    }
    // Continue below the element with the remaining segments, as a nested variable would.
    var rest = new String[segments.length - indexAt - 1];
    System.arraycopy(segments, indexAt + 1, rest, 0, rest.length);
    var nested = new EnvironmentOverlay(holder, problems, warnings);
    nested.applyBelow(holder, element, rest, value, name, elementPath);
  }

  private void applyBelow(
      ConfigNode.Mapping start,
      SchemaKey startSchema,
      String[] segments,
      String value,
      String name,
      String startPath) {
    ConfigNode.Mapping parent = start;
    SchemaKey parentSchema = startSchema;
    StringBuilder path = new StringBuilder(startPath);
    for (int i = 0; i < segments.length; i++) {
      Optional<Step> step = step(parentSchema, parent, segments[i]);
      if (step.isEmpty() || segments[i].isEmpty() || step.get().schema().kind() == Kind.LIST) {
        unknown(name);
        return;
      }
      path.append('.').append(step.get().key());
      var origin = new Origin.Variable(name, path.toString());
      if (i == segments.length - 1) {
        set(parent, step.get().key(), step.get().schema(), value, origin);
        return;
      }
      ConfigNode existing = parent.get(step.get().key()).orElse(null);
      ConfigNode.Mapping next;
      if (existing instanceof ConfigNode.Mapping mapping) {
        next = mapping;
      } else {
        next = new ConfigNode.Mapping(origin);
        parent.put(step.get().key(), next);
      }
      parent = next;
      parentSchema = step.get().schema();
    }
  }

  /** Whether the segments from {@code at} name a setting below {@code schema}, changing nothing. */
  private static boolean resolves(SchemaKey schema, String[] segments, int at) {
    if (at == segments.length) {
      return true;
    }
    String segment = segments[at];
    if (segment.isEmpty()) {
      return false;
    }
    return switch (schema.kind()) {
      case SECTION, CHOICE ->
          schema.child(segment).map(c -> resolves(c, segments, at + 1)).orElse(false);
      case MAP ->
          resolves(schema.element() == null ? anyKey() : schema.element(), segments, at + 1);
      case ANY -> true;
      case LIST ->
          Values.parseLong(segment).isPresent()
              && resolves(schema.element() == null ? anyKey() : schema.element(), segments, at + 1);
      default -> false;
    };
  }

  /** One resolved segment: the key to use in the tree and its schema. */
  private record Step(String key, SchemaKey schema) {}

  private static Optional<Step> step(SchemaKey schema, ConfigNode.Mapping node, String segment) {
    return switch (schema.kind()) {
      case SECTION, CHOICE -> schema.child(segment).map(c -> new Step(c.name(), c));
      case MAP -> {
        SchemaKey element = schema.element() == null ? anyKey() : schema.element();
        String key = node.keyIgnoringCase(segment).orElse(ConfigNode.lower(segment));
        yield Optional.of(new Step(key, element));
      }
      case ANY -> {
        String key = node.keyIgnoringCase(segment).orElse(ConfigNode.lower(segment));
        yield Optional.of(new Step(key, anyKey()));
      }
      default -> Optional.empty();
    };
  }

  private static SchemaKey anyKey() {
    return ConfigSchema.ANY_VALUE;
  }

  private void set(
      ConfigNode.Mapping parent,
      String key,
      SchemaKey schema,
      String value,
      Origin.Variable origin) {
    if (schema.kind() == Kind.CHOICE && isPlainName(value)) {
      choose(parent, key, schema, new ConfigNode.Scalar(value.strip(), origin), origin);
      return;
    }
    parent.put(key, parseValue(schema, value, origin, origin.name()));
  }

  private static boolean isPlainName(String value) {
    return value.strip().matches("[A-Za-z0-9._-]+");
  }

  /**
   * {@code REGISTRY_STORAGE=s3}: chooses a driver. Unlike registry:2, the name matches in any case
   * and the sibling settings (delete, redirect, cache, maintenance, tag) stay as the file set them;
   * the chosen driver's own settings stay too when the file already chose the same driver.
   */
  private void choose(
      ConfigNode.Mapping parent,
      String key,
      SchemaKey schema,
      ConfigNode.Scalar scalar,
      Origin.Variable origin) {
    Optional<SchemaKey> variant = Canonicalizer.variant(schema, scalar.text());
    if (variant.isEmpty()) {
      String names = TreeChecker.variantNames(schema);
      problems.add(
          new Problem(
              origin.name() + "=" + scalar.text(),
              "unknown "
                  + (key.equals("storage") ? "storage driver" : key + " provider")
                  + "; use one of "
                  + names));
      return;
    }
    ConfigNode.Mapping section =
        parent.get(key).orElse(null) instanceof ConfigNode.Mapping m
            ? m
            : new ConfigNode.Mapping(origin);
    parent.put(key, section);
    section
        .entries()
        .keySet()
        .removeIf(
            k ->
                !k.equals(variant.get().name())
                    && schema.child(k).map(SchemaKey::variant).orElse(false));
    if (!ConfigNode.isSet(section.get(variant.get().name()))) {
      section.put(variant.get().name(), new ConfigNode.Mapping(origin));
    }
  }

  /**
   * Reads a variable's value: string settings literally (a secret {@code 0123} or {@code on} stays
   * as written), everything else as YAML, like registry:2.
   */
  private ConfigNode parseValue(SchemaKey schema, String value, Origin origin, String name) {
    if (schema.kind() == Kind.STRING) {
      return new ConfigNode.Scalar(value, origin);
    }
    if (schema.kind().isScalar()) {
      return new ConfigNode.Scalar(value.strip(), origin);
    }
    try {
      ConfigNode parsed = YamlTrees.parse(value, line -> origin);
      parsed = Canonicalizer.choiceShortForm(parsed, schema);
      Canonicalizer.canonicalize(parsed, schema);
      return parsed;
    } catch (YamlTrees.MalformedYamlException e) {
      problems.add(new Problem(name, "is not valid YAML: " + e.getMessage()));
      return new ConfigNode.Null(origin);
    }
  }

  private void unknown(String name) {
    String hint =
        Values.nearest(name, VariableNames.ALL)
            .map(n -> "; did you mean " + n + "?")
            .orElse("; see docs/configuration.md for the variables Berth reads");
    problems.add(new Problem(name, "names no configuration setting" + hint));
  }
}
