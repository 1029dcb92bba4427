package dev.berth.cli;

import dev.berth.config.ConfigurationException;
import dev.berth.config.ConfigurationLoader;
import dev.berth.config.LoadedConfiguration;
import dev.berth.config.Problem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Finds the configuration file the way the registry:2 image does: the command-line argument, then
 * {@code REGISTRY_CONFIGURATION_PATH}, then {@code /etc/docker/registry/config.yml} (registry:2)
 * and {@code /etc/distribution/config.yml} (registry:3) when they exist, unless {@code
 * BERTH_IGNORE_DEFAULT_PATHS=true}. When none applies, Berth runs on its built-in configuration.
 *
 * <p>The default paths belong to the container image. On a workstation they may hold another
 * registry's file (Debian's {@code docker-registry} package installs one, with htpasswd auth), so
 * {@code ./berth} sets {@code BERTH_IGNORE_DEFAULT_PATHS} when it is given no file.
 */
public final class ConfigLocator {

  /** The variable that names the configuration file, as in registry:2. */
  public static final String PATH_VARIABLE = "REGISTRY_CONFIGURATION_PATH";

  /** The variable that, set to {@code true}, turns the lookup of {@link #DEFAULT_PATHS} off. */
  public static final String IGNORE_DEFAULTS_VARIABLE = "BERTH_IGNORE_DEFAULT_PATHS";

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
    if ("true".equalsIgnoreCase(environment.getOrDefault(IGNORE_DEFAULTS_VARIABLE, "").strip())) {
      return Optional.empty();
    }
    return DEFAULT_PATHS.stream().filter(exists).findFirst();
  }

  /**
   * Loads the located file, or the built-in configuration when there is none.
   *
   * @throws ConfigurationException listing every problem found
   */
  static LoadedConfiguration load(Optional<Path> file, Map<String, String> environment) {
    return file.isPresent()
        ? ConfigurationLoader.fromFile(file.get(), environment)
        : ConfigurationLoader.withoutFile(environment);
  }

  /** Prints a configuration's problems, one line each. */
  static void printProblems(PrintWriter err, Optional<Path> file, ConfigurationException e) {
    err.println(
        "configuration "
            + file.map(Path::toString).orElse("(built-in)")
            + " has "
            + e.problems().size()
            + (e.problems().size() == 1 ? " problem:" : " problems:"));
    for (Problem problem : e.problems()) {
      err.println("  error: " + problem);
    }
    err.flush();
  }
}
