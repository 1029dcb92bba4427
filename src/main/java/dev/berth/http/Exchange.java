package dev.berth.http;

import dev.berth.oci.ErrorCode;
import dev.berth.oci.PayloadTooLargeException;
import dev.berth.oci.RegistryException;
import dev.berth.registry.ContentSource;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.FutureCallback;
import org.jspecify.annotations.Nullable;

/**
 * One request and its response, with blocking helpers for code that runs on a virtual thread:
 * reading the body chunk by chunk, and writing headers and content. Also collects the fields the
 * access log reports (repository, digest...).
 */
public final class Exchange {
  private final Request request;
  private final Response response;
  private final Fields query;
  private final Map<String, String> logFields = new HashMap<>();
  private long bytesReceived;
  private long bytesSent;
  private boolean bodyEnded;

  Exchange(Request request, Response response) {
    this.request = request;
    this.response = response;
    this.query = Request.extractQueryParameters(request);
  }

  /** The HTTP method. */
  public String method() {
    return request.getMethod();
  }

  /** Whether the method is HEAD, whose response carries headers only. */
  public boolean isHead() {
    return "HEAD".equals(request.getMethod());
  }

  /** The decoded path. */
  public String path() {
    return Request.getPathInContext(request);
  }

  /** A query parameter's value. */
  public Optional<String> query(String name) {
    return Optional.ofNullable(query.getValue(name));
  }

  /** A request header's value. */
  public Optional<String> header(HttpHeader header) {
    return Optional.ofNullable(request.getHeaders().get(header));
  }

  /** A request header's value, by name. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(request.getHeaders().get(name));
  }

  /** All values of a request header. */
  public java.util.List<String> headerValues(HttpHeader header) {
    return request.getHeaders().getValuesList(header);
  }

  /** The request's {@code Content-Length}, or -1 when it has none. */
  public long contentLength() {
    return request.getLength();
  }

  /** Whether the request came over HTTP/1.x, whose connections carry one request at a time. */
  boolean isHttp1() {
    HttpVersion version = request.getConnectionMetaData().getHttpVersion();
    return version == HttpVersion.HTTP_1_1 || version == HttpVersion.HTTP_1_0;
  }

  /** The request itself, for what this class does not wrap. */
  Request request() {
    return request;
  }

  /** Records a field for the access log. */
  public void logField(String key, String value) {
    logFields.put(key, value);
  }

  Map<String, String> logFields() {
    return logFields;
  }

  long bytesReceived() {
    return bytesReceived;
  }

  long bytesSent() {
    return bytesSent;
  }

  /** Sets the status. */
  public void status(int status) {
    response.setStatus(status);
  }

  /** Sets a response header. */
  public void header(String name, String value) {
    response.getHeaders().put(name, value);
  }

  /** Sets a response header. */
  public void header(HttpHeader name, String value) {
    response.getHeaders().put(name, value);
  }

  /** Sets a response header to a number. */
  public void header(HttpHeader name, long value) {
    response.getHeaders().put(name, value);
  }

  HttpFields.Mutable responseHeaders() {
    return response.getHeaders();
  }

  /** Whether the response was committed (headers sent), so no error body can follow. */
  boolean committed() {
    return response.isCommitted();
  }

  /** Sends a response without a body. */
  public void send(int status) throws IOException {
    response.setStatus(status);
    if (!response.getHeaders().contains(HttpHeader.CONTENT_LENGTH)) {
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
    }
    write(true, ByteBuffer.allocate(0));
  }

  /** Sends a whole body; for HEAD only its length. */
  public void send(int status, String contentType, byte[] body) throws IOException {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, (long) body.length);
    write(true, isHead() ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body));
  }

  /** Writes content, blocking the (virtual) thread until it is sent. */
  public void write(boolean last, ByteBuffer content) throws IOException {
    int length = content.remaining();
    try (Blocker.Callback callback = Blocker.callback()) {
      response.write(last, content, callback);
      callback.block();
    }
    bytesSent += length;
  }

  /**
   * Starts writing content without waiting for it to be sent; the returned callback completes when
   * it was. The buffer must not be touched until then.
   */
  FutureCallback writeAsync(boolean last, ByteBuffer content) {
    bytesSent += content.remaining();
    FutureCallback callback = new FutureCallback();
    response.write(last, content, callback);
    return callback;
  }

  /** Waits for an asynchronous write, turning its failure into the exception it was. */
  static void await(FutureCallback write) throws IOException {
    try {
      write.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while sending the response");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }

  /** The request body as a source of chunks for the registry. */
  public ContentSource body() {
    return this::readChunks;
  }

  /**
   * Reads a whole body of at most {@code limit} bytes; a larger one is refused without being read
   * whole.
   */
  public byte[] readBody(int limit, ErrorCode tooLarge, String what) throws IOException {
    long declared = contentLength();
    if (declared > limit) {
      throw new PayloadTooLargeException(
          tooLarge, what + " of " + declared + " bytes exceeds the limit of " + limit + " bytes");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
    try {
      readChunks(
          chunk -> {
            if (out.size() + chunk.remaining() > limit) {
              throw new PayloadTooLargeException(
                  tooLarge, what + " exceeds the limit of " + limit + " bytes");
            }
            byte[] bytes = new byte[chunk.remaining()];
            chunk.get(bytes);
            out.writeBytes(bytes);
          });
    } catch (IOException e) {
      throw new RegistryException(
          tooLarge, "failed to read the " + what + ": " + e.getMessage(), Map.of(), e);
    }
    return out.toByteArray();
  }

  /**
   * Drops the rest of the request body, as far as it has arrived and up to {@code limit} bytes, so
   * that the connection can carry the next request after an answer given without reading the body
   * (an invalid name, a refused manifest). Never waits for the client. Returns whether the body
   * ended; when it did not (it is larger, still on its way, failed, or waits for a {@code 100
   * Continue}), the connection must not be reused.
   */
  boolean discardBody(long limit) {
    if (bodyEnded) {
      return true;
    }
    if (contentLength() > limit
        || (bytesReceived == 0 && request.getHeaders().contains(HttpHeader.EXPECT))) {
      return false;
    }
    long dropped = 0;
    while (dropped <= limit) {
      Content.Chunk chunk = request.read();
      if (chunk == null || Content.Chunk.isFailure(chunk)) {
        return false;
      }
      try {
        dropped += chunk.remaining();
        if (chunk.isLast()) {
          bodyEnded = true;
          return dropped <= limit;
        }
      } finally {
        chunk.release();
      }
    }
    return false;
  }

  private void readChunks(Consumer<ByteBuffer> consumer) throws IOException {
    while (true) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        try (Blocker.Runnable demand = Blocker.runnable()) {
          request.demand(demand);
          demand.block();
        }
        continue;
      }
      try {
        if (Content.Chunk.isFailure(chunk)) {
          throw asIOException(chunk.getFailure());
        }
        ByteBuffer buffer = chunk.getByteBuffer();
        bytesReceived += buffer.remaining();
        if (buffer.hasRemaining()) {
          consumer.accept(buffer);
        }
        if (chunk.isLast()) {
          bodyEnded = true;
          return;
        }
      } finally {
        chunk.release();
      }
    }
  }

  private static IOException asIOException(@Nullable Throwable failure) {
    if (failure instanceof IOException io) {
      return io;
    }
    if (failure instanceof InterruptedException) {
      return new InterruptedIOException("interrupted while reading the request body");
    }
    EOFException eof = new EOFException("the request body ended early");
    if (failure != null) {
      eof.initCause(failure);
    }
    return eof;
  }

  /** The value of the first header field with this name, or null. */
  static @Nullable String first(HttpFields fields, String name) {
    HttpField field = fields.getField(name);
    return field == null ? null : field.getValue();
  }

  /** Bytes of a UTF-8 string. */
  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
