package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.berth.config.UploadPurging;
import dev.berth.oci.RepositoryName;
import dev.berth.storage.driver.FileWriter;
import dev.berth.storage.driver.PathNotFoundException;
import dev.berth.storage.driver.StorageDriver;
import dev.berth.storage.driver.filesystem.FilesystemDriver;
import dev.berth.storage.driver.s3.S3Driver;
import dev.berth.storage.driver.s3.S3ProxyServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class UploadPurgerTest {

  @RegisterExtension static final S3ProxyServer S3 = S3ProxyServer.filesystem();

  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final RepositoryName REPO = RepositoryName.of("team/app");

  @TempDir Path dir;

  private static UploadPurging purging(boolean dryRun) {
    return new UploadPurging(true, Duration.ofHours(168), Duration.ofHours(24), dryRun);
  }

  private static void upload(StorageDriver driver, String id, Instant startedAt, byte[] data) {
    driver.putContent(
        RegistryPaths.uploadStartedAt(REPO, id),
        startedAt.toString().getBytes(StandardCharsets.UTF_8));
    driver.putContent(RegistryPaths.uploadData(REPO, id), data);
  }

  private static boolean exists(StorageDriver driver, String path) {
    try {
      driver.stat(path);
      return true;
    } catch (PathNotFoundException e) {
      return false;
    }
  }

  @Test
  void purge_filesystem_removesOnlyUploadsOlderThanTheAgeAndLogsOnce() {
    try (FilesystemDriver driver = new FilesystemDriver(dir)) {
      upload(driver, "old-one", NOW.minus(Duration.ofDays(8)), new byte[1000]);
      upload(driver, "old-two", NOW.minus(Duration.ofDays(30)), new byte[24]);
      upload(driver, "fresh", NOW.minus(Duration.ofHours(1)), new byte[5]);
      driver.putContent(
          RegistryPaths.layerLink(REPO, digest()), "x".getBytes(StandardCharsets.UTF_8));
      ListAppender<ILoggingEvent> log = capture();
      UploadPurger.Result result;
      try (UploadPurger purger = new UploadPurger(driver, purging(false), CLOCK)) {
        result = purger.purge();
      } finally {
        release(log);
      }

      assertThat(result).isEqualTo(new UploadPurger.Result(3, 2, 1024, 0, false));
      assertThat(exists(driver, RegistryPaths.upload(REPO, "old-one"))).isFalse();
      assertThat(exists(driver, RegistryPaths.upload(REPO, "old-two"))).isFalse();
      assertThat(exists(driver, RegistryPaths.uploadData(REPO, "fresh"))).isTrue();
      assertThat(exists(driver, RegistryPaths.layerLink(REPO, digest()))).isTrue();
      List<ILoggingEvent> infos =
          log.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.INFO).toList();
      assertThat(infos)
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getMessage()).isEqualTo("upload purge finished");
                assertThat(e.getKeyValuePairs().toString())
                    .contains("uploads.purged=\"2\"")
                    .contains("bytes.purged=\"1024\"");
              });
    }
  }

  @Test
  void purge_dryRun_keepsEverythingAndReportsWhatItWouldRemove() {
    try (FilesystemDriver driver = new FilesystemDriver(dir)) {
      upload(driver, "old", NOW.minus(Duration.ofDays(8)), new byte[100]);

      UploadPurger.Result result;
      try (UploadPurger purger = new UploadPurger(driver, purging(true), CLOCK)) {
        result = purger.purge();
      }

      assertThat(result).isEqualTo(new UploadPurger.Result(1, 1, 100, 0, true));
      assertThat(exists(driver, RegistryPaths.uploadData(REPO, "old"))).isTrue();
    }
  }

  @Test
  void purge_emptyStore_findsNothing() {
    try (FilesystemDriver driver = new FilesystemDriver(dir);
        UploadPurger purger = new UploadPurger(driver, purging(false), CLOCK)) {
      assertThat(purger.purge()).isEqualTo(new UploadPurger.Result(0, 0, 0, 0, false));
    }
  }

  @Test
  void purge_s3_abortsTheMultipartUploadOfAnAbandonedUpload() {
    S3.createBucket("purge");
    try (S3Driver driver = S3Driver.create(S3.settings("purge", "/root"))) {
      String data = RegistryPaths.uploadData(REPO, "abandoned");
      driver.putContent(
          RegistryPaths.uploadStartedAt(REPO, "abandoned"),
          NOW.minus(Duration.ofDays(10)).toString().getBytes(StandardCharsets.UTF_8));
      try (FileWriter writer = driver.writer(data, false)) {
        writer.write(ByteBuffer.wrap(new byte[11 * 1024 * 1024]));
      }
      assertThat(S3.client().listMultipartUploads(b -> b.bucket("purge")).uploads()).isNotEmpty();

      UploadPurger.Result result;
      try (UploadPurger purger = new UploadPurger(driver, purging(false), CLOCK)) {
        result = purger.purge();
      }

      assertThat(result.removed()).isEqualTo(1);
      assertThat(result.bytes()).isEqualTo(11L * 1024 * 1024);
      assertThat(S3.client().listMultipartUploads(b -> b.bucket("purge")).uploads()).isEmpty();
      assertThat(S3.client().listObjectsV2(b -> b.bucket("purge").prefix("root/")).contents())
          .isEmpty();
    }
  }

  private static dev.berth.oci.Digest digest() {
    return dev.berth.oci.Digest.parse("sha256:" + "b".repeat(64));
  }

  private static ListAppender<ILoggingEvent> capture() {
    Logger logger = (Logger) LoggerFactory.getLogger(UploadPurger.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    return appender;
  }

  private static void release(ListAppender<ILoggingEvent> appender) {
    ((Logger) LoggerFactory.getLogger(UploadPurger.class)).detachAppender(appender);
  }
}
