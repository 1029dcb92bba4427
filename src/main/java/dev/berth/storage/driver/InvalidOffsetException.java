package dev.berth.storage.driver;

/** A read or write asked for an offset past the end of the object. */
public final class InvalidOffsetException extends StorageException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception for the path and the offset that was out of range. */
  public InvalidOffsetException(String path, long offset) {
    super("invalid offset " + offset + " for " + path, null);
  }
}
