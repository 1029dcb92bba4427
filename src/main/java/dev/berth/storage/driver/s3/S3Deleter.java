package dev.berth.storage.driver.s3;

import dev.berth.storage.driver.PathNotFoundException;
import dev.berth.storage.driver.StorageException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Deletes an object or a directory: the object itself, every key below {@code <key>/} in batches of
 * 1,000, the pending tails, and every multipart upload in progress there, so that deleting an
 * upload's directory leaves nothing stored or billed.
 */
final class S3Deleter {

  private static final int BATCH = 1000;

  private final S3Bucket bucket;

  S3Deleter(S3Bucket bucket) {
    this.bucket = bucket;
  }

  /**
   * Deletes everything at and below the path.
   *
   * @throws PathNotFoundException when there was nothing
   */
  void delete(String path) {
    String key = bucket.keys().key(path);
    boolean found = false;
    List<ObjectIdentifier> batch = new ArrayList<>();
    if (exists(path, key)) {
      batch.add(ObjectIdentifier.builder().key(key).build());
      found = true;
    }

    ListObjectsV2Request request =
        ListObjectsV2Request.builder()
            .bucket(bucket.name())
            .prefix(key + "/")
            .maxKeys(BATCH)
            .build();
    // Bounded: every page advances the continuation token.
    for (int page = 0; page < 10_000_000; page++) {
      ListObjectsV2Response response;
      try {
        response = bucket.client().listObjectsV2(request);
      } catch (SdkException e) {
        throw bucket.error("ListObjectsV2", path, key + "/", e);
      }
      for (S3Object object : response.contents()) {
        found = true;
        batch.add(ObjectIdentifier.builder().key(object.key()).build());
        if (batch.size() == BATCH) {
          deleteBatch(path, batch);
        }
      }
      if (!Boolean.TRUE.equals(response.isTruncated())
          || response.nextContinuationToken() == null) {
        break;
      }
      request = request.toBuilder().continuationToken(response.nextContinuationToken()).build();
    }
    String pendingKey = bucket.keys().pendingKey(key);
    // Ask for the pending tail only when nothing else is there: deleting a key that cannot exist
    // (below an object) fails on some stores.
    if (found || exists(path, pendingKey)) {
      batch.add(ObjectIdentifier.builder().key(pendingKey).build());
      found = true;
    }
    deleteBatch(path, batch);

    for (MultipartUpload upload : bucket.uploads(path, key)) {
      if (upload.key().equals(key) || upload.key().startsWith(key + "/")) {
        bucket.abortUpload(path, upload.key(), upload.uploadId());
        found = true;
      }
    }
    if (!found) {
      throw new PathNotFoundException(path);
    }
  }

  private boolean exists(String path, String key) {
    try {
      bucket.client().headObject(b -> b.bucket(bucket.name()).key(key));
      return true;
    } catch (AwsServiceException e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw bucket.error("HeadObject", path, key, e);
    } catch (SdkException e) {
      throw bucket.error("HeadObject", path, key, e);
    }
  }

  private void deleteBatch(String path, List<ObjectIdentifier> batch) {
    if (batch.isEmpty()) {
      return;
    }
    List<ObjectIdentifier> objects = List.copyOf(batch);
    batch.clear();
    DeleteObjectsResponse response;
    try {
      response =
          bucket
              .client()
              .deleteObjects(
                  b -> b.bucket(bucket.name()).delete(d -> d.objects(objects).quiet(true)));
    } catch (SdkException e) {
      throw bucket.error("DeleteObjects", path, objects.get(0).key(), e);
    }
    if (response.hasErrors() && !response.errors().isEmpty()) {
      var first = response.errors().get(0);
      throw new StorageException(
          "failed to DeleteObjects below "
              + path
              + " in bucket "
              + bucket.name()
              + ": "
              + response.errors().size()
              + " keys not deleted, first "
              + first.key()
              + ": "
              + first.code(),
          null);
    }
  }
}
