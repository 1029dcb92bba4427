package dev.berth.storage.driver;

/**
 * A key is not a valid storage path: see {@link StorageKeys} for the rule. Raised before the
 * backend is touched, so an invalid key can never reach outside the driver's root.
 */
public final class InvalidPathException extends StorageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param path the rejected key, as given
   * @param reason why it was rejected
   */
  public InvalidPathException(String path, String reason) {
    super("invalid storage path \"" + printable(path) + "\": " + reason, null);
  }

  // The key may come from a client, so keep control characters out of logs.
  private static String printable(String path) {
    StringBuilder out = new StringBuilder(Math.min(path.length(), 256));
    for (int i = 0; i < path.length() && i < 256; i++) {
      char c = path.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return out.toString();
  }
}
