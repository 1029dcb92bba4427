package dev.berth.storage.driver;

/**
 * A writer opened with {@code append} cannot continue what an earlier writer left, for example
 * because that writer died between two steps. The partial content is unusable; the caller should
 * discard it and start over.
 */
public final class ResumeFailedException extends StorageException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with what could not be resumed and why. */
  public ResumeFailedException(String message) {
    super(message, null);
  }
}
