package dev.berth.storage.driver.s3;

import dev.berth.storage.driver.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Copies an object inside the bucket without downloading it: one {@code CopyObject} up to {@code
 * multipartcopythresholdsize}, a multipart copy of {@code multipartcopychunksize} parts ({@code
 * UploadPartCopy}, at most {@code multipartcopymaxconcurrency} at a time) above it. A single {@code
 * CopyObject} is limited to 5 GiB by S3, and parallel part copies are faster for large objects.
 */
final class S3Copier {

  private final S3Bucket bucket;

  S3Copier(S3Bucket bucket) {
    this.bucket = bucket;
  }

  /** Copies the object at {@code sourcePath}, of {@code size} bytes, to {@code destinationPath}. */
  void copy(String sourcePath, long size, String destinationPath) {
    String sourceKey = bucket.keys().key(sourcePath);
    String destinationKey = bucket.keys().key(destinationPath);
    if (size <= bucket.parameters().settings().multipartCopyThresholdSize()) {
      try {
        bucket.client().copyObject(bucket.copyRequest(sourceKey, destinationKey).build());
      } catch (SdkException e) {
        throw bucket.error("CopyObject", sourcePath, sourceKey, e);
      }
      return;
    }

    String uploadId = bucket.createMultipartUpload(destinationPath, destinationKey);
    try {
      List<CompletedPart> parts = copyParts(sourcePath, sourceKey, size, destinationKey, uploadId);
      bucket
          .client()
          .completeMultipartUpload(
              b ->
                  b.bucket(bucket.name())
                      .key(destinationKey)
                      .uploadId(uploadId)
                      .multipartUpload(m -> m.parts(parts)));
    } catch (SdkException | StorageException e) {
      StorageException failure =
          e instanceof SdkException sdk
              ? bucket.error("CompleteMultipartUpload", destinationPath, destinationKey, sdk)
              : (StorageException) e;
      try {
        bucket.abortUpload(destinationPath, destinationKey, uploadId);
      } catch (StorageException abortFailure) {
        failure.addSuppressed(abortFailure);
      }
      throw failure;
    }
  }

  private List<CompletedPart> copyParts(
      String sourcePath, String sourceKey, long size, String destinationKey, String uploadId) {
    long partSize = bucket.parameters().settings().multipartCopyChunkSize();
    int count = (int) ((size + partSize - 1) / partSize);
    Semaphore permits = new Semaphore(bucket.parameters().settings().multipartCopyMaxConcurrency());
    List<Future<CompletedPart>> pending = new ArrayList<>(count);
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < count; i++) {
        int number = i + 1;
        long first = i * partSize;
        long last = Math.min(first + partSize, size) - 1;
        pending.add(
            executor.submit(
                () -> {
                  permits.acquire();
                  try {
                    String etag =
                        bucket
                            .client()
                            .uploadPartCopy(
                                b ->
                                    b.sourceBucket(bucket.name())
                                        .sourceKey(sourceKey)
                                        .destinationBucket(bucket.name())
                                        .destinationKey(destinationKey)
                                        .uploadId(uploadId)
                                        .partNumber(number)
                                        .copySourceRange("bytes=" + first + "-" + last))
                            .copyPartResult()
                            .eTag();
                    return CompletedPart.builder().partNumber(number).eTag(etag).build();
                  } finally {
                    permits.release();
                  }
                }));
      }
      List<CompletedPart> parts = new ArrayList<>(count);
      for (Future<CompletedPart> part : pending) {
        parts.add(part.get());
      }
      return parts;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SdkException sdk) {
        throw bucket.error("UploadPartCopy", sourcePath, sourceKey, sdk);
      }
      throw new StorageException("failed to UploadPartCopy " + sourceKey, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while copying " + sourceKey, e);
    }
  }
}
