package dev.berth.config;

import dev.berth.config.SchemaKey.Support;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads Berth's configuration the way registry:2 does: the YAML file (or Berth's built-in
 * configuration when there is none), then the {@code REGISTRY_*} environment overlay, then
 * validation and binding into {@link Configuration}. Every problem is collected before failing.
 *
 * <p>Typical use, with {@code ConfigLocator} from the command line layer:
 *
 * <pre>{@code
 * Optional<Path> file = ConfigLocator.locate(argument, System.getenv(), Files::isRegularFile);
 * LoadedConfiguration loaded = file.isPresent()
 *     ? ConfigurationLoader.fromFile(file.get(), System.getenv())
 *     : ConfigurationLoader.withoutFile(System.getenv());
 * }</pre>
 */
public final class ConfigurationLoader {

  private ConfigurationLoader() {}

  /**
   * Loads a configuration file and overlays {@code environment}.
   *
   * @param file the {@code config.yml} to read
   * @param environment the process environment; only {@code REGISTRY_*} entries are read
   * @return the configuration, its warnings and its effective values
   * @throws ConfigurationException listing every problem found
   */
  public static LoadedConfiguration fromFile(Path file, Map<String, String> environment) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw single(file, "the configuration file does not exist");
    } catch (IOException e) {
      throw single(file, "failed to read the configuration file: " + e.getMessage());
    }
    ConfigNode tree;
    try {
      tree = YamlTrees.parse(text, line -> new Origin.File(file, line));
    } catch (YamlTrees.MalformedYamlException e) {
      throw single(file, "is not valid YAML: " + e.getMessage());
    }
    ConfigNode.Mapping root;
    if (tree instanceof ConfigNode.Mapping mapping) {
      root = mapping;
    } else if (tree instanceof ConfigNode.Null) {
      root = new ConfigNode.Mapping(new Origin.File(file, 1));
    } else {
      throw single(file, "must be a YAML map of settings, not " + ConfigNode.kindOf(tree));
    }
    return load(root, environment, true);
  }

  /**
   * Loads Berth's built-in configuration (listen on {@code :5000}, filesystem storage under {@code
   * ./data}) and overlays {@code environment}; used when no configuration file exists.
   *
   * @param environment the process environment; only {@code REGISTRY_*} entries are read
   * @return the configuration, its warnings and its effective values
   * @throws ConfigurationException listing every problem found
   */
  public static LoadedConfiguration withoutFile(Map<String, String> environment) {
    var origin = new Origin.Builtin();
    var root = new ConfigNode.Mapping(origin);
    root.put("version", new ConfigNode.Scalar("0.1", origin));
    var storage = new ConfigNode.Mapping(origin);
    var filesystem = new ConfigNode.Mapping(origin);
    filesystem.put("rootdirectory", new ConfigNode.Scalar("data", origin));
    storage.put("filesystem", filesystem);
    root.put("storage", storage);
    var http = new ConfigNode.Mapping(origin);
    http.put("addr", new ConfigNode.Scalar(":5000", origin));
    root.put("http", http);
    return load(root, environment, false);
  }

  private static LoadedConfiguration load(
      ConfigNode.Mapping root, Map<String, String> environment, boolean fromFile) {
    List<Problem> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Canonicalizer.canonicalize(root, ConfigSchema.ROOT);
    EnvironmentOverlay.apply(root, environment, problems, warnings);
    List<TreeChecker.Inactive> inactive = TreeChecker.check(root, problems);
    Configuration configuration =
        new ConfigurationBinder(new TreeReader(root), problems, warnings).bind(fromFile);
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    for (TreeChecker.Inactive setting : inactive) {
      warnings.add(describe(setting));
    }
    return new LoadedConfiguration(configuration, warnings, EffectiveView.of(root));
  }

  private static String describe(TreeChecker.Inactive setting) {
    String where = " (" + setting.origin().describe() + ")";
    if (setting.support() == Support.OBSOLETE) {
      return setting.path()
          + where
          + " is a registry:2 2.x setting that registry 3 removed;"
          + " it has no effect in Berth";
    }
    return setting.path()
        + where
        + " is set but has no effect yet: this version of Berth does"
        + " not implement it"
        + NotYetImplemented.consequence(setting.path());
  }

  private static ConfigurationException single(Path file, String message) {
    return new ConfigurationException(List.of(new Problem(file.toString(), message)));
  }
}
