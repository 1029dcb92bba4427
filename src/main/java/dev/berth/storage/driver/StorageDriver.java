package dev.berth.storage.driver;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A key space of byte objects: what the registry layout is stored in. Keys are absolute paths such
 * as {@code /docker/registry/v2/blobs/sha256/ab/ab.../data}, relative to the driver's root, made of
 * segments of {@code [A-Za-z0-9._-]} (the exact rule is {@link StorageKeys}). Every method checks
 * its keys first and throws {@link InvalidPathException} for a bad one, so no key can reach outside
 * the driver's root. Directories exist implicitly while they hold an object, as in an object store;
 * the root {@code /} always exists.
 *
 * <p>{@link #putContent} and {@link #move} are atomic: a reader sees either the old content or the
 * whole new content, never a part. Content written through a {@link FileWriter} is only guaranteed
 * to be visible after {@link FileWriter#commit()} and may be visible earlier (see there).
 * Implementations are safe for concurrent use. Failures of the backend surface as {@link
 * StorageException} naming the operation and the key.
 *
 * @see <a
 *     href="https://github.com/distribution/distribution/blob/main/registry/storage/driver/storagedriver.go">the
 *     registry:2 driver interface this mirrors</a>
 */
public interface StorageDriver extends AutoCloseable {

  /** The driver's name as the configuration spells it: {@code filesystem}, {@code s3}... */
  String name();

  /**
   * Reads a whole object. Meant for small objects (links, manifests, state files). The caller owns
   * the returned array.
   *
   * @throws PathNotFoundException when there is no object at the path (a directory is no object)
   */
  byte[] getContent(String path);

  /**
   * Writes a whole object atomically, replacing any previous content and creating the directories
   * above it. The driver keeps no reference to {@code content}.
   */
  void putContent(String path, byte[] content);

  /**
   * Opens a stream over an object starting at {@code offset}.
   *
   * @throws PathNotFoundException when there is no object at the path
   * @throws InvalidOffsetException when the offset is negative or lies past the end of the object
   *     (an offset equal to the size gives an empty stream)
   */
  InputStream reader(String path, long offset);

  /**
   * Opens a writer for a large object that is written in several steps, possibly by several
   * processes one after the other. With {@code append}, the writer continues what an earlier writer
   * for the same path left behind (after {@link FileWriter#close()}), or starts empty when there is
   * nothing to continue; without it, any earlier partial content is discarded. Appending to an
   * object after it was committed is not supported by every driver and the registry never does it.
   */
  FileWriter writer(String path, boolean append);

  /**
   * Describes the object or directory at the path.
   *
   * @throws PathNotFoundException when there is neither
   */
  FileInfo stat(String path);

  /**
   * Lists the direct children of a directory (objects and subdirectories) as full paths, in no
   * particular order. Listing the root of an empty store gives an empty list.
   *
   * @throws PathNotFoundException when the directory does not exist (an object is no directory)
   */
  List<String> list(String path);

  /**
   * Moves an object to a new path atomically, replacing the object there and creating the
   * directories above it; afterwards the source is gone. Moving a directory is not supported by
   * every driver and the registry never does it.
   *
   * @throws PathNotFoundException when there is no object at the source
   */
  void move(String sourcePath, String destinationPath);

  /**
   * Deletes an object, or a directory with everything below it.
   *
   * @throws PathNotFoundException when nothing exists at the path
   */
  void delete(String path);

  /**
   * Deletes like {@link #delete} but counts a path that is already gone as deleted: for cleanup
   * that another request or replica may have done first.
   *
   * @return whether something was deleted by this call
   */
  default boolean deleteIfExists(String path) {
    try {
      delete(path);
      return true;
    } catch (PathNotFoundException alreadyGone) {
      return false;
    }
  }

  /**
   * A URL the client may fetch the object from directly, valid for {@code expiry}, or empty when
   * the driver serves no such URLs.
   */
  default Optional<URI> redirectUrl(String path, String method, Duration expiry) {
    return Optional.empty();
  }

  /**
   * The local file that holds the object, so that the HTTP layer can send it without copying it
   * through the Java heap; empty for drivers that do not store on a local filesystem.
   */
  default Optional<Path> localFile(String path) {
    return Optional.empty();
  }

  /**
   * Visits every object and directory below the path, depth first, parents before their children.
   * The visitor returns whether to descend into a directory it was given.
   *
   * @throws PathNotFoundException when the path does not exist
   */
  default void walk(String path, Predicate<FileInfo> visitor) {
    for (String child : list(path)) {
      FileInfo info;
      try {
        info = stat(child);
      } catch (PathNotFoundException gone) {
        continue; // deleted while walking
      }
      if (visitor.test(info) && info.directory()) {
        try {
          walk(child, visitor);
        } catch (PathNotFoundException gone) {
          // deleted while walking
        }
      }
    }
  }

  /**
   * Checks at start-up that the store can be read and written, so that a wrong bucket, missing
   * permissions or a bad endpoint stop the process with a clear message instead of failing the
   * first push.
   *
   * @throws StorageException naming what was denied and where
   */
  default void checkAccess() {}

  /** Releases clients and thread pools. */
  @Override
  void close();
}
