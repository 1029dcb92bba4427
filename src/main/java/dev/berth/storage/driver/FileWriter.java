package dev.berth.storage.driver;

import java.io.Closeable;
import java.nio.ByteBuffer;

/**
 * Writes a large object in several steps. Content written is invisible at the path until {@link
 * #commit()}; until then another writer opened with {@code append} may continue it after {@link
 * #close()}.
 */
public interface FileWriter extends Closeable {

  /** Appends the buffer's remaining bytes. */
  void write(ByteBuffer data);

  /** The number of bytes written so far, including what earlier writers left. */
  long size();

  /** Makes the content visible at the path. The writer cannot be used afterwards. */
  void commit();

  /** Discards everything written, including what earlier writers left. */
  void cancel();

  /** Flushes and releases the writer, keeping the content so that it may be appended to. */
  @Override
  void close();
}
