package dev.berth.storage.driver.s3;

import dev.berth.storage.driver.FileWriter;
import dev.berth.storage.driver.StorageException;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Writes one object as an S3 multipart upload that any process can continue.
 *
 * <p>Bytes collect in a buffer of one part ({@link PartSizes}); each full part is uploaded at once.
 * Only the last part of an upload may be smaller than S3's 5 MiB minimum, so a tail shorter than a
 * part cannot become a part when the writer is merely closed. {@link #close()} therefore stores
 * such a tail in a small object next to the upload ({@link S3PendingTail}, key {@code
 * <key>~pending}), and the next writer opened with {@code append} reads it back, lists the upload's
 * parts and goes on. A tail that S3 accepts as a part is uploaded as one instead (see {@link
 * #fitsAsPart()}), so chunks of at least 5 MiB are written once. A blob smaller than one part never
 * starts a multipart upload at all: {@link #commit()} writes it with one {@code PutObject}. Nothing
 * is visible at the key before {@link #commit()}.
 *
 * <p>{@link #cancel()} aborts the upload, so no parts stay stored (and billed), and deletes the
 * tail object. Not thread-safe: one thread uses a writer at a time.
 */
final class S3FileWriter implements FileWriter {

  private enum State {
    OPEN,
    CLOSED,
    COMMITTED,
    CANCELLED
  }

  private static final int INITIAL_BUFFER = 64 * 1024;

  private final S3Bucket bucket;
  private final String path;
  private final String key;
  private final long chunkSize;
  private final List<CompletedPart> parts;
  private @Nullable String uploadId;
  private long uploaded;
  private byte[] buffer;
  private int buffered;
  private boolean tailStored;
  private boolean tailCurrent;
  private State state = State.OPEN;

  /**
   * Creates the writer over what an earlier writer left.
   *
   * @param resumed the upload in progress, its parts and the stored tail
   */
  S3FileWriter(S3Bucket bucket, String path, S3UploadState resumed) {
    this.bucket = bucket;
    this.path = path;
    this.key = bucket.keys().key(path);
    this.chunkSize = bucket.parameters().settings().chunkSize();
    this.uploadId = resumed.uploadId();
    this.parts = new ArrayList<>(resumed.parts());
    this.uploaded = resumed.uploaded();
    byte[] tail = resumed.tail();
    this.buffer =
        Arrays.copyOf(tail, (int) Math.min(partSize(), Math.max(INITIAL_BUFFER, tail.length)));
    this.buffered = tail.length;
    this.tailStored = resumed.tailStored();
    this.tailCurrent = true;
  }

  @Override
  public void write(ByteBuffer data) {
    requireOpen();
    while (data.hasRemaining()) {
      int room = (int) (partSize() - buffered);
      int count = Math.min(room, data.remaining());
      ensureCapacity(buffered + count);
      data.get(buffer, buffered, count);
      buffered += count;
      tailCurrent = false;
      if (buffered == partSize()) {
        uploadPart();
      }
    }
  }

  @Override
  public long size() {
    return uploaded + buffered;
  }

  @Override
  public void commit() {
    requireOpen();
    state = State.COMMITTED;
    if (uploadId == null) {
      // Less than one part in all: no multipart upload was ever started.
      bucket.putObject(path, key, body());
    } else {
      if (buffered > 0 || parts.isEmpty()) {
        uploadPart();
      }
      complete();
    }
    if (tailStored) {
      bucket.deleteObject(path, bucket.keys().pendingKey(key));
    }
    release();
  }

  @Override
  public void cancel() {
    requireOpen();
    state = State.CANCELLED;
    S3UploadState.discard(bucket, path);
    bucket.deleteObject(path, key);
    release();
  }

  @Override
  public void close() {
    if (state != State.OPEN) {
      return;
    }
    state = State.CLOSED;
    if (!tailCurrent) {
      if (buffered > 0 && fitsAsPart()) {
        uploadPart();
      }
      if (buffered > 0) {
        S3PendingTail.store(bucket, path, uploadId, parts.size() + 1, buffer, buffered);
        tailStored = true;
      } else if (tailStored) {
        bucket.deleteObject(path, bucket.keys().pendingKey(key));
        tailStored = false;
      }
    }
    release();
  }

  /**
   * Whether the bytes buffered when the writer closes may go up as a part of their own instead of
   * waiting in a tail object for the next writer: S3 takes them (they reach its minimum part size),
   * they keep the growth {@link PartSizes} relies on (each part adds at least a thousandth of what
   * is uploaded), and half the parts are still free. A client pushing chunks of 8 MiB then has each
   * chunk written once, as registry:2 does, instead of stored as a tail, read back and written
   * again.
   */
  private boolean fitsAsPart() {
    S3Limits limits = bucket.parameters().limits();
    long spread = Math.max(1, limits.maximumParts() / 10);
    return buffered >= limits.minimumPartSize()
        && buffered * spread >= uploaded
        && parts.size() < limits.maximumParts() / 2;
  }

  private long partSize() {
    return PartSizes.partSize(chunkSize, uploaded, bucket.parameters().limits());
  }

  private void uploadPart() {
    if (uploadId == null) {
      uploadId = bucket.createMultipartUpload(path, key);
    }
    int number = parts.size() + 1;
    if (number > bucket.parameters().limits().maximumParts()) {
      throw new StorageException(
          "failed to upload part " + number + " of " + key + ": too many parts", null);
    }
    String id = uploadId;
    try {
      String etag =
          bucket
              .client()
              .uploadPart(
                  b -> b.bucket(bucket.name()).key(key).uploadId(id).partNumber(number), body())
              .eTag();
      parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
    } catch (SdkException e) {
      throw bucket.error("UploadPart", path, key, e);
    }
    uploaded += buffered;
    buffered = 0;
    tailCurrent = false;
  }

  private void complete() {
    String id = uploadId;
    try {
      bucket
          .client()
          .completeMultipartUpload(
              b ->
                  b.bucket(bucket.name())
                      .key(key)
                      .uploadId(id)
                      .multipartUpload(m -> m.parts(parts)));
    } catch (SdkException e) {
      StorageException failure = bucket.error("CompleteMultipartUpload", path, key, e);
      if (id != null) {
        try {
          // The content is lost either way; do not leave parts behind that are billed forever.
          bucket.abortUpload(path, key, id);
        } catch (StorageException abortFailure) {
          failure.addSuppressed(abortFailure);
        }
      }
      throw failure;
    }
  }

  private RequestBody body() {
    byte[] bytes = buffer;
    int length = buffered;
    return RequestBody.fromContentProvider(
        () -> new ByteArrayInputStream(bytes, 0, length), length, S3Bucket.CONTENT_TYPE);
  }

  private void ensureCapacity(int needed) {
    if (needed > buffer.length) {
      long grown = Math.max(needed, Math.min(partSize(), 2L * buffer.length));
      buffer = Arrays.copyOf(buffer, (int) grown);
    }
  }

  private void release() {
    buffer = new byte[0];
    buffered = 0;
  }

  private void requireOpen() {
    if (state != State.OPEN) {
      throw new IllegalStateException(
          "writer for " + path + " already " + state.name().toLowerCase(java.util.Locale.ROOT));
    }
  }
}
