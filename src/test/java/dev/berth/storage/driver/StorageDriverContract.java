package dev.berth.storage.driver;

import static dev.berth.storage.driver.StorageTestData.assertCompleteValue;
import static dev.berth.storage.driver.StorageTestData.bytes;
import static dev.berth.storage.driver.StorageTestData.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link StorageDriver} shares, run against each driver by extending this class
 * and implementing {@link #createDriver()}. Nothing here assumes a filesystem: the same tests run
 * against object stores.
 *
 * <p>Each test starts from an empty key space and states at its end which objects it meant to leave
 * ({@link #expectRemaining}, nothing by default). After each test the suite walks the key space
 * from the root and fails when anything else is there, then asks the driver's test for leaks the
 * driver's own listing cannot show ({@link #assertNoHiddenLeftovers}: temporary files, pending
 * multipart uploads).
 *
 * <p>It is public so that drivers in other packages ({@code s3}) can extend it.
 */
public abstract class StorageDriverContract extends FileWriterContract {

  // --- whole objects

  @Test
  void putContent_thenGetContent_returnsSameBytes() {
    byte[] content = bytes(5000, 1);

    driver.putContent("/a/b/c", content);

    assertThat(driver.getContent("/a/b/c")).isEqualTo(content);
    assertThat(driver.stat("/a/b/c").size()).isEqualTo(5000);
    expectRemaining("/a/b/c");
  }

  @Test
  void putContent_emptyContent_storesEmptyObject() {
    driver.putContent("/empty", new byte[0]);

    assertThat(driver.getContent("/empty")).isEmpty();
    assertThat(driver.stat("/empty").size()).isZero();
    assertThat(driver.stat("/empty").directory()).isFalse();
    expectRemaining("/empty");
  }

  @Test
  void putContent_existingKey_replacesContent() {
    driver.putContent("/a/b", bytes(3000, 1));

    driver.putContent("/a/b", text("short"));

    assertThat(driver.getContent("/a/b")).isEqualTo(text("short"));
    assertThat(driver.stat("/a/b").size()).isEqualTo(5);
    expectRemaining("/a/b");
  }

  @Test
  void putContent_callerChangesArrays_storedContentUnchanged() {
    byte[] content = text("original");
    driver.putContent("/a", content);

    content[0] = 'X';
    driver.getContent("/a")[1] = 'Y';

    assertThat(driver.getContent("/a")).isEqualTo(text("original"));
    expectRemaining("/a");
  }

  @Test
  void getContent_directory_throwsPathNotFound() {
    driver.putContent("/dir/file", text("x"));

    assertThatThrownBy(() -> driver.getContent("/dir")).isInstanceOf(PathNotFoundException.class);
    assertThatThrownBy(() -> driver.reader("/dir", 0)).isInstanceOf(PathNotFoundException.class);
    expectRemaining("/dir/file");
  }

  @Test
  void missingPath_everyOperation_throwsPathNotFound() {
    driver.putContent("/present/file", text("x"));

    assertThatThrownBy(() -> driver.getContent("/missing"))
        .isInstanceOf(PathNotFoundException.class)
        .hasMessageContaining("/missing");
    assertThatThrownBy(() -> driver.stat("/present/missing"))
        .isInstanceOf(PathNotFoundException.class);
    assertThatThrownBy(() -> driver.reader("/missing", 0))
        .isInstanceOf(PathNotFoundException.class);
    assertThatThrownBy(() -> driver.delete("/present/missing"))
        .isInstanceOf(PathNotFoundException.class);
    assertThatThrownBy(() -> driver.list("/missing")).isInstanceOf(PathNotFoundException.class);
    assertThatThrownBy(() -> driver.list("/present/file"))
        .as("an object is no directory")
        .isInstanceOf(PathNotFoundException.class);
    assertThatThrownBy(() -> driver.move("/missing", "/elsewhere"))
        .isInstanceOf(PathNotFoundException.class);
    assertThatThrownBy(() -> driver.walk("/missing", info -> true))
        .isInstanceOf(PathNotFoundException.class);
    // Below an object: a filesystem reports "not a directory" here, which is still "not found".
    String belowObject = "/present/file/below";
    assertThatThrownBy(() -> driver.getContent(belowObject))
        .isInstanceOf(PathNotFoundException.class);
    assertThatThrownBy(() -> driver.stat(belowObject)).isInstanceOf(PathNotFoundException.class);
    assertThatThrownBy(() -> driver.reader(belowObject, 0))
        .isInstanceOf(PathNotFoundException.class);
    assertThatThrownBy(() -> driver.list(belowObject)).isInstanceOf(PathNotFoundException.class);
    assertThatThrownBy(() -> driver.delete(belowObject)).isInstanceOf(PathNotFoundException.class);
    assertThatThrownBy(() -> driver.move(belowObject, "/elsewhere"))
        .isInstanceOf(PathNotFoundException.class);
    expectRemaining("/present/file");
  }

  // --- readers

  @Test
  void reader_atOffsets_returnsRemainingBytes() throws IOException {
    byte[] content = bytes(10_000, 2);
    driver.putContent("/obj", content);

    assertThat(readAll("/obj", 0)).isEqualTo(content);
    assertThat(readAll("/obj", 4321)).isEqualTo(Arrays.copyOfRange(content, 4321, 10_000));
    assertThat(readAll("/obj", 10_000)).isEmpty();
    assertThatThrownBy(() -> driver.reader("/obj", 10_001))
        .isInstanceOf(InvalidOffsetException.class);
    assertThatThrownBy(() -> driver.reader("/obj", -1)).isInstanceOf(InvalidOffsetException.class);
    expectRemaining("/obj");
  }

  // --- move

  @Test
  void move_existingDestination_replacesItAndRemovesSource() {
    driver.putContent("/staging/upload", text("new content"));
    driver.putContent("/blobs/target", text("old"));

    driver.move("/staging/upload", "/blobs/target");

    assertThat(driver.getContent("/blobs/target")).isEqualTo(text("new content"));
    assertThatThrownBy(() -> driver.stat("/staging/upload"))
        .isInstanceOf(PathNotFoundException.class);
    assertThat(driver.list(StorageKeys.ROOT)).containsExactly("/blobs");
    expectRemaining("/blobs/target");
  }

  @Test
  void move_toNewDirectory_createsIt() {
    driver.putContent("/a/src", bytes(2048, 8));

    driver.move("/a/src", "/x/y/z/dst");

    assertThat(driver.getContent("/x/y/z/dst")).isEqualTo(bytes(2048, 8));
    assertThat(driver.list("/x/y")).containsExactly("/x/y/z");
    assertThatThrownBy(() -> driver.list("/a")).isInstanceOf(PathNotFoundException.class);
    expectRemaining("/x/y/z/dst");
  }

  @Test
  void move_committedWriterContent_movesWholeObject() {
    try (FileWriter writer = driver.writer("/_uploads/u1/data", false)) {
      writer.write(ByteBuffer.wrap(bytes(70_000, 9)));
      writer.commit();
    }

    driver.move("/_uploads/u1/data", "/blobs/ab/data");

    assertThat(driver.getContent("/blobs/ab/data")).isEqualTo(bytes(70_000, 9));
    expectRemaining("/blobs/ab/data");
  }

  // --- directories

  @Test
  void list_nestedDirectories_returnsDirectChildrenAsFullPaths() {
    driver.putContent("/r/a/file1", text("1"));
    driver.putContent("/r/a/sub/file2", text("2"));
    driver.putContent("/r/a/sub/deeper/file3", text("3"));
    driver.putContent("/r/a-sibling/file4", text("4"));
    driver.putContent("/r/a.x", text("5"));

    assertThat(driver.list("/r/a")).containsExactlyInAnyOrder("/r/a/file1", "/r/a/sub");
    assertThat(driver.list("/r/a/sub"))
        .containsExactlyInAnyOrder("/r/a/sub/file2", "/r/a/sub/deeper");
    assertThat(driver.list("/r")).containsExactlyInAnyOrder("/r/a", "/r/a-sibling", "/r/a.x");
    assertThat(driver.list(StorageKeys.ROOT)).containsExactly("/r");
    expectRemaining(
        "/r/a/file1", "/r/a/sub/file2", "/r/a/sub/deeper/file3", "/r/a-sibling/file4", "/r/a.x");
  }

  @Test
  void stat_objectAndDirectory_describesBoth() {
    driver.putContent("/d/obj", bytes(1234, 10));

    FileInfo object = driver.stat("/d/obj");
    FileInfo directory = driver.stat("/d");

    assertThat(object.path()).isEqualTo("/d/obj");
    assertThat(object.directory()).isFalse();
    assertThat(object.size()).isEqualTo(1234);
    assertThat(object.modified()).isNotNull();
    assertThat(directory.path()).isEqualTo("/d");
    assertThat(directory.directory()).isTrue();
    expectRemaining("/d/obj");
  }

  @Test
  void delete_object_leavesSiblingsAndPrunesEmptyDirectories() {
    driver.putContent("/a/b/c", text("c"));
    driver.putContent("/a/d", text("d"));

    driver.delete("/a/b/c");

    assertThat(driver.list("/a")).containsExactly("/a/d");
    assertThatThrownBy(() -> driver.list("/a/b")).isInstanceOf(PathNotFoundException.class);
    expectRemaining("/a/d");
  }

  @Test
  void delete_directory_removesEverythingBelowAndNothingElse() {
    driver.putContent("/repo/name/_layers/one/link", text("1"));
    driver.putContent("/repo/name/_layers/two/link", text("2"));
    driver.putContent("/repo/name/_manifests/tags/latest/current/link", text("3"));
    driver.putContent("/repo/name-other/link", text("4"));
    driver.putContent("/repo/name.x", text("5"));
    driver.putContent("/repo/namex/link", text("6"));

    driver.delete("/repo/name");

    assertThatThrownBy(() -> driver.stat("/repo/name")).isInstanceOf(PathNotFoundException.class);
    assertThat(driver.list("/repo"))
        .containsExactlyInAnyOrder("/repo/name-other", "/repo/name.x", "/repo/namex");
    expectRemaining("/repo/name-other/link", "/repo/name.x", "/repo/namex/link");
  }

  @Test
  void walk_tree_visitsEverythingParentsFirst() {
    driver.putContent("/t/a/1", text("1"));
    driver.putContent("/t/a/b/2", text("2"));
    driver.putContent("/t/c/3", text("3"));
    driver.putContent("/t/4", text("4"));
    List<String> visited = new ArrayList<>();

    driver.walk(
        StorageKeys.ROOT,
        info -> {
          visited.add(info.path());
          return true;
        });

    assertThat(visited)
        .containsExactlyInAnyOrder(
            "/t", "/t/a", "/t/a/1", "/t/a/b", "/t/a/b/2", "/t/c", "/t/c/3", "/t/4");
    assertThat(visited.indexOf("/t/a")).isLessThan(visited.indexOf("/t/a/b"));
    assertThat(visited.indexOf("/t/a/b")).isLessThan(visited.indexOf("/t/a/b/2"));
    expectRemaining("/t/a/1", "/t/a/b/2", "/t/c/3", "/t/4");
  }

  @Test
  void walk_visitorDeclines_skipsDirectory() {
    driver.putContent("/t/skip/inner", text("1"));
    driver.putContent("/t/keep/inner", text("2"));
    List<String> visited = new ArrayList<>();

    driver.walk(
        "/t",
        info -> {
          visited.add(info.path());
          return !info.path().equals("/t/skip");
        });

    assertThat(visited).containsExactlyInAnyOrder("/t/skip", "/t/keep", "/t/keep/inner");
    expectRemaining("/t/skip/inner", "/t/keep/inner");
  }

  // --- concurrency

  @Test
  @Timeout(120)
  void putContent_sameKeyFromEightThreads_leavesOneCompleteValue() throws Exception {
    int threads = 8;
    int rounds = 10;
    int size = 64 * 1024;
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      byte[] value = new byte[size];
      Arrays.fill(value, (byte) (i + 1));
      values.add(value);
    }
    driver.putContent("/race/key", values.get(0));
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> writers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        byte[] value = values.get(i);
        writers.add(
            pool.submit(
                (Callable<Void>)
                    () -> {
                      start.await();
                      for (int round = 0; round < rounds; round++) {
                        driver.putContent("/race/key", value);
                      }
                      return null;
                    }));
      }
      Future<Integer> reader =
          pool.submit(
              () -> {
                start.await();
                int reads = 0;
                boolean writersDone = false;
                while (reads < 10_000 && !writersDone) {
                  writersDone = writers.stream().allMatch(Future::isDone);
                  assertCompleteValue(driver.getContent("/race/key"), size);
                  reads++;
                }
                return reads;
              });
      start.countDown();
      for (Future<?> writer : writers) {
        writer.get(100, TimeUnit.SECONDS);
      }
      assertThat(reader.get(100, TimeUnit.SECONDS)).isPositive();
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    byte[] last = driver.getContent("/race/key");
    assertCompleteValue(last, size);
    assertThat(values).anySatisfy(value -> assertThat(last).isEqualTo(value));
    expectRemaining("/race/key");
  }

  // --- key validation

  @ParameterizedTest
  @ValueSource(
      strings = {"../x", "/a/../b", "/a//b", "relative", "/a b", "", "/a/", "/./a", "/a/.."})
  void invalidKey_everyOperation_throwsInvalidPath(String key) {
    driver.putContent("/valid", text("v"));
    List<ThrowingConsumer<String>> operations =
        List.of(
            k -> driver.getContent(k),
            k -> driver.putContent(k, text("x")),
            k -> driver.reader(k, 0),
            k -> driver.writer(k, false),
            k -> driver.writer(k, true),
            k -> driver.stat(k),
            k -> driver.list(k),
            k -> driver.delete(k),
            k -> driver.move(k, "/valid"),
            k -> driver.move("/valid", k),
            k -> driver.walk(k, info -> true));

    for (ThrowingConsumer<String> operation : operations) {
      assertThatThrownBy(() -> operation.accept(key)).isInstanceOf(InvalidPathException.class);
    }
    assertThat(driver.getContent("/valid")).isEqualTo(text("v"));
    expectRemaining("/valid");
  }

  @Test
  void root_asObject_throwsInvalidPath() {
    assertThatThrownBy(() -> driver.putContent("/", text("x")))
        .isInstanceOf(InvalidPathException.class);
    assertThatThrownBy(() -> driver.delete("/")).isInstanceOf(InvalidPathException.class);
    assertThatThrownBy(() -> driver.getContent("/")).isInstanceOf(InvalidPathException.class);
  }
}
