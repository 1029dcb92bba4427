package dev.berth.storage.driver.filesystem;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.jspecify.annotations.Nullable;

/** Directory housekeeping below the driver's root: recursive deletion and pruning. */
final class FileTree {

  private final Path root;

  FileTree(Path root) {
    this.root = root;
  }

  /**
   * Deletes a directory and everything below it. Symbolic links are deleted, never followed, so
   * nothing outside the tree is touched. Entries that vanish meanwhile are skipped.
   */
  void deleteRecursively(Path directory) throws IOException {
    Files.walkFileTree(
        directory,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException failure)
              throws IOException {
            if (failure instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw failure;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException failure)
              throws IOException {
            if (failure != null && !(failure instanceof NoSuchFileException)) {
              throw failure;
            }
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /**
   * Removes {@code directory} and its ancestors while they are empty, stopping below the root.
   * Directories exist implicitly in the key space, so an empty one left behind would show up in
   * listings as if it held something. Best effort: a directory that is not empty, or that cannot be
   * removed, ends the climb.
   */
  void prune(@Nullable Path directory) {
    Path current = directory;
    while (current != null && !current.equals(root) && current.startsWith(root)) {
      try {
        Files.delete(current);
      } catch (NoSuchFileException alreadyGone) {
        // removed concurrently; its parent may be empty now too
      } catch (IOException notEmptyOrFailed) {
        // DirectoryNotEmptyException is the usual case: the climb ends at the first used directory
        return;
      }
      current = current.getParent();
    }
  }
}
