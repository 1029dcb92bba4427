package dev.berth.storage.driver.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Copies HTTP/1.1 messages from one stream to another one message at a time, byte for byte, so that
 * a relay can see where each request and response starts: the head is read up to the blank line,
 * then the body by {@code Content-Length} or chunked framing. For {@link S3FaultProxy}'s recording
 * mode; bounded in head size and chunk count.
 */
final class HttpFraming {
  private static final int MAX_HEAD_BYTES = 64 * 1024;
  private static final int MAX_CHUNKS = 1_000_000;

  /**
   * One message head.
   *
   * @param raw the head as it came, blank line included, forwarded unchanged
   * @param startLine the request or status line
   * @param headers the header fields, names in lower case (the last of repeated ones)
   */
  record Head(String raw, String startLine, Map<String, String> headers) {
    /** A header's value, or null. */
    @Nullable String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The first word of the start line: the method of a request. */
    String method() {
      return startLine.split(" ", 3)[0];
    }

    /** The second word of the start line: a request's target or a response's status. */
    String second() {
      String[] words = startLine.split(" ", 3);
      return words.length > 1 ? words[1] : "";
    }
  }

  private final InputStream in;
  private final OutputStream out;

  HttpFraming(InputStream in, OutputStream out) {
    this.in = in;
    this.out = out;
  }

  /** Reads one head, or returns null at the end of the stream; nothing is copied yet. */
  @Nullable Head readHead() throws IOException {
    StringBuilder text = new StringBuilder();
    while (text.length() < MAX_HEAD_BYTES
        && !(text.length() >= 4 && text.substring(text.length() - 4).equals("\r\n\r\n"))) {
      int next = in.read();
      if (next < 0) {
        return null;
      }
      text.append((char) next);
    }
    List<String> lines = text.toString().lines().toList();
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(
            line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).strip());
      }
    }
    return new Head(text.toString(), lines.get(0), headers);
  }

  /** Writes a head read by {@link #readHead()}. */
  void writeHead(Head head) throws IOException {
    // Unchanged, byte for byte: the SigV4 signature covers the header fields.
    out.write(head.raw().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /**
   * Copies the body that follows a head.
   *
   * @param hasBody false for what carries none (a response to HEAD, 1xx, 204, 304)
   * @param untilClose whether a message without length runs to the end of the stream (responses)
   */
  void copyBody(Head head, boolean hasBody, boolean untilClose) throws IOException {
    if (!hasBody) {
      return;
    }
    String encoding = head.header("transfer-encoding");
    if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
      copyChunked();
      return;
    }
    String length = head.header("content-length");
    if (length != null) {
      copyExactly(Long.parseLong(length));
    } else if (untilClose) {
      in.transferTo(out);
    }
    out.flush();
  }

  private void copyChunked() throws IOException {
    for (int chunk = 0; chunk < MAX_CHUNKS; chunk++) {
      String sizeLine = copyLine();
      int semicolon = sizeLine.indexOf(';');
      long size =
          Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
      if (size == 0) {
        // Trailer fields, up to the empty line.
        for (String line = copyLine(); !line.isEmpty(); line = copyLine()) {
          // copied
        }
        out.flush();
        return;
      }
      copyExactly(size);
      copyLine();
    }
  }

  private String copyLine() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int next = in.read(); next >= 0; next = in.read()) {
      out.write(next);
      if (next == '\n') {
        break;
      }
      line.append((char) next);
    }
    return line.toString().strip();
  }

  private void copyExactly(long length) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long left = length;
    while (left > 0) {
      int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (read < 0) {
        throw new IOException("stream ended " + left + " bytes before the body did");
      }
      out.write(buffer, 0, read);
      left -= read;
    }
    out.flush();
  }
}
