package dev.berth.cli;

import dev.berth.config.AuthSettings;
import dev.berth.config.Configuration;
import dev.berth.config.ConfigurationException;
import dev.berth.config.EffectiveSetting;
import dev.berth.config.LoadedConfiguration;
import dev.berth.config.Origin;
import dev.berth.http.RegistryServer;
import dev.berth.registry.DigestStates;
import dev.berth.registry.Registry;
import dev.berth.storage.driver.StorageDriver;
import dev.berth.storage.driver.StorageDrivers;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth serve [CONFIG]}: runs the registry until it is told to stop. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Serve the registry (configuration as registry:2's config.yml).")
public final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "CONFIG",
      description = "Configuration file; defaults to $REGISTRY_CONFIGURATION_PATH.")
  private @Nullable Path configPath;

  @Spec CommandSpec spec = CommandSpec.create();

  private final Map<String, String> environment;
  private final Predicate<Path> exists;

  /** The command as the CLI runs it, on the process environment. */
  public ServeCommand() {
    this(System.getenv(), Files::isRegularFile);
  }

  /**
   * The command on a given environment, for tests.
   *
   * @param environment the variables to read
   * @param exists whether a default configuration path exists
   */
  public ServeCommand(Map<String, String> environment, Predicate<Path> exists) {
    this.environment = Map.copyOf(environment);
    this.exists = exists;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Optional<Path> file =
        ConfigLocator.locate(
            Optional.ofNullable(configPath).map(Path::toString), environment, exists);
    LoadedConfiguration loaded;
    try {
      loaded = ConfigLocator.load(file, environment);
    } catch (ConfigurationException e) {
      ConfigLocator.printProblems(err, file, e);
      return ConfigCheckCommand.INVALID;
    }
    Configuration configuration = loaded.configuration();
    LoggingSetup.apply(configuration.log());
    // The start-up summary: every value that is not a default, secrets already redacted.
    LoggingEventBuilder summary =
        LOG.atInfo()
            .setMessage("configuration loaded")
            .addKeyValue("file", file.map(Path::toString).orElse("built-in"));
    for (EffectiveSetting setting : loaded.settings()) {
      if (!(setting.origin() instanceof Origin.Default)) {
        summary = summary.addKeyValue(setting.key(), setting.value());
      }
    }
    summary.log();
    for (String warning : loaded.warnings()) {
      LOG.atWarn().setMessage(warning).log();
    }
    if (!(configuration.auth() instanceof AuthSettings.None)) {
      // Serving an open registry to users who configured authentication would be worse than
      // not serving at all.
      err.println(
          "berth: the configuration enables auth."
              + configuration.auth().getClass().getSimpleName().toLowerCase(Locale.ROOT)
              + ", which this version does not implement; remove the auth section to serve"
              + " without authentication");
      err.flush();
      return ConfigCheckCommand.INVALID;
    }
    try (Running running = start(configuration)) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    LOG.atInfo().setMessage("shutting down").log();
                    running.close();
                  },
                  "berth-shutdown"));
      running.server().join();
    }
    return 0;
  }

  /** A started registry: its server and the driver to release when it stops. */
  public record Running(RegistryServer server, StorageDriver driver) implements AutoCloseable {
    @Override
    public void close() {
      try {
        server.close();
      } catch (Exception e) {
        LOG.atWarn().setMessage("failed to stop the server cleanly").setCause(e).log();
      } finally {
        driver.close();
      }
    }
  }

  /** Builds and starts a registry from a configuration. */
  public static Running start(Configuration configuration) throws Exception {
    StorageDriver driver = StorageDrivers.create(configuration.storage().driver());
    try {
      driver.checkAccess();
    } catch (RuntimeException e) {
      driver.close();
      throw e;
    }
    String secret = configuration.http().secret();
    if (secret == null || secret.isEmpty()) {
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      secret = Base64.getEncoder().encodeToString(random);
      LOG.atWarn()
          .setMessage(
              "http.secret is not set; using a random one for this process. Uploads that move"
                  + " between replicas will fail: set REGISTRY_HTTP_SECRET to the same value on"
                  + " every replica")
          .log();
    }
    RegistryServer server = new RegistryServer(configuration, Registry.over(driver), secret);
    try {
      server.start();
    } catch (Exception e) {
      driver.close();
      throw e;
    }
    LOG.atInfo()
        .setMessage("registry listening")
        .addKeyValue("http.addr", configuration.http().addr())
        .addKeyValue("port", server.port())
        .addKeyValue("driver", driver.name())
        .addKeyValue("storage.delete.enabled", configuration.storage().deleteEnabled())
        .addKeyValue("storage.redirect.disable", configuration.storage().redirectDisabled())
        .addKeyValue("digest.state.export", DigestStates.supported())
        .log();
    return new Running(server, driver);
  }
}
