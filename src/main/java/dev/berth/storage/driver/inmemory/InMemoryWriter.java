package dev.berth.storage.driver.inmemory;

import dev.berth.storage.driver.FileWriter;
import dev.berth.storage.driver.StorageException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A writer that buffers in memory and publishes a copy of the buffer at {@link #close()} and {@link
 * #commit()}. Used by one thread at a time, as every {@link FileWriter}.
 */
final class InMemoryWriter implements FileWriter {

  private final InMemoryDriver driver;
  private final String path;
  private byte[] buffer;
  private int size;
  private boolean ended;

  InMemoryWriter(InMemoryDriver driver, String path, byte[] initial) {
    this.driver = driver;
    this.path = path;
    this.buffer = Arrays.copyOf(initial, Math.max(initial.length, 8192));
    this.size = initial.length;
  }

  @Override
  public void write(ByteBuffer data) {
    requireOpen();
    int length = data.remaining();
    if (length > Integer.MAX_VALUE - 8 - size) {
      throw new StorageException(
          "failed to write " + path + ": in-memory objects are limited to 2 GiB", null);
    }
    if (size + length > buffer.length) {
      int grown =
          (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(size + length, 2L * buffer.length));
      buffer = Arrays.copyOf(buffer, grown);
    }
    data.get(buffer, size, length);
    size += length;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public void commit() {
    requireOpen();
    ended = true;
    driver.publish(path, Arrays.copyOf(buffer, size));
  }

  @Override
  public void cancel() {
    requireOpen();
    ended = true;
    driver.remove(path);
  }

  @Override
  public void close() {
    if (ended) {
      return;
    }
    ended = true;
    driver.publish(path, Arrays.copyOf(buffer, size));
  }

  private void requireOpen() {
    if (ended) {
      throw new IllegalStateException("writer for " + path + " already ended");
    }
  }
}
