package dev.berth.storage.driver.filesystem;

import static dev.berth.storage.driver.StorageTestData.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.storage.driver.FileWriter;
import dev.berth.storage.driver.InvalidPathException;
import dev.berth.storage.driver.StorageDriver;
import dev.berth.storage.driver.StorageDriverContract;
import dev.berth.storage.driver.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the driver contract against the {@code filesystem} driver, and checks what only a filesystem
 * has: the on-disk layout, temporary files, the root's boundary and local files.
 */
class FilesystemDriverTest extends StorageDriverContract {

  @TempDir Path temp;

  private Path root;

  @Override
  protected StorageDriver createDriver() throws IOException {
    root = Files.createDirectories(temp.resolve("root"));
    return new FilesystemDriver(root);
  }

  /** Every file on disk must be an object the test meant to leave, and no empty directory stays. */
  @Override
  protected void assertNoHiddenLeftovers(Set<String> expectedObjects) throws IOException {
    assertThat(filesBelowRoot()).containsExactlyInAnyOrderElementsOf(expectedObjects);
    try (Stream<Path> all = Files.walk(root)) {
      List<Path> emptyDirectories =
          all.filter(Files::isDirectory)
              .filter(d -> !d.equals(root))
              .filter(this::isEmpty)
              .toList();
      assertThat(emptyDirectories).as("empty directories left behind").isEmpty();
    }
  }

  @Test
  void putContent_key_landsAtRegistryLayoutPath() throws IOException {
    String key = "/docker/registry/v2/blobs/sha256/ab/abcd/data";

    driver.putContent(key, text("blob"));

    Path file = root.resolve("docker/registry/v2/blobs/sha256/ab/abcd/data");
    assertThat(Files.readAllBytes(file)).isEqualTo(text("blob"));
    assertThat(driver.localFile(key)).contains(file);
    expectRemaining(key);
  }

  @Test
  void getContent_fileWrittenByAnotherProcess_isRead() throws IOException {
    Path file = root.resolve("docker/registry/v2/repositories/app/_layers/link");
    Files.createDirectories(file.getParent());
    Files.write(file, text("sha256:0123"));

    assertThat(driver.getContent("/docker/registry/v2/repositories/app/_layers/link"))
        .isEqualTo(text("sha256:0123"));
    expectRemaining("/docker/registry/v2/repositories/app/_layers/link");
  }

  @Test
  void putContent_failedMove_leavesNoTemporaryFile() throws IOException {
    driver.putContent("/a/b/c", text("keep"));

    // /a/b is a non-empty directory, so the rename onto it fails after the temporary file exists.
    assertThatThrownBy(() -> driver.putContent("/a/b", text("x")))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("/a/b");

    assertThat(filesBelowRoot()).containsExactly("/a/b/c");
    expectRemaining("/a/b/c");
  }

  @Test
  void list_temporaryAndForeignFiles_areSkipped() throws IOException {
    driver.putContent("/d/real", text("1"));
    Files.write(root.resolve("d/" + FilesystemDriver.TEMP_PREFIX + "stale"), text("2"));
    Files.write(root.resolve("d/with space"), text("3"));

    assertThat(driver.list("/d")).containsExactly("/d/real");

    Files.delete(root.resolve("d/" + FilesystemDriver.TEMP_PREFIX + "stale"));
    Files.delete(root.resolve("d/with space"));
    expectRemaining("/d/real");
  }

  @Test
  void invalidKeys_neverTouchOutsideRoot() throws IOException {
    Path outside = Files.write(temp.resolve("outside"), text("precious"));
    Files.createDirectories(temp.resolve("sibling"));

    for (String key : List.of("/../outside", "/a/../../outside", "/..", "/../sibling/x")) {
      assertThatThrownBy(() -> driver.delete(key)).isInstanceOf(InvalidPathException.class);
      assertThatThrownBy(() -> driver.putContent(key, text("x")))
          .isInstanceOf(InvalidPathException.class);
      assertThatThrownBy(() -> driver.getContent(key)).isInstanceOf(InvalidPathException.class);
      assertThatThrownBy(() -> driver.localFile(key)).isInstanceOf(InvalidPathException.class);
    }

    assertThat(Files.readAllBytes(outside)).isEqualTo(text("precious"));
    try (Stream<Path> sibling = Files.list(temp.resolve("sibling"))) {
      assertThat(sibling).isEmpty();
    }
  }

  @Test
  void delete_symbolicLinkToOutsideDirectory_removesOnlyTheLink() throws IOException {
    Path outside = Files.createDirectories(temp.resolve("elsewhere"));
    Files.write(outside.resolve("file"), text("precious"));
    Files.createDirectories(root.resolve("links"));
    Files.createSymbolicLink(root.resolve("links/out"), outside);

    driver.delete("/links/out");

    assertThat(Files.readAllBytes(outside.resolve("file"))).isEqualTo(text("precious"));
    assertThat(Files.exists(root.resolve("links"))).isFalse();
  }

  @Test
  void writer_beforeCommit_contentVisibleInPlace() throws IOException {
    try (FileWriter writer = driver.writer("/_uploads/u/data", false)) {
      writer.write(ByteBuffer.wrap(text("partial")));

      assertThat(Files.readAllBytes(root.resolve("_uploads/u/data"))).isEqualTo(text("partial"));
      writer.cancel();
    }
  }

  @Test
  void localFile_missingOrDirectory_isEmpty() {
    driver.putContent("/dir/file", text("x"));

    assertThat(driver.localFile("/dir")).isEmpty();
    assertThat(driver.localFile("/dir/missing")).isEmpty();
    assertThat(driver.localFile("/dir/file")).contains(root.resolve("dir/file"));
    expectRemaining("/dir/file");
  }

  private Set<String> filesBelowRoot() throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(p -> !Files.isDirectory(p))
          .map(p -> "/" + root.relativize(p).toString().replace('\\', '/'))
          .collect(Collectors.toSet());
    }
  }

  private boolean isEmpty(Path directory) {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
