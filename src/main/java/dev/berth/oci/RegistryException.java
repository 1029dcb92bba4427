package dev.berth.oci;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A failure that is answered to the client with one of the spec's error codes. Handlers throw it;
 * one place turns it into the JSON error body.
 */
public class RegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final Map<String, String> detail;

  /**
   * Creates the exception.
   *
   * @param code the spec's error code, which also fixes the HTTP status
   * @param message what went wrong, naming the operation and its object
   */
  public RegistryException(ErrorCode code, String message) {
    this(code, message, Map.of(), null);
  }

  /**
   * Creates the exception with structured detail for the error body.
   *
   * @param code the spec's error code
   * @param message what went wrong
   * @param detail values such as the digest or repository concerned
   * @param cause the underlying failure, never shown to the client
   */
  public RegistryException(
      ErrorCode code, String message, Map<String, String> detail, @Nullable Throwable cause) {
    super(message, cause);
    this.code = code;
    this.detail = Map.copyOf(detail);
  }

  /** The HTTP status to answer with; the code's own status unless a subclass says otherwise. */
  public int httpStatus() {
    return code.httpStatus();
  }

  /** The spec's error code. */
  public ErrorCode code() {
    return code;
  }

  /** Structured detail for the error body; empty when there is none. */
  public Map<String, String> detail() {
    return detail;
  }
}
