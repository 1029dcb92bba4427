package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.berth.storage.driver.PathNotFoundException;
import dev.berth.storage.driver.StorageDriver;
import dev.berth.storage.driver.filesystem.FilesystemDriver;
import dev.berth.storage.driver.inmemory.InMemoryDriver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

class SecretFingerprintCheckTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
  private static final String SECRET = "shared-secret-of-the-replicas";

  @TempDir Path dir;

  static Stream<String> drivers() {
    return Stream.of("inmemory", "filesystem");
  }

  private StorageDriver driver(String name) {
    return name.equals("inmemory") ? new InMemoryDriver() : new FilesystemDriver(dir);
  }

  private static SecretFingerprintCheck.Outcome start(
      StorageDriver driver, String host, String secret, boolean readOnly) {
    return new SecretFingerprintCheck(driver, CLOCK, host).run(new UploadToken(secret), readOnly);
  }

  private static String record(StorageDriver driver) {
    return new String(driver.getContent(RegistryPaths.secretFingerprint()), StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @MethodSource("drivers")
  void run_emptyStore_recordsTheFingerprintButNeverTheSecret(String name) {
    try (StorageDriver driver = driver(name)) {
      ListAppender<ILoggingEvent> log = capture();
      try {
        assertThat(start(driver, "replica-a", SECRET, false))
            .isInstanceOf(SecretFingerprintCheck.Outcome.First.class);
      } finally {
        release(log);
      }

      String record = record(driver);
      assertThat(record)
          .contains("fingerprint=" + new UploadToken(SECRET).fingerprint())
          .contains("host=replica-a")
          .contains("recordedat=2026-01-02T03:04:05Z")
          .doesNotContain(SECRET);
      assertThat(errors(log)).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("drivers")
  void run_secondReplicaWithTheSameSecret_matchesWithoutError(String name) {
    try (StorageDriver driver = driver(name)) {
      start(driver, "replica-a", SECRET, false);
      ListAppender<ILoggingEvent> log = capture();
      SecretFingerprintCheck.Outcome outcome;
      try {
        outcome = start(driver, "replica-b", SECRET, false);
      } finally {
        release(log);
      }

      assertThat(outcome).isInstanceOf(SecretFingerprintCheck.Outcome.Matched.class);
      assertThat(((SecretFingerprintCheck.Outcome.Matched) outcome).previous().host())
          .isEqualTo("replica-a");
      assertThat(errors(log)).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("drivers")
  void run_replicaWithAnotherSecret_logsAnErrorThatSaysHowToFixIt(String name) {
    try (StorageDriver driver = driver(name)) {
      start(driver, "replica-a", SECRET, false);
      ListAppender<ILoggingEvent> log = capture();
      SecretFingerprintCheck.Outcome outcome;
      try {
        outcome = start(driver, "replica-b", "a-different-secret", false);
      } finally {
        release(log);
      }

      assertThat(outcome).isInstanceOf(SecretFingerprintCheck.Outcome.Mismatched.class);
      List<ILoggingEvent> errors = errors(log);
      assertThat(errors).hasSize(1);
      assertThat(errors.get(0).getFormattedMessage())
          .contains("http.secret", "REGISTRY_HTTP_SECRET", "every replica", "BLOB_UPLOAD_INVALID");
      assertThat(errors.get(0).getKeyValuePairs())
          .anySatisfy(
              pair -> {
                assertThat(pair.key).isEqualTo("secret.recorded.host");
                assertThat(pair.value).isEqualTo("replica-a");
              });
      assertThat(errors.get(0).toString()).doesNotContain(SECRET, "a-different-secret");
    }
  }

  @ParameterizedTest
  @MethodSource("drivers")
  void run_rotatedSecret_newestWriterWinsAndLaterReplicasMatch(String name) {
    try (StorageDriver driver = driver(name)) {
      start(driver, "old-a", SECRET, false);
      start(driver, "old-b", SECRET, false);

      assertThat(start(driver, "new-a", "rotated-secret", false))
          .isInstanceOf(SecretFingerprintCheck.Outcome.Mismatched.class);
      assertThat(record(driver)).contains(new UploadToken("rotated-secret").fingerprint());
      assertThat(start(driver, "new-b", "rotated-secret", false))
          .isInstanceOf(SecretFingerprintCheck.Outcome.Matched.class);
      // A replica restarted with the old secret after the rotation is reported.
      assertThat(start(driver, "old-a", SECRET, false))
          .isInstanceOf(SecretFingerprintCheck.Outcome.Mismatched.class);
    }
  }

  @ParameterizedTest
  @MethodSource("drivers")
  void run_readOnly_comparesButNeverWrites(String name) {
    try (StorageDriver driver = driver(name)) {
      assertThat(start(driver, "replica-a", SECRET, true))
          .isInstanceOf(SecretFingerprintCheck.Outcome.First.class);
      assertThat(exists(driver)).isFalse();

      start(driver, "replica-a", SECRET, false);
      String before = record(driver);
      assertThat(start(driver, "replica-b", "other", true))
          .isInstanceOf(SecretFingerprintCheck.Outcome.Mismatched.class);
      assertThat(record(driver)).isEqualTo(before);
    }
  }

  @ParameterizedTest
  @MethodSource("drivers")
  void run_unreadableRecord_warnsAndRecordsAgain(String name) {
    try (StorageDriver driver = driver(name)) {
      driver.putContent(
          RegistryPaths.secretFingerprint(), "garbage".getBytes(StandardCharsets.UTF_8));

      assertThat(start(driver, "replica-a", SECRET, false))
          .isInstanceOf(SecretFingerprintCheck.Outcome.First.class);
      assertThat(start(driver, "replica-b", SECRET, false))
          .isInstanceOf(SecretFingerprintCheck.Outcome.Matched.class);
    }
  }

  @Test
  void run_filesystem_recordLivesOutsideBlobsAndRepositories() throws Exception {
    try (StorageDriver driver = new FilesystemDriver(dir)) {
      start(driver, "replica-a", SECRET, false);
    }
    Path v2 = dir.resolve("docker/registry/v2");
    try (Stream<Path> files = Files.walk(v2)) {
      assertThat(files.filter(Files::isRegularFile).map(v2::relativize).map(Path::toString))
          .containsExactly("_berth/http-secret-fingerprint");
    }
  }

  private static boolean exists(StorageDriver driver) {
    try {
      driver.stat(RegistryPaths.secretFingerprint());
      return true;
    } catch (PathNotFoundException e) {
      return false;
    }
  }

  private static List<ILoggingEvent> errors(ListAppender<ILoggingEvent> log) {
    return log.list.stream().filter(event -> event.getLevel() == Level.ERROR).toList();
  }

  private static ListAppender<ILoggingEvent> capture() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger().addAppender(appender);
    return appender;
  }

  private static void release(ListAppender<ILoggingEvent> appender) {
    logger().detachAppender(appender);
  }

  private static Logger logger() {
    return (Logger) LoggerFactory.getLogger(SecretFingerprintCheck.class);
  }
}
