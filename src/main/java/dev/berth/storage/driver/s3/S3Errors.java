package dev.berth.storage.driver.s3;

import dev.berth.storage.driver.PathNotFoundException;
import dev.berth.storage.driver.StorageException;
import dev.berth.storage.driver.StorageUnavailableException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns the SDK's failures into the driver SPI's exceptions, after the SDK's own retries gave up.
 * Messages name the operation, the key and the bucket; they never carry credentials or signed URLs.
 */
final class S3Errors {

  /** Error codes by which S3 asks the caller to slow down. */
  private static final Set<String> THROTTLING =
      Set.of(
          "SlowDown",
          "Throttling",
          "ThrottlingException",
          "RequestLimitExceeded",
          "TooManyRequests");

  private final String bucket;
  private final String endpoint;

  S3Errors(String bucket, String endpoint) {
    this.bucket = bucket;
    this.endpoint = endpoint;
  }

  /**
   * The exception to throw for a failed operation.
   *
   * @param operation what was attempted, such as {@code GetObject}
   * @param path the driver path the operation was about, for {@link PathNotFoundException}
   * @param key the object key, for the message
   * @param failure what the SDK threw
   */
  StorageException map(String operation, String path, String key, SdkException failure) {
    if (!(failure instanceof AwsServiceException service)) {
      // No answer at all: connection refused, timeout, DNS. Try again later, maybe elsewhere.
      return new StorageUnavailableException(
          describe(operation, key)
              + ": S3 endpoint "
              + endpoint
              + " unreachable: "
              + cause(failure),
          false,
          failure);
    }
    int status = service.statusCode();
    String code = errorCode(service);
    if (status == 404 && !code.equals("NoSuchBucket") && !code.equals("NoSuchUpload")) {
      return new PathNotFoundException(path);
    }
    String detail = describe(operation, key) + ": " + status + " " + code;
    if (THROTTLING.contains(code) || status == 429) {
      return new StorageUnavailableException(detail + " (S3 asks to slow down)", true, failure);
    }
    if (status >= 500 && status != 501) {
      return new StorageUnavailableException(detail, false, failure);
    }
    if (code.equals("NoSuchBucket")) {
      return new StorageException(
          detail + ": bucket " + bucket + " does not exist at " + endpoint, failure);
    }
    if (status == 403) {
      return new StorageException(detail + ": access denied to " + operation, failure);
    }
    return new StorageException(detail, failure);
  }

  /** The S3 error code, or the HTTP status when S3 sent no body (HEAD requests). */
  static String errorCode(AwsServiceException failure) {
    AwsErrorDetails details = failure.awsErrorDetails();
    String code = details == null ? null : details.errorCode();
    return code == null || code.isBlank() ? "HTTP" + failure.statusCode() : code;
  }

  private String describe(String operation, String key) {
    return "failed to " + operation + " " + key + " in bucket " + bucket;
  }

  private static String cause(Throwable failure) {
    Throwable root = failure;
    for (int depth = 0; depth < 20 && root.getCause() != null; depth++) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : " " + message);
  }
}
