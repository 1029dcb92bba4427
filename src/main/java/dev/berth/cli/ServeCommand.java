package dev.berth.cli;

import dev.berth.config.Configuration;
import dev.berth.config.StorageSettings;
import dev.berth.http.RegistryServer;
import dev.berth.registry.DigestStates;
import dev.berth.registry.Registry;
import dev.berth.storage.driver.StorageDriver;
import dev.berth.storage.driver.filesystem.FilesystemDriver;
import dev.berth.storage.driver.inmemory.InMemoryDriver;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

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

  @Override
  public Integer call() throws Exception {
    if (configPath != null) {
      System.err.println(
          "berth: configuration files are not read by this build yet: " + configPath);
      return 2;
    }
    Configuration configuration = Configuration.defaults();
    LoggingSetup.apply(configuration.log());
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
    StorageDriver driver = driver(configuration.storage().driver());
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

  private static StorageDriver driver(StorageSettings.Driver settings) {
    return switch (settings) {
      case StorageSettings.Filesystem filesystem ->
          new FilesystemDriver(filesystem.rootDirectory());
      case StorageSettings.InMemory inMemory -> new InMemoryDriver();
      case StorageSettings.S3 s3 ->
          throw new IllegalArgumentException("the s3 driver is not built in yet");
    };
  }
}
