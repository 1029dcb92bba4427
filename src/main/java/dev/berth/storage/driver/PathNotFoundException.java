package dev.berth.storage.driver;

/** There is no object (or directory) at the path. An expected outcome, not a fault. */
public final class PathNotFoundException extends StorageException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception for the path that was not found. */
  public PathNotFoundException(String path) {
    super("path not found: " + path, null);
  }
}
