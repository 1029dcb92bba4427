package dev.berth.config;

import dev.berth.config.SchemaKey.Kind;
import dev.berth.config.SchemaKey.Support;

/**
 * Renders the key table of {@code docs/configuration.md} from the schema, so the page lists every
 * key Berth reads with its variable, default and status. A test fails when the page is stale.
 */
final class ConfigReference {

  static final String BEGIN = "<!-- BEGIN GENERATED KEY TABLE -->";
  static final String END = "<!-- END GENERATED KEY TABLE -->";

  private ConfigReference() {}

  /** The generated table, between its markers. */
  static String table() {
    StringBuilder out = new StringBuilder(BEGIN).append("\n\n");
    out.append("| Key | Variable | Type | Default | Berth | Meaning |\n");
    out.append("|---|---|---|---|---|---|\n");
    for (VariableNames.Entry entry : VariableNames.ENTRIES) {
      SchemaKey key = entry.schema();
      out.append("| `")
          .append(entry.path())
          .append("` | `")
          .append(entry.variable())
          .append("` | ")
          .append(type(key))
          .append(" | ")
          .append(key.defaultValue() == null ? "" : "`" + key.defaultValue() + "`")
          .append(" | ")
          .append(status(entry.support(), key))
          .append(" | ")
          .append(key.doc())
          .append(
              key.allowed().isEmpty() ? "" : " One of: " + String.join(", ", key.allowed()) + ".")
          .append(range(key))
          .append(key.aliasOf() == null ? "" : " Alias of `" + key.aliasOf() + "`.")
          .append(key.secret() ? " Redacted in output." : "")
          .append(" |\n");
    }
    return out.append('\n').append(END).toString();
  }

  private static String type(SchemaKey key) {
    return switch (key.kind()) {
      case SECTION -> "section";
      case CHOICE -> "one of";
      case STRING -> "string";
      case BOOLEAN -> "boolean";
      case INTEGER -> "integer";
      case BYTES -> "bytes";
      case DURATION -> "duration";
      case LIST -> "list";
      case MAP -> "map";
      case ANY -> "any";
    };
  }

  private static String status(Support support, SchemaKey key) {
    if (key.kind() == Kind.SECTION && support == Support.IMPLEMENTED) {
      return "yes";
    }
    return switch (support) {
      case IMPLEMENTED -> "yes";
      case NOT_YET -> "not yet";
      case OBSOLETE -> "ignored (2.x)";
      case UNSUPPORTED -> "no";
    };
  }

  private static String range(SchemaKey key) {
    if (key.min() == null && key.max() == null) {
      return "";
    }
    if (key.max() == null) {
      return " At least " + key.min() + ".";
    }
    return " From " + key.min() + " to " + key.max() + ".";
  }
}
