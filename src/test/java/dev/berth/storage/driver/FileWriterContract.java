package dev.berth.storage.driver;

import static dev.berth.storage.driver.StorageTestData.bytes;
import static dev.berth.storage.driver.StorageTestData.direct;
import static dev.berth.storage.driver.StorageTestData.sha256;
import static dev.berth.storage.driver.StorageTestData.text;
import static dev.berth.storage.driver.StorageTestData.writeUnevenly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link FileWriter} part of the driver contract: resumable writes, large objects in uneven
 * buffers (heap and direct), append, cancel and the writer lifecycle. Driver tests extend {@link
 * StorageDriverContract}, which includes these tests.
 */
public abstract class FileWriterContract extends DriverContractSupport {

  /** Enough to span several S3 parts of the 5 MiB minimum. */
  private static final int LARGE_SIZE = 11 * 1024 * 1024 + 12_345;

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
}
