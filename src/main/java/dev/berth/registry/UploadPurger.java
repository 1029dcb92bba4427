package dev.berth.registry;

import dev.berth.config.UploadPurging;
import dev.berth.storage.driver.FileInfo;
import dev.berth.storage.driver.FileWriter;
import dev.berth.storage.driver.PathNotFoundException;
import dev.berth.storage.driver.StorageDriver;
import dev.berth.storage.driver.StorageException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes abandoned uploads ({@code storage.maintenance.uploadpurging}): every {@code interval} it
 * walks {@code repositories/<name>/_uploads/<id>}, reads each upload's {@code startedat} and
 * deletes the uploads older than {@code age} with everything below them. Deleting the directory
 * also aborts an S3 multipart upload in progress there, so nothing stays billed. Each run writes
 * one INFO event saying how many uploads and bytes it removed (or, in a dry run, would have
 * removed).
 *
 * <p>Uploads are resumable across replicas, so an upload is judged by its start time in the store
 * and never by whether this process knows it.
 */
public final class UploadPurger implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UploadPurger.class);
  private static final String UPLOADS = "_uploads";

  /** Spreads the first runs of replicas started together over at most this long. */
  private static final Duration MAX_FIRST_DELAY = Duration.ofMinutes(60);

  private final StorageDriver driver;
  private final UploadPurging settings;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;

  /**
   * What one run found and did.
   *
   * @param scanned the uploads found
   * @param removed the uploads older than the age (deleted unless it was a dry run)
   * @param bytes the data bytes of those uploads, as far as the store reports them
   * @param failed the uploads that could not be judged or deleted; the next run tries again
   * @param dryRun whether nothing was deleted
   */
  public record Result(int scanned, int removed, long bytes, int failed, boolean dryRun) {}

  /**
   * Creates a purger; {@link #start()} schedules it.
   *
   * @param driver the store
   * @param settings age, interval and dry run
   * @param clock the clock that decides what is old
   */
  public UploadPurger(StorageDriver driver, UploadPurging settings, Clock clock) {
    this.driver = driver;
    this.settings = settings;
    this.clock = clock;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "berth-upload-purger");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Schedules runs every {@code interval}, the first after a random delay of at most the interval
   * (and an hour), so that replicas started together do not walk the store at the same moment. Does
   * nothing when purging is disabled.
   */
  public void start() {
    if (!settings.enabled()) {
      LOG.atInfo().setMessage("upload purging disabled").log();
      return;
    }
    long interval = Math.max(1, settings.interval().toMillis());
    long firstDelay =
        ThreadLocalRandom.current().nextLong(Math.min(interval, MAX_FIRST_DELAY.toMillis()) + 1);
    var unused =
        scheduler.scheduleWithFixedDelay(
            this::runSafely, firstDelay, interval, TimeUnit.MILLISECONDS);
    LOG.atInfo()
        .setMessage("upload purging scheduled")
        .addKeyValue("age", settings.age())
        .addKeyValue("interval", settings.interval())
        .addKeyValue("dryrun", settings.dryRun())
        .addKeyValue("first.delay.ms", firstDelay)
        .log();
  }

  private void runSafely() {
    try {
      purge();
    } catch (RuntimeException e) {
      // A failed run must not cancel the schedule: the next one tries again.
      LOG.atWarn().setMessage("failed to purge uploads").setCause(e).log();
    }
  }

  /** Runs one purge now and logs its summary. */
  public Result purge() {
    long start = System.nanoTime();
    Instant cutoff = clock.instant().minus(settings.age());
    List<String> uploads = findUploads();
    int removed = 0;
    int failed = 0;
    long bytes = 0;
    for (String upload : uploads) {
      try {
        Optional<Instant> startedAt = startedAt(upload);
        if (startedAt.isEmpty()) {
          failed++;
          continue;
        }
        if (!startedAt.get().isBefore(cutoff)) {
          continue;
        }
        bytes += dataSize(upload);
        if (!settings.dryRun()) {
          delete(upload);
        }
        removed++;
        LOG.atDebug()
            .setMessage(settings.dryRun() ? "upload would be purged" : "upload purged")
            .addKeyValue("upload.path", upload)
            .addKeyValue("startedat", startedAt.get())
            .log();
      } catch (StorageException e) {
        failed++;
        LOG.atWarn()
            .setMessage("failed to purge upload")
            .addKeyValue("upload.path", upload)
            .setCause(e)
            .log();
      }
    }
    Result result = new Result(uploads.size(), removed, bytes, failed, settings.dryRun());
    LOG.atInfo()
        .setMessage(settings.dryRun() ? "upload purge dry run finished" : "upload purge finished")
        .addKeyValue("uploads.scanned", result.scanned())
        .addKeyValue(settings.dryRun() ? "uploads.purgeable" : "uploads.purged", result.removed())
        .addKeyValue(settings.dryRun() ? "bytes.purgeable" : "bytes.purged", result.bytes())
        .addKeyValue("uploads.failed", result.failed())
        .addKeyValue("age", settings.age())
        .addKeyValue("duration.ms", (System.nanoTime() - start) / 1_000_000)
        .log();
    return result;
  }

  /** The directories {@code repositories/<name>/_uploads/<id>}, found in one walk. */
  private List<String> findUploads() {
    List<String> uploads = new ArrayList<>();
    try {
      driver.walk(
          RegistryPaths.REPOSITORIES,
          info -> {
            if (!info.directory()) {
              return false;
            }
            String path = info.path();
            String name = path.substring(path.lastIndexOf('/') + 1);
            String parent = path.substring(0, path.lastIndexOf('/'));
            if (parent.endsWith("/" + UPLOADS)) {
              uploads.add(path);
              return false;
            }
            // Layers, manifests and referrers hold no uploads: skip their (large) trees.
            return !name.startsWith("_") || name.equals(UPLOADS);
          });
    } catch (PathNotFoundException empty) {
      // No repository yet.
    }
    return uploads;
  }

  /** When the upload started; its data's modification time when {@code startedat} is unreadable. */
  private Optional<Instant> startedAt(String upload) {
    try {
      String text = new String(driver.getContent(upload + "/startedat"), StandardCharsets.UTF_8);
      return Optional.of(Instant.parse(text.strip()));
    } catch (PathNotFoundException | DateTimeParseException e) {
      try {
        FileInfo data = driver.stat(upload + "/data");
        return data.directory() ? Optional.empty() : Optional.of(data.modified());
      } catch (PathNotFoundException none) {
        LOG.atWarn()
            .setMessage("failed to read the start time of an upload; it is kept")
            .addKeyValue("upload.path", upload)
            .log();
        return Optional.empty();
      }
    }
  }

  /** The bytes the upload holds: its data file, or what an object store keeps in parts. */
  private long dataSize(String upload) {
    String data = upload + "/data";
    try {
      return driver.stat(data).size();
    } catch (PathNotFoundException notVisible) {
      if (settings.dryRun()) {
        return 0; // opening a writer could create the file; a dry run changes nothing
      }
      try (FileWriter writer = driver.writer(data, true)) {
        return writer.size();
      }
    }
  }

  private void delete(String upload) {
    try {
      driver.delete(upload);
    } catch (PathNotFoundException gone) {
      // Completed or purged by another replica meanwhile.
    }
  }

  /** Stops the schedule; a run in progress is interrupted between uploads at the latest. */
  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
