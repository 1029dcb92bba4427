package dev.berth.storage.driver;

import org.jspecify.annotations.Nullable;

/** A storage operation failed. Subclasses say how, so that callers can answer precisely. */
public class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the operation and the path it failed on
   * @param cause the driver's own failure
   */
  public StorageException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
