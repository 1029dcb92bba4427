package dev.berth.storage.driver.filesystem;

import dev.berth.storage.driver.FileWriter;
import dev.berth.storage.driver.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A writer straight into the file at the key, as registry:2's filesystem driver writes: the content
 * is visible at the path while it grows. {@link #commit()} only closes the channel; nothing needs
 * forcing to disk, as with registry:2.
 */
final class FilesystemWriter implements FileWriter {

  private final FilesystemDriver driver;
  private final String key;
  private final FileChannel channel;
  private long size;
  private boolean ended;

  /** Takes over an open channel positioned at its end. */
  FilesystemWriter(FilesystemDriver driver, String key, FileChannel channel) throws IOException {
    this.driver = driver;
    this.key = key;
    this.channel = channel;
    this.size = channel.size();
  }

  @Override
  public void write(ByteBuffer data) {
    requireOpen();
    try {
      // FileChannel hands direct buffers to the kernel as they are; heap buffers it copies once.
      while (data.hasRemaining()) {
        size += channel.write(data);
      }
    } catch (IOException e) {
      throw FilesystemDriver.failure("write", key, e);
    }
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public void commit() {
    requireOpen();
    ended = true;
    try {
      channel.close();
    } catch (IOException e) {
      throw FilesystemDriver.failure("commit", key, e);
    }
  }

  @Override
  public void cancel() {
    requireOpen();
    ended = true;
    StorageException failure = null;
    try {
      channel.close();
    } catch (IOException e) {
      failure = FilesystemDriver.failure("cancel", key, e);
    }
    try {
      driver.deleteFile(key);
    } catch (StorageException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void close() {
    if (ended) {
      return;
    }
    ended = true;
    try {
      channel.close();
    } catch (IOException e) {
      throw FilesystemDriver.failure("close writer for", key, e);
    }
  }

  private void requireOpen() {
    if (ended) {
      throw new IllegalStateException("writer for " + key + " already ended");
    }
  }
}
