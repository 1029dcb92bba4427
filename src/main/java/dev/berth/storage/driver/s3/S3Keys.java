package dev.berth.storage.driver.s3;

/**
 * Maps the driver's paths to object keys and back, exactly as registry:2's s3 driver does: the key
 * of {@code /docker/registry/v2/...} is {@code <rootdirectory>/docker/registry/v2/...} without a
 * leading slash.
 *
 * <p>The driver also keeps one object of its own next to an upload that was closed with a pending
 * tail: {@code <key>~pending} (see {@link S3FileWriter}). Its name is not a valid path segment, so
 * listings and walks skip it and no path can ever name it.
 */
final class S3Keys {

  private static final String PENDING_SUFFIX = "~pending";

  private final String rootPrefix;

  /**
   * Creates the mapping.
   *
   * @param rootPrefix the {@code rootdirectory} without leading or trailing slashes
   */
  S3Keys(String rootPrefix) {
    this.rootPrefix = rootPrefix;
  }

  /** The object key of a path (not the root). */
  String key(String path) {
    return rootPrefix.isEmpty() ? path.substring(1) : rootPrefix + path;
  }

  /** The prefix every key below the directory starts with. */
  String directoryPrefix(String path) {
    if (path.equals("/")) {
      return rootPrefix.isEmpty() ? "" : rootPrefix + "/";
    }
    return key(path) + "/";
  }

  /** The path of a key that lies below the root. */
  String path(String key) {
    return "/" + key.substring(directoryPrefix("/").length());
  }

  /** The key of the object that holds the pending tail of an unfinished upload. */
  String pendingKey(String key) {
    return key + PENDING_SUFFIX;
  }
}
