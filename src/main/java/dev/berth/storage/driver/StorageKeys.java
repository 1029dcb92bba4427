package dev.berth.storage.driver;

/**
 * The rule every storage key follows, shared by all drivers so that they accept and refuse the same
 * keys.
 *
 * <p>A key is an absolute path of one or more segments, each made of {@code [A-Za-z0-9._-]} and
 * neither {@code .} nor {@code ..}: it matches {@code ^(/[A-Za-z0-9._-]+)+$}. The root {@code /}
 * names the top directory and is accepted only where a directory is meant ({@link
 * StorageDriver#list list}, {@link StorageDriver#walk walk}, {@link StorageDriver#stat stat}).
 * Names outside this alphabet, such as a driver's temporary files, can therefore never be mistaken
 * for keys.
 */
public final class StorageKeys {

  /** The root directory of a driver's key space. */
  public static final String ROOT = "/";

  private StorageKeys() {}

  /**
   * Checks that {@code path} names an object.
   *
   * @return the path, unchanged
   * @throws InvalidPathException when it breaks the rule (the root is not an object)
   */
  public static String requireKey(String path) {
    if (path.equals(ROOT)) {
      throw new InvalidPathException(path, "the root is not an object");
    }
    return requireDirectory(path);
  }

  /**
   * Checks that {@code path} names a directory: the root or any valid key.
   *
   * @return the path, unchanged
   * @throws InvalidPathException when it breaks the rule
   */
  public static String requireDirectory(String path) {
    if (path.equals(ROOT)) {
      return path;
    }
    if (path.isEmpty() || path.charAt(0) != '/') {
      throw new InvalidPathException(path, "must start with /");
    }
    int start = 1;
    while (true) {
      int end = path.indexOf('/', start);
      String segment = path.substring(start, end < 0 ? path.length() : end);
      if (segment.isEmpty()) {
        throw new InvalidPathException(path, "empty segment");
      }
      if (!isSegment(segment)) {
        throw new InvalidPathException(
            path, "segments are made of A-Z a-z 0-9 . _ - and are neither . nor ..");
      }
      if (end < 0) {
        return path;
      }
      start = end + 1;
    }
  }

  /** Whether {@code name} is a valid single segment of a key. */
  public static boolean isSegment(String name) {
    if (name.isEmpty() || name.equals(".") || name.equals("..")) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  /** The key of the child {@code name} of {@code directory} (which may be the root). */
  public static String child(String directory, String name) {
    return directory.equals(ROOT) ? ROOT + name : directory + "/" + name;
  }

  /**
   * The prefix every key below {@code directory} starts with: {@code /} for the root, {@code
   * directory + "/"} otherwise.
   */
  public static String prefixOf(String directory) {
    return directory.equals(ROOT) ? ROOT : directory + "/";
  }
}
