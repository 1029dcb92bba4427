package dev.berth.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Finds the configuration file the way the registry:2 image does: the command-line argument, then
 * {@code REGISTRY_CONFIGURATION_PATH}, then {@code /etc/docker/registry/config.yml} (registry:2)
 * and {@code /etc/distribution/config.yml} (registry:3) when they exist. When none applies, Berth
 * runs on its built-in configuration.
 */
public final class ConfigLocator {

  /** The variable that names the configuration file, as in registry:2. */
  public static final String PATH_VARIABLE = "REGISTRY_CONFIGURATION_PATH";

  /** The default file locations, tried in order. */
  public static final List<Path> DEFAULT_PATHS =
      List.of(Path.of("/etc/docker/registry/config.yml"), Path.of("/etc/distribution/config.yml"));

  private ConfigLocator() {}

  /**
   * Resolves the configuration file.
   *
   * @param argument the file named on the command line, or empty
   * @param environment the process environment
   * @param exists whether a default path exists (tests pass their own)
   * @return the file to load, or empty to use the built-in configuration
   */
  public static Optional<Path> locate(
      Optional<String> argument, Map<String, String> environment, Predicate<Path> exists) {
    if (argument.isPresent() && !argument.get().isBlank()) {
      return Optional.of(Path.of(argument.get()));
    }
    String variable = environment.get(PATH_VARIABLE);
    if (variable != null && !variable.isBlank()) {
      return Optional.of(Path.of(variable.strip()));
    }
    return DEFAULT_PATHS.stream().filter(exists).findFirst();
  }
}
