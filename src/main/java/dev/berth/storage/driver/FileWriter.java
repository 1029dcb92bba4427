package dev.berth.storage.driver;

import java.io.Closeable;
import java.nio.ByteBuffer;

/**
 * Writes a large object in several steps, possibly across several writers opened one after the
 * other (an upload whose chunks land on different replicas).
 *
 * <p><b>When the content becomes visible.</b> Content is only guaranteed to be readable at the path
 * after {@link #commit()}. Before that it MAY already be visible, partially and growing, depending
 * on the driver: the {@code filesystem} driver writes in place (as registry:2's does: upload data
 * lives at {@code _uploads/<uuid>/data} while it is written), the {@code inmemory} driver publishes
 * on {@link #close()}, while object stores such as {@code s3} keep the parts aside and show nothing
 * until {@link #commit()}. A caller that needs a reader to see either nothing or the whole object
 * therefore writes to a staging path and {@link StorageDriver#move moves} it into place afterwards,
 * exactly as the registry does when it completes an upload.
 *
 * <p><b>Lifecycle.</b> A writer ends with exactly one of {@link #commit()}, {@link #cancel()} or
 * {@link #close()}; calling {@link #close()} after either of the others is harmless, so a writer
 * fits a try-with-resources block. Any other call on an ended writer throws {@link
 * IllegalStateException}. A writer is used by one thread at a time.
 */
public interface FileWriter extends Closeable {

  /**
   * Appends the buffer's remaining bytes, leaving the buffer's position at its limit. Direct
   * buffers are accepted and, where the driver can, written without a copy through the heap.
   *
   * @throws StorageException when the backend fails
   */
  void write(ByteBuffer data);

  /**
   * The number of bytes written so far, including what earlier writers for the same path left
   * behind when this one was opened with {@code append}.
   */
  long size();

  /**
   * Ends the writer and makes the whole content readable at the path.
   *
   * @throws StorageException when the backend fails; the content is then in an unknown state and
   *     the caller should {@link StorageDriver#delete delete} the path
   */
  void commit();

  /**
   * Ends the writer and discards everything written, including what earlier writers for the same
   * path left behind, so that nothing remains at the path.
   */
  void cancel();

  /**
   * Ends the writer, keeping the content so that a writer opened later with {@code append} can
   * continue it. Does nothing when the writer already ended.
   */
  @Override
  void close();
}
