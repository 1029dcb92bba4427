package dev.berth.registry;

import dev.berth.oci.Digest;
import dev.berth.oci.ErrorCode;
import dev.berth.oci.RegistryException;
import dev.berth.oci.RepositoryName;
import dev.berth.storage.driver.FileWriter;
import dev.berth.storage.driver.PathNotFoundException;
import dev.berth.storage.driver.ResumeFailedException;
import dev.berth.storage.driver.StorageDriver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blob upload sessions: open, append, complete, cancel. Every piece of state lives in the storage
 * driver (the bytes, the start time and the running SHA-256 after each append), so that the next
 * request of an upload may reach any replica. Each replica also keeps the live digest of the
 * uploads it served last, so an upload that stays on one replica never reads its state back.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-blobs">OCI
 *     Distribution Spec, pushing blobs</a>
 */
public final class UploadService {
  private static final Logger LOG = LoggerFactory.getLogger(UploadService.class);
  private static final String CANONICAL = "sha256";
  private static final int MAX_LIVE_DIGESTS = 10_000;

  private final StorageDriver driver;
  private final RepositoryBlobs blobs;

  /** The live digests of uploads served here, keyed by upload id. */
  private final Map<String, LiveDigest> live = new ConcurrentHashMap<>();

  /** Serialises requests of one upload within this process. */
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  private record LiveDigest(MessageDigest digest, long offset) {}

  /** Creates the service. */
  public UploadService(StorageDriver driver, RepositoryBlobs blobs) {
    this.driver = driver;
    this.blobs = blobs;
  }

  /** Opens a new upload session in a repository. */
  public UploadSession start(RepositoryName name) {
    String uploadId = UUID.randomUUID().toString();
    Instant startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    driver.putContent(
        RegistryPaths.uploadStartedAt(name, uploadId),
        DateTimeFormatter.ISO_INSTANT.format(startedAt).getBytes(StandardCharsets.UTF_8));
    return new UploadSession(uploadId, 0, startedAt);
  }

  /**
   * Where an upload stands now.
   *
   * @throws RegistryException {@code BLOB_UPLOAD_UNKNOWN} when there is no such upload
   */
  public UploadSession status(RepositoryName name, String uploadId) {
    // The start time is read again after the size: a discard removes it before the data (see
    // forget), so an upload that another replica is discarding right now is reported unknown,
    // never as one with fewer bytes than it had. The first read keeps an unknown id from
    // opening a writer at all.
    startedAt(name, uploadId);
    long size = storedSize(name, uploadId);
    return new UploadSession(uploadId, size, startedAt(name, uploadId));
  }

  /**
   * Appends a chunk to an upload.
   *
   * @param expectedOffset where the client says the chunk starts, or null for "at the end"
   * @throws RegistryException {@code BLOB_UPLOAD_UNKNOWN} for an unknown upload, {@code
   *     RANGE_INVALID} when the chunk does not start where the upload stands
   */
  public UploadSession append(
      RepositoryName name, String uploadId, @Nullable Long expectedOffset, ContentSource body) {
    return locked(
        uploadId,
        () -> {
          Instant startedAt = startedAt(name, uploadId);
          long offset = write(name, uploadId, expectedOffset, body, true);
          return new UploadSession(uploadId, offset, startedAt);
        });
  }

  /**
   * Completes an upload: appends the last chunk, checks the digest, moves the bytes to their
   * content address and links them into the repository. On a digest mismatch the upload is
   * discarded.
   *
   * @throws RegistryException {@code DIGEST_INVALID} when the bytes do not match the digest
   */
  public Digest complete(
      RepositoryName name,
      String uploadId,
      Digest expected,
      @Nullable Long expectedOffset,
      ContentSource lastChunk) {
    return locked(
        uploadId,
        () -> {
          startedAt(name, uploadId);
          String dataPath = RegistryPaths.uploadData(name, uploadId);
          long size = write(name, uploadId, expectedOffset, lastChunk, false);
          LiveDigest state = live.remove(uploadId);
          Digest actual;
          if (expected.algorithm().equals(CANONICAL) && state != null && state.offset() == size) {
            actual = Digest.of(CANONICAL, state.digest().digest());
          } else {
            actual = hashStored(dataPath, size, expected.javaAlgorithm(), expected.algorithm());
          }
          if (!actual.equals(expected)) {
            discard(name, uploadId);
            throw new RegistryException(
                ErrorCode.DIGEST_INVALID,
                "the uploaded content has digest " + actual + ", not " + expected,
                Map.of("digest", expected.toString(), "repository", name.value()),
                null);
          }
          if (blobs.store().size(expected).isEmpty()) {
            driver.move(dataPath, RegistryPaths.blobData(expected));
          }
          blobs.link(name, expected);
          discard(name, uploadId);
          LOG.atDebug()
              .setMessage("upload completed")
              .addKeyValue("repository", name.value())
              .addKeyValue("upload.id", uploadId)
              .addKeyValue("digest", expected.toString())
              .addKeyValue("size", size)
              .log();
          return expected;
        });
  }

  /**
   * Cancels an upload and deletes what it received.
   *
   * @throws RegistryException {@code BLOB_UPLOAD_UNKNOWN} when there is no such upload
   */
  public void cancel(RepositoryName name, String uploadId) {
    locked(
        uploadId,
        () -> {
          startedAt(name, uploadId);
          discard(name, uploadId);
          return null;
        });
  }

  /**
   * Writes a chunk and returns the new size. With {@code keepOpen}, the running digest is saved to
   * storage so that another replica can continue; for the last chunk it is not needed.
   */
  private long write(
      RepositoryName name,
      String uploadId,
      @Nullable Long expectedOffset,
      ContentSource body,
      boolean keepOpen) {
    long after;
    MessageDigest digest;
    long before;
    try (FileWriter writer = openForAppend(name, uploadId)) {
      before = writer.size();
      if (expectedOffset != null && expectedOffset != before) {
        throw rangeInvalid(name, uploadId, before, expectedOffset);
      }
      digest = liveDigest(name, uploadId, before);
      try {
        body.forEachChunk(
            chunk -> {
              digest.update(chunk.duplicate());
              writer.write(chunk);
            });
      } catch (IOException | RuntimeException e) {
        // A body that broke off leaves bytes that no digest state describes: the upload is
        // discarded whole, so nothing half-written can ever be completed or linked. It is marked
        // unknown before its data goes, so another replica never reports it shorter meanwhile.
        forget(name, uploadId);
        writer.cancel();
        discard(name, uploadId);
        if (e instanceof RegistryException registryException) {
          throw registryException;
        }
        throw new RegistryException(
            ErrorCode.BLOB_UPLOAD_INVALID,
            "failed to read the request body, so upload "
                + uploadId
                + " was discarded; start the upload again: "
                + e.getMessage(),
            Map.of("upload.id", uploadId),
            e);
      }
      after = writer.size();
      if (!keepOpen) {
        writer.commit();
      }
    }
    live.put(uploadId, new LiveDigest(digest, after));
    if (live.size() > MAX_LIVE_DIGESTS) {
      live.keySet().stream().findAny().ifPresent(live::remove);
    }
    if (keepOpen && after != before) {
      saveDigestState(name, uploadId, digest, before, after);
    }
    return after;
  }

  /** The digest of the bytes stored so far, from memory, from a saved state, or by hashing. */
  private MessageDigest liveDigest(RepositoryName name, String uploadId, long offset) {
    LiveDigest state = live.get(uploadId);
    if (state != null && state.offset() == offset) {
      return state.digest();
    }
    if (offset == 0) {
      return newDigest("SHA-256");
    }
    String statePath = RegistryPaths.uploadHashState(name, uploadId, CANONICAL, offset);
    try {
      Optional<MessageDigest> restored =
          DigestStates.restore("SHA-256", driver.getContent(statePath));
      if (restored.isPresent()) {
        return restored.get();
      }
    } catch (PathNotFoundException missing) {
      // fall through to hashing the stored bytes again
    }
    MessageDigest digest = newDigest("SHA-256");
    hashInto(RegistryPaths.uploadData(name, uploadId), offset, digest);
    return digest;
  }

  private void saveDigestState(
      RepositoryName name, String uploadId, MessageDigest digest, long before, long after) {
    Optional<byte[]> saved = DigestStates.save(digest);
    if (saved.isEmpty()) {
      return;
    }
    driver.putContent(RegistryPaths.uploadHashState(name, uploadId, CANONICAL, after), saved.get());
    if (before > 0) {
      try {
        driver.delete(RegistryPaths.uploadHashState(name, uploadId, CANONICAL, before));
      } catch (PathNotFoundException alreadyGone) {
        // the previous request ran on a replica without digest state export
      }
    }
  }

  private Digest hashStored(String dataPath, long size, String javaAlgorithm, String algorithm) {
    MessageDigest digest = newDigest(javaAlgorithm);
    hashInto(dataPath, size, digest);
    return Digest.of(algorithm, digest.digest());
  }

  private void hashInto(String dataPath, long length, MessageDigest digest) {
    try (InputStream in = driver.reader(dataPath, 0)) {
      byte[] buffer = new byte[64 * 1024];
      long remaining = length;
      while (remaining > 0) {
        int read = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
        if (read < 0) {
          throw new CorruptStorageException(
              "upload data " + dataPath + " is shorter than " + length + " bytes", null);
        }
        digest.update(buffer, 0, read);
        remaining -= read;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("failed to read upload data " + dataPath, e);
    }
  }

  /** The bytes an upload holds, as its writer sees them (an object store may not list them). */
  private long storedSize(RepositoryName name, String uploadId) {
    try (FileWriter writer = openForAppend(name, uploadId)) {
      return writer.size();
    }
  }

  /**
   * Opens the upload's data to continue it. When the store cannot continue it (a replica died
   * between two steps of a multipart upload), the upload is discarded and the client told to start
   * again, instead of completing a blob with missing or repeated bytes.
   */
  private FileWriter openForAppend(RepositoryName name, String uploadId) {
    try {
      return driver.writer(RegistryPaths.uploadData(name, uploadId), true);
    } catch (ResumeFailedException e) {
      discard(name, uploadId);
      throw new RegistryException(
          ErrorCode.BLOB_UPLOAD_INVALID,
          "upload " + uploadId + " cannot be continued and was discarded; start it again",
          Map.of("upload.id", uploadId, "repository", name.value()),
          e);
    }
  }

  private Instant startedAt(RepositoryName name, String uploadId) {
    try {
      String text =
          new String(
              driver.getContent(RegistryPaths.uploadStartedAt(name, uploadId)),
              StandardCharsets.UTF_8);
      return Instant.parse(text.strip());
    } catch (PathNotFoundException | DateTimeParseException e) {
      throw new RegistryException(
          ErrorCode.BLOB_UPLOAD_UNKNOWN,
          "upload " + uploadId + " is not in progress in repository " + name,
          Map.of("upload.id", uploadId, "repository", name.value()),
          null);
    }
  }

  private void discard(RepositoryName name, String uploadId) {
    forget(name, uploadId);
    // a concurrent cancel may have got there first
    driver.deleteIfExists(RegistryPaths.upload(name, uploadId));
  }

  /**
   * Makes the upload unknown to every replica at once: its start time is what marks it as in
   * progress, so it goes first and the rest of the upload is deleted after it.
   */
  private void forget(RepositoryName name, String uploadId) {
    live.remove(uploadId);
    driver.deleteIfExists(RegistryPaths.uploadStartedAt(name, uploadId));
  }

  private static RegistryException rangeInvalid(
      RepositoryName name, String uploadId, long actual, long requested) {
    return new RangeInvalidException(
        "upload "
            + uploadId
            + " in repository "
            + name
            + " stands at "
            + actual
            + " bytes; a chunk starting at "
            + requested
            + " does not continue it",
        actual);
  }

  private <T> T locked(String uploadId, Supplier<T> action) {
    ReentrantLock lock = locks.computeIfAbsent(uploadId, id -> new ReentrantLock());
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
      if (!lock.hasQueuedThreads()) {
        locks.remove(uploadId, lock);
      }
    }
  }

  private static MessageDigest newDigest(String javaAlgorithm) {
    try {
      return MessageDigest.getInstance(javaAlgorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(javaAlgorithm + " is part of every JDK", e);
    }
  }
}
