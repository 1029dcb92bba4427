package dev.berth.cli;

import dev.berth.config.AuthSettings;
import dev.berth.config.Configuration;
import dev.berth.config.ConfigurationException;
import dev.berth.config.DebugSettings;
import dev.berth.config.EffectiveSetting;
import dev.berth.config.HealthSettings;
import dev.berth.config.LoadedConfiguration;
import dev.berth.config.Origin;
import dev.berth.http.DebugServer;
import dev.berth.http.Health;
import dev.berth.http.Operations;
import dev.berth.http.RegistryServer;
import dev.berth.registry.CacheStore;
import dev.berth.registry.DigestStates;
import dev.berth.registry.LookupCache;
import dev.berth.registry.Registry;
import dev.berth.registry.SecretFingerprintCheck;
import dev.berth.registry.StorageHealthCheck;
import dev.berth.registry.UploadPurger;
import dev.berth.registry.UploadToken;
import dev.berth.storage.driver.InstrumentedDriver;
import dev.berth.storage.driver.StorageDriver;
import dev.berth.storage.driver.StorageDrivers;
import dev.berth.storage.driver.StorageException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
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

  /** Exit status when the registry cannot start: storage unusable or the address taken. */
  public static final int FAILED_TO_START = 1;

  private static final String AWS_SDK = "software.amazon.";

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "CONFIG",
      description = "Configuration file; defaults to $REGISTRY_CONFIGURATION_PATH.")
  private @Nullable Path configPath;

  /** Filled in by picocli; null when {@link Main} runs the command without it. */
  @Spec @Nullable CommandSpec spec;

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

  /** The command for {@code serve CONFIG}, as picocli would set it up. */
  ServeCommand withConfigPath(@Nullable Path path) {
    this.configPath = path;
    return this;
  }

  @Nullable Path configPath() {
    return configPath;
  }

  @Override
  public Integer call() throws Exception {
    CompletableFuture<PrometheusMeterRegistry> meters = prepareInBackground();
    PrintWriter err =
        spec == null
            ? new PrintWriter(System.err, true, Charset.defaultCharset())
            : spec.commandLine().getErr();
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
    Running running;
    try {
      running = start(configuration, meters.join());
    } catch (StorageException | IOException e) {
      // The store unreachable or refusing, the port taken: what the operator has to fix, in one
      // line instead of a stack trace.
      String reason = oneLine(e);
      LOG.atError().setMessage("failed to start").addKeyValue("error", reason).log();
      LOG.atDebug().setMessage("failed to start").setCause(e).log();
      err.println("berth: failed to start: " + reason);
      err.flush();
      return FAILED_TO_START;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(running), "berth-shutdown"));
    running.server().join();
    // The server stopped because the shutdown hook closed it (SIGTERM, SIGINT) or because the
    // JVM is exiting: either way the hook finishes the drain and ends the process with status 0.
    running.close();
    return 0;
  }

  /**
   * An exception and its causes as one line, each message once. The AWS SDK's exceptions are left
   * out: the s3 driver's message already says in words what they did (and the DEBUG log has them).
   */
  static String oneLine(Throwable e) {
    StringBuilder line = new StringBuilder();
    // Bounded: a cause chain is short, and a cycle must not loop forever.
    Throwable t = e;
    for (int depth = 0;
        t != null && depth < 10 && (depth == 0 || !t.getClass().getName().startsWith(AWS_SDK));
        depth++, t = t.getCause()) {
      String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (line.indexOf(message) < 0) {
        line.append(line.isEmpty() ? "" : "; caused by: ").append(message);
      }
    }
    return line.toString().replace('\n', ' ');
  }

  /**
   * The shutdown hook: drains, releases everything and halts with status 0. Without the halt a JVM
   * ended by SIGTERM exits with 143 once its hooks are done, and Kubernetes would record a clean
   * rolling update as a failure.
   */
  private static void stop(Running running) {
    LOG.atInfo().setMessage("shutting down").log();
    running.close();
    LOG.atInfo().setMessage("stopped").log();
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(0);
  }

  /**
   * Starts what does not depend on the configuration on a second thread while the configuration
   * loads: the meter registry with its JVM meters, and Jetty's table of MIME types, whose set-up
   * lists every locale of the JDK. Together a fifth of the time to the first answered request; with
   * one core it only changes the order.
   */
  private static CompletableFuture<PrometheusMeterRegistry> prepareInBackground() {
    return CompletableFuture.supplyAsync(
        () -> {
          RegistryServer.prepare();
          return Metrics.create();
        },
        task -> Thread.ofPlatform().daemon().name("berth-prepare").start(task));
  }

  /** Builds and starts a registry from a configuration. */
  public static Running start(Configuration configuration) throws Exception {
    return start(configuration, Metrics.create());
  }

  private static Running start(Configuration configuration, PrometheusMeterRegistry meters)
      throws Exception {
    StorageDriver driver =
        new InstrumentedDriver(StorageDrivers.create(configuration.storage().driver()), meters);
    List<AutoCloseable> background = new ArrayList<>();
    background.add(meters::close);
    try {
      driver.checkAccess();
      String secret = secret(configuration);
      if (secret.equals(configuration.http().secret())) {
        // A random per-process secret differs by design: comparing it would only cry wolf.
        new SecretFingerprintCheck(driver, Clock.systemUTC(), replicaName())
            .run(new UploadToken(secret), configuration.storage().readOnly());
      }
      HealthSettings.StorageDriverCheck check = configuration.health().storageDriver();
      StorageHealthCheck storageHealth =
          new StorageHealthCheck(driver, check.interval(), check.threshold());
      background.add(storageHealth);
      storageHealth.start();
      Operations operations =
          Operations.over(Health.withStorage(storageHealth, check.enabled()), meters);
      CacheStore cache = Caches.open(configuration, meters);
      background.add(cache);
      Registry registry = Registry.over(driver, new LookupCache(cache));
      background.add(Metrics.bind(meters, registry));
      if (configuration.storage().readOnly()) {
        // As in registry:2: a read-only registry changes nothing in the store, not even uploads.
        LOG.atWarn()
            .setMessage("read-only mode: pushes and deletes are refused, upload purging is off")
            .log();
      } else {
        UploadPurger purger =
            new UploadPurger(driver, configuration.storage().uploadPurging(), Clock.systemUTC());
        background.add(purger);
        purger.start();
      }
      DebugServer debug = startDebugServer(configuration, operations, background);
      RegistryServer server = new RegistryServer(configuration, registry, secret, operations);
      server.start();
      LOG.atInfo()
          .setMessage("registry listening")
          .addKeyValue("http.addr", configuration.http().addr())
          .addKeyValue("port", server.port())
          .addKeyValue("driver", driver.name())
          .addKeyValue("storage.delete.enabled", configuration.storage().deleteEnabled())
          .addKeyValue("storage.redirect.disable", configuration.storage().redirectDisabled())
          .addKeyValue("storage.maintenance.readonly.enabled", configuration.storage().readOnly())
          .addKeyValue("digest.state.export", DigestStates.supported())
          .addKeyValue("cache", Caches.describe(configuration))
          .log();
      return new Running(server, driver, operations, debug, background);
    } catch (Exception e) {
      closeAll(background);
      driver.close();
      throw e;
    }
  }

  private static String secret(Configuration configuration) {
    String secret = configuration.http().secret();
    if (secret != null && !secret.isEmpty()) {
      return secret;
    }
    // The configuration's warnings already said what a missing secret means for replicas (on
    // shared storage; with inmemory storage there is nothing to share).
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    return Base64.getEncoder().encodeToString(random);
  }

  /** This replica as the fingerprint record names it: the host name (the pod's) and the pid. */
  private static String replicaName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown-host";
    }
    return host + " pid " + ProcessHandle.current().pid();
  }

  private static @Nullable DebugServer startDebugServer(
      Configuration configuration, Operations operations, List<AutoCloseable> background)
      throws Exception {
    DebugSettings settings = configuration.http().debug();
    Optional<String> address = settings.address();
    if (address.isEmpty()) {
      return null;
    }
    DebugServer debug = new DebugServer(settings, address.get(), operations);
    background.add(debug);
    debug.start();
    LOG.atInfo()
        .setMessage("debug server listening")
        .addKeyValue("http.debug.addr", address.get())
        .addKeyValue("port", debug.port())
        .addKeyValue("metrics.path", settings.prometheusPath())
        .log();
    return debug;
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        LOG.atWarn().setMessage("failed to release a resource at shutdown").setCause(e).log();
      }
    }
  }

  /** A started registry: its server, its operator endpoints, and what to release when it stops. */
  public static final class Running implements AutoCloseable {
    private final RegistryServer server;
    private final StorageDriver driver;
    private final Operations operations;
    private final @Nullable DebugServer debug;
    private final List<AutoCloseable> background;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Running(
        RegistryServer server,
        StorageDriver driver,
        Operations operations,
        @Nullable DebugServer debug,
        List<AutoCloseable> background) {
      this.server = server;
      this.driver = driver;
      this.operations = operations;
      this.debug = debug;
      this.background = List.copyOf(background);
    }

    /** The registry's HTTP server. */
    public RegistryServer server() {
      return server;
    }

    /** The storage driver, instrumented. */
    public StorageDriver driver() {
      return driver;
    }

    /** Readiness and metrics. */
    public Operations operations() {
      return operations;
    }

    /** The debug server's port, when {@code http.debug.addr} is set. */
    public OptionalInt debugPort() {
      return debug == null ? OptionalInt.empty() : OptionalInt.of(debug.port());
    }

    /**
     * Drains and stops the server (readiness off first, requests in flight finish within {@code
     * http.draintimeout}), then stops the background tasks and the debug server and releases the
     * driver. Only the first call does anything.
     */
    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      try {
        server.close();
      } catch (Exception e) {
        LOG.atWarn().setMessage("failed to stop the server cleanly").setCause(e).log();
      } finally {
        closeAll(background);
        driver.close();
      }
    }
  }
}
