package dev.berth.storage.driver.s3;

import dev.berth.storage.driver.StorageException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The bucket as the driver's parts use it: the S3 client, the key mapping, error mapping, and the
 * settings every new object gets (server-side encryption, ACL, storage class), applied in one place
 * so that no write forgets them.
 */
final class S3Bucket {

  static final String CONTENT_TYPE = "application/octet-stream";

  private final S3Client client;
  private final S3Parameters parameters;
  private final S3Keys keys;
  private final S3Errors errors;

  S3Bucket(S3Client client, S3Parameters parameters) {
    this.client = client;
    this.parameters = parameters;
    this.keys = new S3Keys(parameters.rootPrefix());
    this.errors = new S3Errors(parameters.bucket(), parameters.endpointDescription());
  }

  S3Client client() {
    return client;
  }

  S3Parameters parameters() {
    return parameters;
  }

  S3Keys keys() {
    return keys;
  }

  String name() {
    return parameters.bucket();
  }

  /** The driver exception for a failed operation on a key. */
  StorageException error(String operation, String path, String key, SdkException failure) {
    return errors.map(operation, path, key, failure);
  }

  /** Writes a whole object with the configured encryption, ACL and storage class. */
  void putObject(String path, String key, RequestBody body) {
    PutObjectRequest.Builder request =
        PutObjectRequest.builder().bucket(name()).key(key).contentType(CONTENT_TYPE);
    parameters.encryption().ifPresent(request::serverSideEncryption);
    parameters.kmsKeyId().ifPresent(request::ssekmsKeyId);
    parameters.acl().ifPresent(request::acl);
    parameters.storageClass().ifPresent(request::storageClass);
    try {
      client.putObject(request.build(), body);
    } catch (SdkException e) {
      throw error("PutObject", path, key, e);
    }
  }

  /** Starts a multipart upload with the configured encryption, ACL and storage class. */
  String createMultipartUpload(String path, String key) {
    CreateMultipartUploadRequest.Builder request =
        CreateMultipartUploadRequest.builder().bucket(name()).key(key).contentType(CONTENT_TYPE);
    parameters.encryption().ifPresent(request::serverSideEncryption);
    parameters.kmsKeyId().ifPresent(request::ssekmsKeyId);
    parameters.acl().ifPresent(request::acl);
    parameters.storageClass().ifPresent(request::storageClass);
    try {
      return client.createMultipartUpload(request.build()).uploadId();
    } catch (SdkException e) {
      throw error("CreateMultipartUpload", path, key, e);
    }
  }

  /** A copy request from one key to another with the configured settings for the new object. */
  CopyObjectRequest.Builder copyRequest(String sourceKey, String destinationKey) {
    CopyObjectRequest.Builder request =
        CopyObjectRequest.builder()
            .sourceBucket(name())
            .sourceKey(sourceKey)
            .destinationBucket(name())
            .destinationKey(destinationKey);
    parameters.encryption().ifPresent(request::serverSideEncryption);
    parameters.kmsKeyId().ifPresent(request::ssekmsKeyId);
    parameters.acl().ifPresent(request::acl);
    parameters.storageClass().ifPresent(request::storageClass);
    return request;
  }

  /** The multipart uploads in progress whose key starts with the prefix, oldest first. */
  List<MultipartUpload> uploads(String path, String prefix) {
    List<MultipartUpload> uploads = new ArrayList<>();
    ListMultipartUploadsRequest request =
        ListMultipartUploadsRequest.builder().bucket(name()).prefix(prefix).build();
    try {
      // Bounded: S3 pages by 1,000, and every page advances the markers.
      for (int page = 0; page < 100_000; page++) {
        ListMultipartUploadsResponse response = client.listMultipartUploads(request);
        uploads.addAll(response.uploads());
        if (!Boolean.TRUE.equals(response.isTruncated())) {
          break;
        }
        request =
            request.toBuilder()
                .keyMarker(response.nextKeyMarker())
                .uploadIdMarker(response.nextUploadIdMarker())
                .build();
      }
    } catch (SdkException e) {
      throw error("ListMultipartUploads", path, prefix, e);
    }
    uploads.sort(
        (a, b) ->
            a.initiated() == null || b.initiated() == null
                ? 0
                : a.initiated().compareTo(b.initiated()));
    return uploads;
  }

  /** Aborts a multipart upload, so that its parts are no longer stored (nor billed). */
  void abortUpload(String path, String key, String uploadId) {
    try {
      client.abortMultipartUpload(b -> b.bucket(name()).key(key).uploadId(uploadId));
    } catch (AwsServiceException e) {
      if (e.statusCode() != 404) {
        throw error("AbortMultipartUpload", path, key, e);
      }
      // Already gone: aborted or completed by someone else.
    } catch (SdkException e) {
      throw error("AbortMultipartUpload", path, key, e);
    }
  }

  /** Deletes one object; deleting a missing key succeeds, as in S3. */
  void deleteObject(String path, String key) {
    try {
      client.deleteObject(b -> b.bucket(name()).key(key));
    } catch (SdkException e) {
      throw error("DeleteObject", path, key, e);
    }
  }
}
