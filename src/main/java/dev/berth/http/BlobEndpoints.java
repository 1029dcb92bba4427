package dev.berth.http;

import dev.berth.oci.Digest;
import dev.berth.oci.ErrorCode;
import dev.berth.oci.RegistryException;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.BlobStore;
import dev.berth.registry.Registry;
import dev.berth.storage.driver.PathNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.FutureCallback;

/**
 * {@code GET}, {@code HEAD} and {@code DELETE} of {@code /v2/<name>/blobs/<digest>}.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-blobs">OCI
 *     Distribution Spec, pulling blobs</a>
 */
final class BlobEndpoints {
  /** How long a presigned redirect URL stays valid. */
  static final Duration REDIRECT_EXPIRY = Duration.ofMinutes(20);

  private static final int SEND_BUFFER_BYTES = 512 * 1024;
  private static final int STREAM_BUFFER_BYTES = 256 * 1024;

  private final Registry registry;
  private final boolean deleteEnabled;
  private final boolean redirectEnabled;

  BlobEndpoints(Registry registry, boolean deleteEnabled, boolean redirectEnabled) {
    this.registry = registry;
    this.deleteEnabled = deleteEnabled;
    this.redirectEnabled = redirectEnabled;
  }

  void handle(Exchange exchange, Route.Blob route) throws IOException {
    RepositoryName name = RepositoryName.of(route.name());
    exchange.logField("repository", name.value());
    Digest digest = Digest.parse(route.digest());
    exchange.logField("digest", digest.toString());
    switch (exchange.method()) {
      case "GET", "HEAD" -> get(exchange, name, digest);
      case "DELETE" -> delete(exchange, name, digest);
      default -> throw RegistryHandler.methodNotAllowed(exchange.method());
    }
  }

  private void get(Exchange exchange, RepositoryName name, Digest digest) throws IOException {
    long size = registry.blobs().size(name, digest);
    BlobStore store = registry.blobs().store();
    String etag = "\"" + digest + "\"";
    exchange.header(Headers.CONTENT_DIGEST, digest.toString());
    exchange.header(HttpHeader.ETAG, etag);
    exchange.header(HttpHeader.ACCEPT_RANGES, "bytes");
    exchange.header(HttpHeader.CACHE_CONTROL, "max-age=31536000");
    if (exchange.header(HttpHeader.IF_NONE_MATCH).filter(etag::equals).isPresent()) {
      exchange.send(304);
      return;
    }
    if (!exchange.isHead() && redirectEnabled) {
      Optional<URI> url = store.redirectUrl(digest, "GET", REDIRECT_EXPIRY);
      if (url.isPresent()) {
        exchange.header(HttpHeader.LOCATION, url.get().toString());
        exchange.send(307);
        return;
      }
    }
    Optional<ByteRange> range;
    try {
      range = ByteRange.parse(exchange.header(HttpHeader.RANGE), size);
    } catch (ByteRange.UnsatisfiableException e) {
      exchange.header(HttpHeader.CONTENT_RANGE, "bytes */" + size);
      throw new RegistryException(
          ErrorCode.RANGE_INVALID, String.valueOf(e.getMessage()), Map.of(), null);
    }
    long start = range.map(ByteRange::start).orElse(0L);
    long length = range.map(ByteRange::length).orElse(size);
    exchange.header(HttpHeader.CONTENT_TYPE, "application/octet-stream");
    exchange.header(HttpHeader.CONTENT_LENGTH, length);
    if (range.isPresent()) {
      exchange.header(
          HttpHeader.CONTENT_RANGE, "bytes " + start + "-" + range.get().end() + "/" + size);
      exchange.status(206);
    } else {
      exchange.status(200);
    }
    if (exchange.isHead()) {
      exchange.write(true, ByteBuffer.allocate(0));
      return;
    }
    Optional<Path> file = store.localFile(digest);
    try {
      if (file.isPresent()) {
        sendFile(exchange, file.get(), start, length);
      } else {
        sendStream(exchange, store, digest, start, length);
      }
    } catch (PathNotFoundException | RegistryException gone) {
      if (gone instanceof RegistryException e && e.code() != ErrorCode.BLOB_UNKNOWN) {
        throw e;
      }
      // The size came from a cache, and the bytes were deleted behind its back (registry:2 or a
      // replica that could not reach the cache): forget it, so the next request asks storage.
      registry.blobs().forget(name, digest);
      throw new RegistryException(
          ErrorCode.BLOB_UNKNOWN,
          "blob " + digest + " is not in repository " + name,
          Map.of("repository", name.value(), "digest", digest.toString()),
          null);
    }
  }

  /**
   * Sends part of a local file through two pooled direct buffers, never through the Java heap:
   * while one buffer is on its way to the socket, the next part of the file is read into the other,
   * so disk reads and network writes overlap.
   */
  private static void sendFile(Exchange exchange, Path file, long start, long length)
      throws IOException {
    if (length == 0) {
      exchange.write(true, ByteBuffer.allocate(0));
      return;
    }
    ByteBufferPool pool = exchange.request().getComponents().getByteBufferPool();
    RetainableByteBuffer[] pooled = {
      pool.acquire(SEND_BUFFER_BYTES, true), pool.acquire(SEND_BUFFER_BYTES, true)
    };
    FutureCallback inFlight = null;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long position = start;
      long end = start + length;
      for (int turn = 0; position < end; turn++) {
        ByteBuffer buffer = pooled[turn % 2].getByteBuffer();
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), end - position));
        while (buffer.hasRemaining()) {
          int read = channel.read(buffer, position + buffer.position());
          if (read < 0) {
            throw new IOException("blob file " + file + " ended before its recorded size");
          }
        }
        position += buffer.position();
        buffer.flip();
        if (inFlight != null) {
          Exchange.await(inFlight);
        }
        inFlight = exchange.writeAsync(position >= end, buffer);
      }
      if (inFlight != null) {
        Exchange.await(inFlight);
        inFlight = null;
      }
    } catch (NoSuchFileException deleted) {
      throw new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob was deleted", Map.of(), null);
    } finally {
      // A write still in flight (after a failure) may read its buffer: wait before releasing.
      if (inFlight != null) {
        try {
          Exchange.await(inFlight);
        } catch (IOException ignored) {
          // the failure that got us here is the one reported
        }
      }
      pooled[0].release();
      pooled[1].release();
    }
  }

  /**
   * Sends part of a blob from a stream (an object store) through two heap buffers: while one is on
   * its way to the socket, the next is filled from the store, and each write carries a whole buffer
   * rather than the few kilobytes one read of the store's response returns.
   */
  private static void sendStream(
      Exchange exchange, BlobStore store, Digest digest, long start, long length)
      throws IOException {
    if (length == 0) {
      exchange.write(true, ByteBuffer.allocate(0));
      return;
    }
    byte[][] buffers = {new byte[STREAM_BUFFER_BYTES], new byte[STREAM_BUFFER_BYTES]};
    FutureCallback inFlight = null;
    try (InputStream in = store.open(digest, start)) {
      long remaining = length;
      for (int turn = 0; remaining > 0; turn++) {
        byte[] buffer = buffers[turn % 2];
        int filled = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, remaining));
        if (filled == 0) {
          throw new IOException("blob " + digest + " ended before its recorded size");
        }
        remaining -= filled;
        if (inFlight != null) {
          Exchange.await(inFlight);
        }
        inFlight = exchange.writeAsync(remaining == 0, ByteBuffer.wrap(buffer, 0, filled));
      }
      if (inFlight != null) {
        Exchange.await(inFlight);
        inFlight = null;
      }
    } finally {
      // A write still in flight (after a failure) may read its buffer: wait before leaving it.
      if (inFlight != null) {
        try {
          Exchange.await(inFlight);
        } catch (IOException ignored) {
          // the failure that got us here is the one reported
        }
      }
    }
  }

  private void delete(Exchange exchange, RepositoryName name, Digest digest) throws IOException {
    if (!deleteEnabled) {
      throw new RegistryException(
          ErrorCode.UNSUPPORTED,
          "deleting blobs is disabled; set storage.delete.enabled to true to allow it",
          Map.of(),
          null);
    }
    registry.blobs().unlink(name, digest);
    exchange.send(202);
  }
}
