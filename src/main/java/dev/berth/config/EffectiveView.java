package dev.berth.config;

import dev.berth.config.SchemaKey.Kind;
import dev.berth.config.SchemaKey.Support;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lists the effective values of a configuration tree with their origins: every value that was set,
 * and the default of every implemented key that was not. Secrets are redacted.
 */
final class EffectiveView {

  private final List<EffectiveSetting> out = new ArrayList<>();

  private EffectiveView() {}

  static List<EffectiveSetting> of(ConfigNode.Mapping root) {
    var view = new EffectiveView();
    for (SchemaKey child : ConfigSchema.ROOT.children()) {
      view.walk(root.get(child.name()), child, child.name(), Support.IMPLEMENTED);
    }
    return List.copyOf(view.out);
  }

  private void walk(Optional<ConfigNode> node, SchemaKey schema, String path, Support inherited) {
    Support support = inherited == Support.IMPLEMENTED ? schema.support() : inherited;
    boolean set = ConfigNode.isSet(node);
    switch (schema.kind()) {
      case SECTION, CHOICE -> {
        Optional<ConfigNode> mapping = node.filter(ConfigNode.Mapping.class::isInstance);
        if (set && mapping.isEmpty()) {
          flatten(node.get(), path, schema.secret(), support);
          return;
        }
        for (SchemaKey child : schema.children()) {
          Optional<ConfigNode> childNode =
              mapping.flatMap(m -> ((ConfigNode.Mapping) m).get(child.name()));
          if (child.variant() && childNode.isEmpty()) {
            continue;
          }
          if (child.variant() && childNode.get() instanceof ConfigNode.Null) {
            out.add(
                new EffectiveSetting(
                    path + "." + child.name(), "", childNode.get().origin(), true));
          }
          walk(childNode, child, path + "." + child.name(), support);
        }
      }
      case LIST, MAP, ANY -> {
        if (set) {
          flatten(node.get(), path, schema.secret(), support);
        }
      }
      default -> {
        if (set) {
          flatten(node.get(), path, schema.secret(), support);
        } else if (schema.defaultValue() != null
            && support == Support.IMPLEMENTED
            && schema.aliasOf() == null) {
          out.add(new EffectiveSetting(path, schema.defaultValue(), new Origin.Default(), true));
        }
      }
    }
  }

  private void flatten(ConfigNode node, String path, boolean secret, Support support) {
    boolean implemented = support == Support.IMPLEMENTED;
    switch (node) {
      case ConfigNode.Scalar s ->
          out.add(
              new EffectiveSetting(
                  path, secret ? Values.REDACTED : s.text(), s.origin(), implemented));
      case ConfigNode.Null n -> out.add(new EffectiveSetting(path, "", n.origin(), implemented));
      case ConfigNode.Sequence q -> {
        for (int i = 0; i < q.items().size(); i++) {
          flatten(q.items().get(i), path + "[" + i + "]", secret, support);
        }
      }
      case ConfigNode.Mapping m ->
          m.entries()
              .forEach(
                  (k, v) -> flatten(v, path + "." + k, secret || Values.looksSecret(k), support));
    }
  }

  /** Whether a schema kind holds one value. */
  static boolean isLeaf(Kind kind) {
    return kind.isScalar();
  }
}
