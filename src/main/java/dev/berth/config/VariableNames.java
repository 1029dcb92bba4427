package dev.berth.config;

import dev.berth.config.SchemaKey.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every configuration key with its {@code REGISTRY_*} variable, in schema order: the source of the
 * reference page and of "did you mean" hints.
 */
final class VariableNames {

  /**
   * One documented key.
   *
   * @param path the dotted key; {@code <n>} stands for a list index, {@code <name>} for a map key
   * @param variable the variable that sets it
   * @param schema its schema
   * @param support whether Berth implements it, inherited from the sections around it
   */
  record Entry(String path, String variable, SchemaKey schema, SchemaKey.Support support) {}

  /** Every key, sections included. */
  static final List<Entry> ENTRIES = entries();

  /** Every variable name, for hints. */
  static final List<String> ALL = ENTRIES.stream().map(Entry::variable).toList();

  private VariableNames() {}

  /** The variable that sets a dotted key, e.g. {@code REGISTRY_HTTP_ADDR} for {@code http.addr}. */
  static String variableFor(String path) {
    return EnvironmentOverlay.PREFIX
        + path.replaceAll("\\[(\\d+)]", ".$1").replace('.', '_').toUpperCase(Locale.ROOT);
  }

  private static List<Entry> entries() {
    List<Entry> out = new ArrayList<>();
    for (SchemaKey child : ConfigSchema.ROOT.children()) {
      walk(child, child.name(), SchemaKey.Support.IMPLEMENTED, out);
    }
    return List.copyOf(out);
  }

  private static void walk(
      SchemaKey key, String path, SchemaKey.Support inherited, List<Entry> out) {
    SchemaKey.Support support =
        inherited == SchemaKey.Support.IMPLEMENTED ? key.support() : inherited;
    out.add(new Entry(path, variableFor(path.replace("<n>", "0")), key, support));
    for (SchemaKey child : key.children()) {
      walk(child, path + "." + child.name(), support, out);
    }
    if (key.element() != null && !key.element().children().isEmpty()) {
      String elementPath = path + (key.kind() == Kind.LIST ? ".<n>" : ".<name>");
      for (SchemaKey child : key.element().children()) {
        walk(child, elementPath + "." + child.name(), support, out);
      }
    }
  }
}
