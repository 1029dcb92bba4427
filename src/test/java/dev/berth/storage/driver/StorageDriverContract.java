package dev.berth.storage.driver;

import static dev.berth.storage.driver.StorageTestData.assertCompleteValue;
import static dev.berth.storage.driver.StorageTestData.bytes;
import static dev.berth.storage.driver.StorageTestData.direct;
import static dev.berth.storage.driver.StorageTestData.sha256;
import static dev.berth.storage.driver.StorageTestData.text;
import static dev.berth.storage.driver.StorageTestData.writeUnevenly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
public abstract class StorageDriverContract {

  /** Enough to span several S3 parts of the 5 MiB minimum. */
  private static final int LARGE_SIZE = 11 * 1024 * 1024 + 12_345;

  /** The driver under test, fresh for every test. */
  protected StorageDriver driver;

  private final Set<String> expectedRemaining = new HashSet<>();

  /** Creates the driver for one test over an empty key space. */
  protected abstract StorageDriver createDriver() throws Exception;

  /**
   * Checks what the driver's listing cannot show: called after each test with the objects the test
   * meant to leave. Drivers with temporary objects override this; by default it checks nothing.
   */
  protected void assertNoHiddenLeftovers(Set<String> expectedObjects) throws Exception {}

  /**
   * Releases what {@link #createDriver()} set up. Called after each test, also when it failed; by
   * default closes the driver.
   */
  protected void destroyDriver(StorageDriver driver) throws Exception {
    driver.close();
  }

  /** Declares objects the current test means to leave behind. */
  protected final void expectRemaining(String... paths) {
    expectedRemaining.addAll(List.of(paths));
  }

  @BeforeEach
  final void setUpDriver() throws Exception {
    driver = createDriver();
    assertThat(driver.list(StorageKeys.ROOT)).as("a new driver's key space").isEmpty();
  }

  @AfterEach
  final void checkNothingLeftBehind() throws Exception {
    try {
      assertThat(objectsBelowRoot())
          .as("objects left behind")
          .containsExactlyInAnyOrderElementsOf(expectedRemaining);
      assertNoHiddenLeftovers(Set.copyOf(expectedRemaining));
    } finally {
      destroyDriver(driver);
    }
  }

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

  // --- writers

  @Test
  @Timeout(120)
  void writer_largeObjectInUnevenBuffers_roundTrips() throws IOException {
    byte[] content = bytes(LARGE_SIZE, 3);
    int half = LARGE_SIZE / 2 + 777;

    try (FileWriter first = driver.writer("/uploads/big", false)) {
      writeUnevenly(first, content, 0, half, 4);
      assertThat(first.size()).isEqualTo(half);
    }
    try (FileWriter second = driver.writer("/uploads/big", true)) {
      assertThat(second.size()).as("size after reopening").isEqualTo(half);
      writeUnevenly(second, content, half, LARGE_SIZE, 5);
      assertThat(second.size()).isEqualTo(LARGE_SIZE);
      second.commit();
    }

    assertThat(driver.stat("/uploads/big").size()).isEqualTo(LARGE_SIZE);
    assertThat(sha256(readAll("/uploads/big", 0))).isEqualTo(sha256(content));
    assertThat(sha256(readAll("/uploads/big", half)))
        .isEqualTo(sha256(Arrays.copyOfRange(content, half, LARGE_SIZE)));
    expectRemaining("/uploads/big");
  }

  @Test
  void writer_closedThenReopenedWithAppend_continues() {
    try (FileWriter writer = driver.writer("/u/data", false)) {
      writer.write(ByteBuffer.wrap(text("hello ")));
      assertThat(writer.size()).isEqualTo(6);
    }
    try (FileWriter writer = driver.writer("/u/data", true)) {
      assertThat(writer.size()).isEqualTo(6);
      writer.write(direct(text("brave ")));
    }
    try (FileWriter writer = driver.writer("/u/data", true)) {
      assertThat(writer.size()).isEqualTo(12);
      writer.write(ByteBuffer.wrap(text("new world")));
      assertThat(writer.size()).isEqualTo(21);
      writer.commit();
    }

    assertThat(driver.getContent("/u/data")).isEqualTo(text("hello brave new world"));
    expectRemaining("/u/data");
  }

  @Test
  void writer_appendWithNothingToContinue_startsEmpty() {
    try (FileWriter writer = driver.writer("/fresh", true)) {
      assertThat(writer.size()).isZero();
      writer.write(ByteBuffer.wrap(text("abc")));
      writer.commit();
    }

    assertThat(driver.getContent("/fresh")).isEqualTo(text("abc"));
    expectRemaining("/fresh");
  }

  @Test
  void writer_withoutAppend_discardsEarlierContent() {
    try (FileWriter writer = driver.writer("/u/data", false)) {
      writer.write(ByteBuffer.wrap(text("discarded content")));
    }
    try (FileWriter writer = driver.writer("/u/data", false)) {
      assertThat(writer.size()).isZero();
      writer.write(ByteBuffer.wrap(text("kept")));
      writer.commit();
    }

    assertThat(driver.getContent("/u/data")).isEqualTo(text("kept"));
    expectRemaining("/u/data");
  }

  @Test
  void writer_writeConsumesBuffer_positionAtLimit() {
    ByteBuffer heap = ByteBuffer.wrap(text("0123456789")).position(3).limit(8);
    ByteBuffer offHeap = direct(text("abcdef")).position(2);

    try (FileWriter writer = driver.writer("/w", false)) {
      writer.write(heap);
      writer.write(offHeap);
      writer.write(ByteBuffer.allocate(0));
      writer.commit();
    }

    assertThat(heap.hasRemaining()).isFalse();
    assertThat(offHeap.hasRemaining()).isFalse();
    assertThat(driver.getContent("/w")).isEqualTo(text("34567cdef"));
    expectRemaining("/w");
  }

  @Test
  void writer_cancel_removesEverything() {
    try (FileWriter writer = driver.writer("/u/1/data", false)) {
      writer.write(ByteBuffer.wrap(bytes(1000, 6)));
    }
    try (FileWriter writer = driver.writer("/u/1/data", true)) {
      writer.write(direct(bytes(1000, 7)));
      writer.cancel();
    }

    assertThatThrownBy(() -> driver.stat("/u/1/data")).isInstanceOf(PathNotFoundException.class);
    assertThat(driver.list(StorageKeys.ROOT)).isEmpty();
  }

  @Test
  void writer_cancelWithoutWrites_leavesNothing() {
    try (FileWriter writer = driver.writer("/u/2/data", false)) {
      writer.cancel();
    }

    assertThatThrownBy(() -> driver.stat("/u/2/data")).isInstanceOf(PathNotFoundException.class);
  }

  @Test
  void writer_afterEnd_refusesWrites() {
    FileWriter committed = driver.writer("/done", false);
    committed.write(ByteBuffer.wrap(text("x")));
    committed.commit();
    FileWriter closed = driver.writer("/open", false);
    closed.close();
    closed.close();

    assertThatThrownBy(() -> committed.write(ByteBuffer.wrap(text("y"))))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> closed.write(ByteBuffer.wrap(text("y"))))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(closed::commit).isInstanceOf(IllegalStateException.class);
    committed.close();
    assertThat(driver.getContent("/done")).isEqualTo(text("x"));
    driver.writer("/open", true).cancel();
    expectRemaining("/done");
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

  // --- helpers

  /** Every object (not directory) below the root, found through the driver's own walk. */
  protected final Set<String> objectsBelowRoot() {
    Set<String> objects = new HashSet<>();
    driver.walk(
        StorageKeys.ROOT,
        info -> {
          if (!info.directory()) {
            objects.add(info.path());
          }
          return true;
        });
    return objects;
  }

  private byte[] readAll(String path, long offset) throws IOException {
    try (InputStream in = driver.reader(path, offset)) {
      return in.readAllBytes();
    }
  }
}
