package dev.berth.cli;

import dev.berth.config.ConfigurationException;
import dev.berth.config.EffectiveSetting;
import dev.berth.config.LoadedConfiguration;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth config check [CONFIG]}: loads the configuration exactly as {@code serve} would and
 * prints every effective value with where it came from, secrets redacted. Exits 1 with one line per
 * problem when the configuration is not usable.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Validates the configuration and prints the effective values with their origin"
          + " (file, variable, default). Secrets are redacted.",
      "Exits 1 and lists every problem when the configuration is invalid."
    })
public final class ConfigCheckCommand implements Callable<Integer> {

  /** Exit status when the configuration has problems. */
  public static final int INVALID = 1;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "CONFIG",
      description = "The config.yml; default: $REGISTRY_CONFIGURATION_PATH or the image paths.")
  @Nullable String config;

  @Spec CommandSpec spec;

  private final Map<String, String> environment;
  private final Predicate<Path> exists;

  /** The command as the CLI runs it, on the process environment. */
  public ConfigCheckCommand() {
    this(System.getenv(), Files::isRegularFile);
  }

  /**
   * The command on a given environment, for tests.
   *
   * @param environment the variables to read
   * @param exists whether a default configuration path exists
   */
  public ConfigCheckCommand(Map<String, String> environment, Predicate<Path> exists) {
    this.environment = Map.copyOf(environment);
    this.exists = exists;
    this.spec = CommandSpec.create();
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<Path> file = ConfigLocator.locate(Optional.ofNullable(config), environment, exists);
    LoadedConfiguration loaded;
    try {
      loaded = ConfigLocator.load(file, environment);
    } catch (ConfigurationException e) {
      ConfigLocator.printProblems(err, file, e);
      return INVALID;
    }
    out.println("# configuration: " + file.map(Path::toString).orElse("built-in (no file found)"));
    int width = loaded.settings().stream().mapToInt(s -> s.key().length()).max().orElse(0);
    for (EffectiveSetting setting : loaded.settings()) {
      out.println(
          String.format(
              "%-" + width + "s  %s  # %s%s",
              setting.key(),
              setting.value().isEmpty() ? "\"\"" : setting.value(),
              setting.origin().describe(),
              setting.implemented() ? "" : ", not implemented yet"));
    }
    for (String warning : loaded.warnings()) {
      err.println("warning: " + warning);
    }
    out.flush();
    err.flush();
    return 0;
  }
}
