package dev.berth.registry;

import dev.berth.oci.ErrorCode;
import dev.berth.oci.RegistryException;
import java.util.Map;

/**
 * A chunk does not continue an upload where it stands. Answered 416 with the upload's current
 * {@code Range}, so that the client can resume from there.
 */
public final class RangeInvalidException extends RegistryException {
  private static final long serialVersionUID = 1L;

  private final long currentSize;

  /**
   * Creates the exception.
   *
   * @param message what was expected and what came
   * @param currentSize the bytes the upload holds
   */
  public RangeInvalidException(String message, long currentSize) {
    super(ErrorCode.RANGE_INVALID, message, Map.of(), null);
    this.currentSize = currentSize;
  }

  /** The bytes the upload holds. */
  public long currentSize() {
    return currentSize;
  }
}
