package dev.berth.registry;

import dev.berth.storage.driver.PathNotFoundException;
import dev.berth.storage.driver.StorageDriver;
import dev.berth.storage.driver.StorageException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detects at start-up a replica whose {@code http.secret} differs from the one the other replicas
 * on the same store use. Such a replica would answer {@code BLOB_UPLOAD_INVALID} to every upload
 * that another replica started, which behind a load balancer looks like random push failures.
 *
 * <p>Each replica compares its {@link UploadToken#fingerprint()} (an HMAC of a constant under the
 * secret: it reveals nothing about the secret) with the record at {@link
 * RegistryPaths#secretFingerprint()}, logs an ERROR on a difference, and then writes its own
 * fingerprint there: the newest replica to start wins. That makes a deliberate rotation work
 * without any manual step: the first replica started with the new secret logs the difference once
 * (uploads that cross an old and a new replica do fail until the rollout ends), records the new
 * fingerprint, and every later replica with the new secret matches it. A single replica started
 * with a wrong secret also records its fingerprint, so the next correct replica to start reports it
 * again, naming the host that wrote it.
 *
 * <p>In read-only mode the record is compared but never written. A store that cannot be read or
 * written here only costs the check (a WARN), never the start.
 */
public final class SecretFingerprintCheck {
  private static final Logger LOG = LoggerFactory.getLogger(SecretFingerprintCheck.class);

  private final StorageDriver driver;
  private final Clock clock;
  private final String host;

  /**
   * Creates the check.
   *
   * @param driver the store the replicas share
   * @param clock the time recorded with the fingerprint
   * @param host this replica's host name, recorded so an operator can find a stray replica
   */
  public SecretFingerprintCheck(StorageDriver driver, Clock clock, String host) {
    this.driver = driver;
    this.clock = clock;
    this.host = host;
  }

  /**
   * What a replica recorded.
   *
   * @param fingerprint the fingerprint of its secret
   * @param host its host name
   * @param recordedAt when it started
   */
  public record Recorded(String fingerprint, String host, Instant recordedAt) {
    String encode() {
      return "fingerprint=" + fingerprint + "\nhost=" + host + "\nrecordedat=" + recordedAt + "\n";
    }

    static Optional<Recorded> decode(byte[] bytes) {
      Map<String, String> fields = new HashMap<>();
      for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n", -1)) {
        int equals = line.indexOf('=');
        if (equals > 0) {
          fields.put(line.substring(0, equals), line.substring(equals + 1).strip());
        }
      }
      String fingerprint = fields.get("fingerprint");
      String recordedAt = fields.get("recordedat");
      if (fingerprint == null || fingerprint.isEmpty() || recordedAt == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(
            new Recorded(
                fingerprint, fields.getOrDefault("host", "unknown"), Instant.parse(recordedAt)));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
  }

  /** What the check found. */
  public sealed interface Outcome {
    /** Nothing was recorded yet (or the record was unreadable): this replica is the first. */
    record First() implements Outcome {}

    /** The record matches this replica's secret. */
    record Matched(Recorded previous) implements Outcome {}

    /** The record names another secret. */
    record Mismatched(Recorded previous) implements Outcome {}

    /** The store could not be read; nothing is known. */
    record Unchecked(String reason) implements Outcome {}
  }

  /**
   * Compares this replica's fingerprint with the record, logs the result and, unless {@code
   * readOnly}, records this replica's fingerprint.
   *
   * @param tokens the signer built from this replica's {@code http.secret}
   * @param readOnly whether the store must not be written
   */
  public Outcome run(UploadToken tokens, boolean readOnly) {
    String path = RegistryPaths.secretFingerprint();
    String fingerprint = tokens.fingerprint();
    Outcome outcome;
    try {
      outcome = compare(fingerprint, read(path));
    } catch (StorageException e) {
      LOG.atWarn()
          .setMessage("failed to read the http.secret fingerprint; replicas were not compared")
          .addKeyValue("key", path)
          .addKeyValue("error", e.getMessage())
          .log();
      return new Outcome.Unchecked(String.valueOf(e.getMessage()));
    }
    log(outcome, fingerprint, path);
    if (!readOnly) {
      try {
        driver.putContent(
            path,
            new Recorded(fingerprint, host, clock.instant())
                .encode()
                .getBytes(StandardCharsets.UTF_8));
      } catch (StorageException e) {
        LOG.atWarn()
            .setMessage("failed to record the http.secret fingerprint")
            .addKeyValue("key", path)
            .addKeyValue("error", e.getMessage())
            .log();
      }
    }
    return outcome;
  }

  private Optional<Recorded> read(String path) {
    byte[] bytes;
    try {
      bytes = driver.getContent(path);
    } catch (PathNotFoundException e) {
      return Optional.empty();
    }
    Optional<Recorded> recorded = Recorded.decode(bytes);
    if (recorded.isEmpty()) {
      LOG.atWarn()
          .setMessage("the http.secret fingerprint record is unreadable; it is written again")
          .addKeyValue("key", path)
          .log();
    }
    return recorded;
  }

  private static Outcome compare(String fingerprint, Optional<Recorded> recorded) {
    if (recorded.isEmpty()) {
      return new Outcome.First();
    }
    return recorded.get().fingerprint().equals(fingerprint)
        ? new Outcome.Matched(recorded.get())
        : new Outcome.Mismatched(recorded.get());
  }

  private static void log(Outcome outcome, String fingerprint, String path) {
    switch (outcome) {
      case Outcome.Mismatched(Recorded previous) ->
          LOG.atError()
              .setMessage(
                  "http.secret differs from the one another replica on this storage recorded:"
                      + " uploads that move between replicas will fail with BLOB_UPLOAD_INVALID."
                      + " Fix: set the same http.secret (REGISTRY_HTTP_SECRET) on every replica"
                      + " and restart the ones that differ. After a deliberate rotation this is"
                      + " logged once and the new secret is recorded")
              .addKeyValue("secret.fingerprint", fingerprint)
              .addKeyValue("secret.fingerprint.recorded", previous.fingerprint())
              .addKeyValue("secret.recorded.host", previous.host())
              .addKeyValue("secret.recorded.at", previous.recordedAt().toString())
              .addKeyValue("key", path)
              .log();
      case Outcome.Matched(Recorded previous) ->
          LOG.atInfo()
              .setMessage("http.secret matches the other replicas on this storage")
              .addKeyValue("secret.fingerprint", fingerprint)
              .addKeyValue("secret.recorded.host", previous.host())
              .log();
      case Outcome.First() ->
          LOG.atInfo()
              .setMessage("http.secret fingerprint recorded for the replicas on this storage")
              .addKeyValue("secret.fingerprint", fingerprint)
              .log();
      case Outcome.Unchecked(String reason) -> {
        // logged where the store failed
      }
    }
  }
}
