package dev.berth.registry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * A request body handed to the registry chunk by chunk, so that bytes go from the network to
 * storage without an intermediate copy. The HTTP layer implements it over the request.
 */
@FunctionalInterface
public interface ContentSource {

  /**
   * Passes every chunk of the body to the consumer, in order. A chunk is only valid during the
   * call; the consumer must not keep it.
   *
   * @throws IOException when the body cannot be read completely (a client that went away, a body
   *     shorter than its {@code Content-Length})
   */
  void forEachChunk(Consumer<ByteBuffer> consumer) throws IOException;

  /** A body without bytes. */
  static ContentSource empty() {
    return consumer -> {};
  }

  /** A body made of one buffer. */
  static ContentSource of(ByteBuffer buffer) {
    return consumer -> consumer.accept(buffer.duplicate());
  }
}
