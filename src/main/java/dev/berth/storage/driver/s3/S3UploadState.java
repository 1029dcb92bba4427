package dev.berth.storage.driver.s3;

import dev.berth.storage.driver.ResumeFailedException;
import dev.berth.storage.driver.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListPartsRequest;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * What an unfinished upload left in the bucket: the multipart upload in progress for the key (found
 * with {@code ListMultipartUploads}, its parts with {@code ListParts}) and the pending tail.
 *
 * @param uploadId the multipart upload to continue, or null when none was started
 * @param parts the uploaded parts in order
 * @param uploaded the bytes in those parts
 * @param tail the bytes of the pending tail
 * @param tailStored whether a pending tail object exists
 */
@SuppressWarnings("ArrayRecordComponent") // internal, never compared; the tail is copied once
record S3UploadState(
    @Nullable String uploadId,
    List<CompletedPart> parts,
    long uploaded,
    byte[] tail,
    boolean tailStored) {

  /** Nothing to continue. */
  static S3UploadState empty() {
    return new S3UploadState(null, List.of(), 0, new byte[0], false);
  }

  /**
   * Reads what an earlier writer left for the path.
   *
   * @throws StorageException when the stored state does not add up (a writer died mid-way)
   */
  static S3UploadState resume(S3Bucket bucket, String path) {
    String key = bucket.keys().key(path);
    Optional<MultipartUpload> upload =
        bucket.uploads(path, key).stream().filter(u -> u.key().equals(key)).reduce((a, b) -> b);
    Optional<S3PendingTail.Tail> tail = S3PendingTail.load(bucket, path);

    List<CompletedPart> parts = new ArrayList<>();
    long uploaded = 0;
    String uploadId = upload.map(MultipartUpload::uploadId).orElse(null);
    if (uploadId != null) {
      for (Part part : listParts(bucket, path, key, uploadId)) {
        if (part.partNumber() != parts.size() + 1) {
          throw inconsistent(key, "part " + (parts.size() + 1) + " is missing");
        }
        parts.add(CompletedPart.builder().partNumber(part.partNumber()).eTag(part.eTag()).build());
        uploaded += part.size();
      }
    }
    if (tail.isPresent()) {
      S3PendingTail.Tail stored = tail.get();
      if (!Objects.equals(stored.uploadId(), uploadId) || stored.nextPart() != parts.size() + 1) {
        throw inconsistent(key, "the pending tail does not continue the uploaded parts");
      }
      return new S3UploadState(uploadId, parts, uploaded, stored.bytes(), true);
    }
    return new S3UploadState(uploadId, parts, uploaded, new byte[0], false);
  }

  /** Aborts every multipart upload for the path and deletes its pending tail. */
  static void discard(S3Bucket bucket, String path) {
    String key = bucket.keys().key(path);
    for (MultipartUpload upload : bucket.uploads(path, key)) {
      if (upload.key().equals(key)) {
        bucket.abortUpload(path, key, upload.uploadId());
      }
    }
    bucket.deleteObject(path, bucket.keys().pendingKey(key));
  }

  private static List<Part> listParts(S3Bucket bucket, String path, String key, String uploadId) {
    List<Part> parts = new ArrayList<>();
    ListPartsRequest request =
        ListPartsRequest.builder().bucket(bucket.name()).key(key).uploadId(uploadId).build();
    try {
      // At most 10,000 parts, listed 1,000 a page.
      for (int page = 0; page < 100; page++) {
        ListPartsResponse response = bucket.client().listParts(request);
        parts.addAll(response.parts());
        if (!Boolean.TRUE.equals(response.isTruncated())) {
          break;
        }
        request = request.toBuilder().partNumberMarker(response.nextPartNumberMarker()).build();
      }
    } catch (SdkException e) {
      throw bucket.error("ListParts", path, key, e);
    }
    parts.sort((a, b) -> Integer.compare(a.partNumber(), b.partNumber()));
    return parts;
  }

  private static StorageException inconsistent(String key, String why) {
    return new ResumeFailedException(
        "failed to resume upload " + key + ": " + why + "; the upload must be restarted");
  }
}
