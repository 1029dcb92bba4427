package dev.berth.storage.driver.s3;

import dev.berth.storage.driver.StorageException;
import dev.berth.storage.driver.StorageUnavailableException;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The start-up check: the bucket exists, and the driver may write and delete under its root. Each
 * failure names the bucket, the endpoint and the action that failed, so that an operator can fix
 * the credentials, the policy or the endpoint without reading a stack trace.
 */
final class S3BucketCheck {

  private final S3Bucket bucket;
  private final AwsCredentialsProvider credentials;
  private final String where;

  S3BucketCheck(S3Bucket bucket, AwsCredentialsProvider credentials) {
    this.bucket = bucket;
    this.credentials = credentials;
    this.where = "bucket " + bucket.name() + " at " + bucket.parameters().endpointDescription();
  }

  void run() {
    try {
      // First on its own: a request would report missing credentials as a client failure, much
      // like an unreachable endpoint.
      credentials.resolveCredentials();
    } catch (RuntimeException e) {
      throw new StorageException(
          "s3 start-up check failed for " + where + ": " + S3Errors.plain(e), e);
    }
    try {
      bucket.client().headBucket(b -> b.bucket(bucket.name()));
    } catch (SdkException e) {
      throw failure("HeadBucket", "s3:ListBucket", e);
    }
    String probe = bucket.keys().directoryPrefix("/") + "berth-startup-check-" + UUID.randomUUID();
    try {
      bucket
          .client()
          .putObject(
              b ->
                  b.bucket(bucket.name())
                      .key(probe)
                      .applyMutation(
                          r -> {
                            bucket.parameters().encryption().ifPresent(r::serverSideEncryption);
                            bucket.parameters().kmsKeyId().ifPresent(r::ssekmsKeyId);
                          }),
              RequestBody.fromString("berth start-up check"));
    } catch (SdkException e) {
      throw failure("PutObject " + probe, "s3:PutObject", e);
    }
    try {
      bucket.client().deleteObject(b -> b.bucket(bucket.name()).key(probe));
    } catch (SdkException e) {
      throw failure("DeleteObject " + probe, "s3:DeleteObject", e);
    }
  }

  private StorageException failure(String action, String permission, SdkException e) {
    if (!(e instanceof AwsServiceException service)) {
      return new StorageUnavailableException(
          "s3 start-up check failed: cannot reach "
              + where
              + " ("
              + action
              + "): "
              + S3Errors.plain(e)
              + "; check regionendpoint (or region), secure, and that the store runs and is"
              + " reachable from here",
          false,
          e);
    }
    int status = service.statusCode();
    String code = S3Errors.errorCode(service);
    String detail =
        "s3 start-up check failed: "
            + action
            + " on "
            + where
            + " answered "
            + S3Errors.answer(service);
    if (status == 404) {
      return new StorageException(
          "s3 start-up check failed: "
              + where
              + " does not exist ("
              + action
              + " answered "
              + S3Errors.answer(service)
              + "); create the bucket or fix the bucket parameter",
          e);
    }
    if (status == 403) {
      return new StorageException(
          detail
              + ": denied; check the access key and secret key (or the credentials the default"
              + " chain found) and that the policy allows "
              + permission,
          e);
    }
    if (status == 301 || (status == 400 && code.contains("Region"))) {
      return new StorageException(
          detail
              + ": the bucket is in another region than "
              + bucket.parameters().region().id()
              + "; set region to the bucket's",
          e);
    }
    if (status == 429 || (status >= 500 && status != 501)) {
      return new StorageUnavailableException(detail, status == 429 || code.equals("SlowDown"), e);
    }
    return new StorageException(detail, e);
  }
}
