package dev.berth.storage.driver;

import org.jspecify.annotations.Nullable;

/**
 * The storage backend is overloaded or unreachable for now; the client should try again later.
 * Answered as 503 (or 429 when the backend asked to slow down) with {@code Retry-After}.
 */
public final class StorageUnavailableException extends StorageException {
  private static final long serialVersionUID = 1L;

  private final boolean throttled;

  /**
   * Creates the exception.
   *
   * @param message the operation and what the backend said
   * @param throttled whether the backend asked to slow down (S3 {@code SlowDown})
   * @param cause the driver's own failure
   */
  public StorageUnavailableException(String message, boolean throttled, @Nullable Throwable cause) {
    super(message, cause);
    this.throttled = throttled;
  }

  /** Whether the backend asked the caller to slow down rather than being unavailable. */
  public boolean throttled() {
    return throttled;
  }
}
