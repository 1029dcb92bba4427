package dev.berth.registry;

import dev.berth.storage.driver.StorageException;
import org.jspecify.annotations.Nullable;

/** The store holds something the registry layout does not allow, such as a malformed link. */
public final class CorruptStorageException extends StorageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong and where
   * @param cause the parsing failure
   */
  public CorruptStorageException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
