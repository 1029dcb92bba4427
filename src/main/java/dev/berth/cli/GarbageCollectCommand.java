package dev.berth.cli;

import dev.berth.config.Configuration;
import dev.berth.config.ConfigurationException;
import dev.berth.config.GoDuration;
import dev.berth.registry.CacheStore;
import dev.berth.registry.GarbageCollector;
import dev.berth.registry.LookupCache;
import dev.berth.storage.driver.StorageDriver;
import dev.berth.storage.driver.StorageDrivers;
import dev.berth.storage.driver.StorageException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code berth garbage-collect [CONFIG]}: deletes the blobs no manifest needs, as {@code registry
 * garbage-collect} does, with the same flags. It works on the store directly, so it runs as its own
 * process (a Kubernetes CronJob, say) beside the serving replicas.
 */
@Command(
    name = "garbage-collect",
    mixinStandardHelpOptions = true,
    description = {
      "Deletes blobs that no manifest references (and with -m, manifests no tag leads to).",
      "Safe beside a serving registry: blobs and manifests younger than --min-age are kept."
    })
public final class GarbageCollectCommand implements Callable<Integer> {

  /** Exit status when the store could not be collected. */
  public static final int FAILED = 2;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "CONFIG",
      description = "The config.yml; default: $REGISTRY_CONFIGURATION_PATH or the image paths.")
  @Nullable String config;

  @Option(
      names = {"-d", "--dry-run"},
      description = "Log what would be deleted; delete nothing.")
  boolean dryRun;

  @Option(
      names = {"-m", "--delete-untagged"},
      description = "Also delete manifests that no tag leads to, with the blobs only they need.")
  boolean deleteUntagged;

  @Option(
      names = "--min-age",
      defaultValue = "1h",
      converter = DurationConverter.class,
      description =
          "Keep blobs and manifests younger than this (default: ${DEFAULT-VALUE}), so that pushes"
              + " in progress keep their layers; 0s when the registry is read-only meanwhile.")
  Duration minimumAge = Duration.ofHours(1);

  @Spec CommandSpec spec = CommandSpec.create();

  private final Map<String, String> environment;
  private final Predicate<Path> exists;

  /** The command as the CLI runs it, on the process environment. */
  public GarbageCollectCommand() {
    this(System.getenv(), Files::isRegularFile);
  }

  /**
   * The command on a given environment, for tests.
   *
   * @param environment the variables to read
   * @param exists whether a default configuration path exists
   */
  public GarbageCollectCommand(Map<String, String> environment, Predicate<Path> exists) {
    this.environment = Map.copyOf(environment);
    this.exists = exists;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<Path> file = ConfigLocator.locate(Optional.ofNullable(config), environment, exists);
    Configuration configuration;
    try {
      configuration = ConfigLocator.load(file, environment).configuration();
    } catch (ConfigurationException e) {
      ConfigLocator.printProblems(err, file, e);
      return ConfigCheckCommand.INVALID;
    }
    LoggingSetup.apply(configuration.log());
    GarbageCollector.Options options =
        new GarbageCollector.Options(dryRun, deleteUntagged, minimumAge);
    try (StorageDriver driver = StorageDrivers.create(configuration.storage().driver());
        CacheStore cache = Caches.open(configuration, new SimpleMeterRegistry())) {
      // What the collection deletes is dropped from the replicas' cache as it goes.
      GarbageCollector.Result result =
          new GarbageCollector(driver, options, Clock.systemUTC(), new LookupCache(cache))
              .collect();
      out.printf(
          "%s %d of %d blobs (%d bytes) and %d of %d manifests in %d repositories%n",
          dryRun ? "would delete" : "deleted",
          result.blobsDeleted(),
          result.blobs(),
          result.bytesDeleted(),
          result.manifestsDeleted(),
          result.manifests(),
          result.repositories());
      out.flush();
      return 0;
    } catch (StorageException | IOException e) {
      err.println("berth: garbage collection failed: " + e.getMessage());
      err.flush();
      return FAILED;
    }
  }

  /**
   * Reads {@code --min-age} as registry:2 writes durations: {@code 30m}, {@code 1h30m}, {@code 0}.
   */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return GoDuration.parse(value)
          .orElseThrow(
              () ->
                  new TypeConversionException(
                      "'" + value + "' is no duration; write it as 30m, 1h30m or 0"));
    }
  }
}
