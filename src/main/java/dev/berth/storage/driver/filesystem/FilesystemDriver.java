package dev.berth.storage.driver.filesystem;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

import dev.berth.storage.driver.FileInfo;
import dev.berth.storage.driver.FileWriter;
import dev.berth.storage.driver.InvalidOffsetException;
import dev.berth.storage.driver.InvalidPathException;
import dev.berth.storage.driver.PathNotFoundException;
import dev.berth.storage.driver.StorageDriver;
import dev.berth.storage.driver.StorageException;
import dev.berth.storage.driver.StorageKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code filesystem} driver: each key is the file of the same relative path below the root
 * directory, as in registry:2, so {@code /docker/registry/v2/blobs/sha256/ab/ab.../data} is {@code
 * <root>/docker/registry/v2/blobs/sha256/ab/ab.../data}.
 *
 * <p>{@link #putContent} writes a temporary file beside the target and renames it into place, so
 * readers never see a partial object. Temporary files are named {@code .tmp~<random>}: the {@code
 * ~} lies outside the key alphabet ({@link StorageKeys}), so they can never be taken for keys and
 * listings skip them. Writers write in place. Deleting removes directories left empty, up to the
 * root, so that listings match an object store's. Symbolic links inside the root are followed, as
 * registry:2 does; keys themselves can never point outside it.
 */
public final class FilesystemDriver implements StorageDriver {

  /** How temporary files start; {@code ~} makes them impossible to mistake for keys. */
  static final String TEMP_PREFIX = ".tmp~";

  // A concurrent delete may prune a directory we just created; retrying that race a few times
  // is enough because each retry recreates the directory first.
  private static final int ATTEMPTS = 8;

  private final Path root;
  private final FileTree tree;

  /**
   * Creates the driver over a root directory, creating it when it is missing.
   *
   * @throws StorageException when the root cannot be created
   */
  public FilesystemDriver(Path rootDirectory) {
    this.root = rootDirectory.toAbsolutePath().normalize();
    this.tree = new FileTree(root);
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new StorageException("failed to create storage root directory " + root, e);
    }
  }

  /** The absolute root directory the keys live below. */
  public Path root() {
    return root;
  }

  @Override
  public String name() {
    return "filesystem";
  }

  @Override
  public byte[] getContent(String path) {
    Path file = file(StorageKeys.requireKey(path));
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new PathNotFoundException(path);
    } catch (IOException e) {
      throw Files.isDirectory(file)
          ? new PathNotFoundException(path)
          : absentOr(file, path, "read", e);
    }
  }

  @Override
  public void putContent(String path, byte[] content) {
    Path file = file(StorageKeys.requireKey(path));
    inParentDirectory(
        file,
        "write",
        path,
        () -> {
          Path temp = file.resolveSibling(TEMP_PREFIX + randomSuffix());
          boolean moved = false;
          try {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW)) {
              out.write(content);
            }
            Files.move(temp, file, ATOMIC_MOVE, REPLACE_EXISTING);
            moved = true;
          } finally {
            if (!moved) {
              deleteQuietly(temp);
            }
          }
        });
  }

  @Override
  public InputStream reader(String path, long offset) {
    Path file = file(StorageKeys.requireKey(path));
    if (attributes(file, path).isDirectory()) {
      throw new PathNotFoundException(path);
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new PathNotFoundException(path);
    } catch (IOException e) {
      throw absentOr(file, path, "open", e);
    }
    try {
      if (offset < 0 || offset > channel.size()) {
        throw new InvalidOffsetException(path, offset);
      }
      channel.position(offset);
      return Channels.newInputStream(channel);
    } catch (IOException | StorageException e) {
      closeQuietly(channel, e);
      throw e instanceof StorageException storage ? storage : failure("read", path, e);
    }
  }

  @Override
  public FileWriter writer(String path, boolean append) {
    Path file = file(StorageKeys.requireKey(path));
    return withParentDirectory(
        file,
        "open writer for",
        path,
        () -> {
          FileChannel channel =
              append
                  ? FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)
                  : FileChannel.open(
                      file,
                      StandardOpenOption.CREATE,
                      StandardOpenOption.WRITE,
                      StandardOpenOption.TRUNCATE_EXISTING);
          try {
            channel.position(channel.size());
            return new FilesystemWriter(this, path, channel);
          } catch (IOException e) {
            closeQuietly(channel, e);
            throw e;
          }
        });
  }

  @Override
  public FileInfo stat(String path) {
    StorageKeys.requireDirectory(path);
    BasicFileAttributes attributes = attributes(file(path), path);
    boolean directory = attributes.isDirectory();
    return new FileInfo(
        path,
        directory ? 0 : attributes.size(),
        attributes.lastModifiedTime().toInstant(),
        directory);
  }

  @Override
  public List<String> list(String path) {
    StorageKeys.requireDirectory(path);
    List<String> children = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(file(path))) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        // Skips temporary files and anything else that is not a key.
        if (StorageKeys.isSegment(name)) {
          children.add(StorageKeys.child(path, name));
        }
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      throw new PathNotFoundException(path);
    } catch (IOException e) {
      throw absentOr(file(path), path, "list", e);
    }
    return children;
  }

  @Override
  public void move(String sourcePath, String destinationPath) {
    Path source = file(StorageKeys.requireKey(sourcePath));
    Path destination = file(StorageKeys.requireKey(destinationPath));
    inParentDirectory(
        destination,
        "move " + sourcePath + " to",
        destinationPath,
        () -> {
          // Checked here so that a missing source is told apart from a pruned destination parent.
          if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new PathNotFoundException(sourcePath);
          }
          Files.move(source, destination, ATOMIC_MOVE, REPLACE_EXISTING);
        });
    tree.prune(source.getParent());
  }

  @Override
  public void delete(String path) {
    Path file = file(StorageKeys.requireKey(path));
    try {
      if (attributes(file, path).isDirectory()) {
        tree.deleteRecursively(file);
      } else {
        Files.delete(file);
      }
    } catch (NoSuchFileException e) {
      throw new PathNotFoundException(path);
    } catch (IOException e) {
      throw absentOr(file, path, "delete", e);
    }
    tree.prune(file.getParent());
  }

  @Override
  public Optional<Path> localFile(String path) {
    Path file = file(StorageKeys.requireKey(path));
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  @Override
  public void close() {
    // Holds no resources: every operation opens and closes its own files.
  }

  @Override
  public String toString() {
    return "FilesystemDriver[" + root + "]";
  }

  /** Deletes the file at a key, if present, and prunes the directories left empty. */
  void deleteFile(String key) {
    Path file = file(key);
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw failure("delete", key, e);
    }
    tree.prune(file.getParent());
  }

  /** A storage failure naming the operation, the key and what the filesystem said. */
  static StorageException failure(String operation, String key, Exception cause) {
    return new StorageException(
        "failed to " + operation + " " + key + ": " + cause.getClass().getSimpleName(), cause);
  }

  /** The file of a validated key. */
  private Path file(String key) {
    Path file = key.equals(StorageKeys.ROOT) ? root : root.resolve(key.substring(1));
    // Validation already rules out "..": this is the second lock on the same door.
    if (!file.normalize().startsWith(root)) {
      throw new InvalidPathException(key, "resolves outside the storage root");
    }
    return file;
  }

  private BasicFileAttributes attributes(Path file, String key) {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException | NotDirectoryException e) {
      throw new PathNotFoundException(key);
    } catch (IOException e) {
      throw absentOr(file, key, "stat", e);
    }
  }

  /**
   * {@link PathNotFoundException} when the file is absent after all, else the failure. Linux
   * answers a path below a regular file with ENOTDIR, which NIO reports as a bare {@code
   * FileSystemException}; for the key space that path simply does not exist.
   */
  private StorageException absentOr(Path file, String key, String operation, IOException cause) {
    if (Files.notExists(file, LinkOption.NOFOLLOW_LINKS)) {
      return new PathNotFoundException(key);
    }
    for (Path ancestor = file.getParent();
        ancestor != null && !ancestor.equals(root);
        ancestor = ancestor.getParent()) {
      if (Files.isRegularFile(ancestor)) {
        return new PathNotFoundException(key);
      }
    }
    return failure(operation, key, cause);
  }

  /** An action on a file whose parent directory must exist. */
  @FunctionalInterface
  private interface ParentedAction<T> {
    T run() throws IOException;
  }

  /** A step on a file whose parent directory must exist, giving nothing back. */
  @FunctionalInterface
  private interface ParentedStep {
    void run() throws IOException;
  }

  private void inParentDirectory(Path file, String operation, String key, ParentedStep step) {
    withParentDirectory(
        file,
        operation,
        key,
        () -> {
          step.run();
          return Boolean.TRUE;
        });
  }

  private <T> T withParentDirectory(
      Path file, String operation, String key, ParentedAction<T> action) {
    for (int attempt = 1; ; attempt++) {
      try {
        Files.createDirectories(file.getParent());
        return action.run();
      } catch (NoSuchFileException e) {
        if (attempt >= ATTEMPTS) {
          throw failure(operation, key, e);
        }
      } catch (IOException e) {
        throw failure(operation, key, e);
      }
    }
  }

  private static String randomSuffix() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // the original failure matters more; a leftover temporary file is never listed
    }
  }

  private static void closeQuietly(FileChannel channel, Exception failure) {
    try {
      channel.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
