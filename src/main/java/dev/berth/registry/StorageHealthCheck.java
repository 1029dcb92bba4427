package dev.berth.registry;

import dev.berth.storage.driver.PathNotFoundException;
import dev.berth.storage.driver.StorageDriver;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks periodically that the store answers ({@code health.storagedriver}): it lists the layout's
 * root, where a missing root (an empty store) is fine and any other failure counts. After {@code
 * threshold} failures in a row the store is unhealthy; one success makes it healthy again.
 * Readiness reads the last result, so probes never wait for the store.
 */
public final class StorageHealthCheck implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StorageHealthCheck.class);

  private final StorageDriver driver;
  private final Duration interval;
  private final int threshold;
  private final ScheduledExecutorService scheduler;
  private int failures;
  private volatile @Nullable String problem;

  /**
   * Creates the check; {@link #start()} schedules it. The store counts as healthy until a check
   * fails, since start-up has just checked it.
   *
   * @param driver the store
   * @param interval the time between checks
   * @param threshold the failures in a row that make the store unhealthy (at least 1)
   */
  public StorageHealthCheck(StorageDriver driver, Duration interval, int threshold) {
    this.driver = driver;
    this.interval = interval;
    this.threshold = Math.max(1, threshold);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "berth-storage-health");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Checks every interval from now on. */
  public void start() {
    long millis = Math.max(1, interval.toMillis());
    var unused =
        scheduler.scheduleWithFixedDelay(this::check, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Runs one check now and updates the state. */
  public synchronized void check() {
    try {
      try {
        driver.list(RegistryPaths.ROOT);
      } catch (PathNotFoundException empty) {
        // A store nothing was pushed to yet is reachable.
      }
      if (problem != null) {
        LOG.atInfo().setMessage("storage reachable again").addKeyValue("driver", name()).log();
      }
      failures = 0;
      problem = null;
    } catch (RuntimeException e) {
      failures++;
      if (failures >= threshold && problem == null) {
        LOG.atWarn()
            .setMessage("storage unreachable; the registry is not ready")
            .addKeyValue("driver", name())
            .addKeyValue("failures", failures)
            .addKeyValue("error", String.valueOf(e.getMessage()))
            .log();
      }
      if (failures >= threshold) {
        problem = "storage driver " + name() + " failed: " + e.getMessage();
      }
    }
  }

  /** The driver's name. */
  public String name() {
    return driver.name();
  }

  /** Why the store is unhealthy, or empty while it is healthy. */
  public Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  /** Stops checking. */
  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
