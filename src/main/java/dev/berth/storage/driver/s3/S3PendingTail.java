package dev.berth.storage.driver.s3;

import dev.berth.storage.driver.StorageException;
import java.io.ByteArrayInputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The object {@code <key>~pending} that holds the bytes of an unfinished upload that do not yet
 * fill a part, between one writer's {@link S3FileWriter#close()} and the next writer.
 *
 * <p>Its content is one header line, {@code berth-pending 1 <upload id or -> <next part number>},
 * then the bytes. The header ties the tail to the state of the multipart upload it continues: if a
 * writer uploaded the tail as a part and then died before {@code close()}, the header no longer
 * matches the listed parts, and the driver refuses to resume instead of duplicating the bytes.
 *
 * <p>registry:2 never reads this object; it lies inside the upload's own directory and goes away
 * with it.
 */
final class S3PendingTail {

  private static final String MAGIC = "berth-pending";
  private static final String VERSION = "1";
  private static final String NO_UPLOAD = "-";

  /**
   * The stored tail.
   *
   * @param uploadId the multipart upload the tail continues, or null when none had started
   * @param nextPart the part number the tail's bytes will begin
   * @param bytes the bytes
   */
  @SuppressWarnings("ArrayRecordComponent") // internal, never compared
  record Tail(@Nullable String uploadId, int nextPart, byte[] bytes) {}

  private S3PendingTail() {}

  /** Stores the tail, replacing an earlier one. */
  static void store(
      S3Bucket bucket,
      String path,
      @Nullable String uploadId,
      int nextPart,
      byte[] bytes,
      int length) {
    byte[] header =
        (MAGIC
                + " "
                + VERSION
                + " "
                + (uploadId == null ? NO_UPLOAD : uploadId)
                + " "
                + nextPart
                + "\n")
            .getBytes(StandardCharsets.US_ASCII);
    String key = bucket.keys().pendingKey(bucket.keys().key(path));
    bucket.putObject(
        path,
        key,
        RequestBody.fromContentProvider(
            () ->
                new SequenceInputStream(
                    new ByteArrayInputStream(header), new ByteArrayInputStream(bytes, 0, length)),
            header.length + (long) length,
            S3Bucket.CONTENT_TYPE));
  }

  /** Reads the tail, or empty when none is stored. */
  static Optional<Tail> load(S3Bucket bucket, String path) {
    String key = bucket.keys().pendingKey(bucket.keys().key(path));
    byte[] content;
    try {
      content =
          bucket.client().getObjectAsBytes(b -> b.bucket(bucket.name()).key(key)).asByteArray();
    } catch (AwsServiceException e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw bucket.error("GetObject", path, key, e);
    } catch (SdkException e) {
      throw bucket.error("GetObject", path, key, e);
    }
    return Optional.of(parse(key, content));
  }

  private static Tail parse(String key, byte[] content) {
    int newline = -1;
    for (int i = 0; i < content.length && i < 2048; i++) {
      if (content[i] == '\n') {
        newline = i;
        break;
      }
    }
    String[] header =
        newline < 0
            ? new String[0]
            : new String(content, 0, newline, StandardCharsets.US_ASCII).split(" ");
    if (header.length != 4 || !header[0].equals(MAGIC) || !header[1].equals(VERSION)) {
      throw new StorageException("failed to resume upload: unreadable pending tail " + key, null);
    }
    int nextPart;
    try {
      nextPart = Integer.parseInt(header[3]);
    } catch (NumberFormatException e) {
      throw new StorageException("failed to resume upload: unreadable pending tail " + key, e);
    }
    String uploadId = header[2].equals(NO_UPLOAD) ? null : header[2];
    return new Tail(uploadId, nextPart, Arrays.copyOfRange(content, newline + 1, content.length));
  }
}
