package dev.berth.oci;

import java.util.Map;

/**
 * A request body is larger than the registry accepts for that kind of content. Answered 413, as the
 * distribution spec recommends, with the code that names what was refused.
 */
public final class PayloadTooLargeException extends RegistryException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param code the code naming what was refused, such as {@link ErrorCode#MANIFEST_INVALID}
   * @param message the limit and what exceeded it
   */
  public PayloadTooLargeException(ErrorCode code, String message) {
    super(code, message, Map.of(), null);
  }

  @Override
  public int httpStatus() {
    return 413;
  }
}
