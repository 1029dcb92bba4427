package dev.berth.storage.driver.s3;

import dev.berth.storage.driver.PathNotFoundException;
import dev.berth.storage.driver.StorageException;
import dev.berth.storage.driver.StorageUnavailableException;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
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

  /** A package-qualified exception class name (and a colon) inside a message. */
  private static final Pattern QUALIFIED_CLASS =
      Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b:?\\s*");

  private static final Pattern ATTEMPTS = Pattern.compile("\\(SDK Attempt Count: (\\d+)\\)");

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
      if (isCredentialsFailure(failure)) {
        // The credentials expired and their source cannot renew them now (an agent restarting,
        // STS unreachable): try again later.
        return new StorageUnavailableException(
            describe(operation, key) + ": " + plain(failure), false, failure);
      }
      // No answer at all: connection refused, timeout, DNS. Try again later, maybe elsewhere.
      return new StorageUnavailableException(
          describe(operation, key)
              + ": cannot reach the S3 endpoint "
              + endpoint
              + ": "
              + plain(failure),
          false,
          failure);
    }
    int status = service.statusCode();
    String code = errorCode(service);
    if (status == 404 && !code.equals("NoSuchBucket") && !code.equals("NoSuchUpload")) {
      return new PathNotFoundException(path);
    }
    String detail = describe(operation, key) + ": S3 answered " + answer(service);
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
      return new StorageException(
          detail + ": access denied to " + operation + "; check the credentials and the policy",
          failure);
    }
    return new StorageException(detail, failure);
  }

  /**
   * What S3 answered, for messages: status, error code and S3's own message, such as {@code 403
   * SignatureDoesNotMatch (The request signature we calculated does not match...)}.
   */
  static String answer(AwsServiceException failure) {
    AwsErrorDetails details = failure.awsErrorDetails();
    String message = details == null ? null : details.errorMessage();
    return failure.statusCode()
        + " "
        + errorCode(failure)
        + (message == null || message.isBlank() ? "" : " (" + message.strip() + ")");
  }

  /** Whether the failure is that no credentials could be found or renewed. */
  static boolean isCredentialsFailure(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; depth < 20 && t != null; depth++, t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && message.contains(S3Credentials.NONE_FOUND)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A failure's message in an operator's words: the SDK's message (which says what it attempted),
   * without the Java class names some messages embed, and with the attempt count spelled out; the
   * root cause's message when the SDK gave none. The exception itself stays the cause, for the log.
   */
  static String plain(Throwable failure) {
    Throwable described = failure;
    for (int depth = 0;
        depth < 20 && blank(described.getMessage()) && described.getCause() != null;
        depth++) {
      described = described.getCause();
    }
    String message = described.getMessage();
    if (blank(message)) {
      return "no details (" + described.getClass().getSimpleName() + ")";
    }
    return QUALIFIED_CLASS
        .matcher(ATTEMPTS.matcher(message).replaceAll("(after $1 attempts)"))
        .replaceAll("")
        .strip();
  }

  private static boolean blank(@Nullable String message) {
    return message == null || message.isBlank();
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
}
