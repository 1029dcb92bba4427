package dev.berth.it.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 requests that each open a new TCP connection to 127.0.0.1 and close it afterwards
 * ({@code Connection: close}), so that a load balancer must choose a server for every one of them.
 * Bodies are streamed from a writer, so a test can push hundreds of MiB without holding them.
 */
public final class OneRequest {
  private static final int TIMEOUT_MILLIS = 120_000;
  private static final int MAX_BODY = 4 * 1024 * 1024;

  private OneRequest() {}

  /** Writes a request body. */
  @FunctionalInterface
  public interface BodyWriter {
    /** Writes the body's bytes (exactly the declared length). */
    void write(OutputStream out) throws IOException;
  }

  /**
   * An answer.
   *
   * @param status the HTTP status, or -1 when the connection broke before one arrived
   * @param headers the headers, names in lower case
   * @param body the body (at most 4 MiB are kept); test data never changed
   * @param bodyDigest the {@code sha256:...} of the whole body, however long
   * @param bodyLength the body's length
   */
  @SuppressWarnings("ArrayRecordComponent")
  public record Response(
      int status, Map<String, String> headers, byte[] body, String bodyDigest, long bodyLength) {
    /** A header's value. */
    public Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The body as text, for messages. */
    public String text() {
      return status + " " + headers + " " + new String(body, StandardCharsets.UTF_8);
    }
  }

  /** Sends a request with a small body (or none) and reads the whole answer. */
  public static Response send(
      int port, String method, String target, Map<String, String> headers, byte[] body)
      throws IOException {
    return stream(port, method, target, headers, body.length, out -> out.write(body));
  }

  /**
   * Sends a request whose body the writer streams, and reads the answer. When the writer fails
   * because the server went away, the answer is read if one came, else the status is -1.
   *
   * @param length the body length sent as {@code Content-Length}, or -1 for no body
   */
  public static Response stream(
      int port,
      String method,
      String target,
      Map<String, String> headers,
      long length,
      BodyWriter writer)
      throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      StringBuilder head = new StringBuilder();
      head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      head.append("Host: 127.0.0.1:").append(port).append("\r\n");
      head.append("Connection: close\r\n");
      if (length >= 0) {
        head.append("Content-Length: ").append(length).append("\r\n");
      }
      headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
      head.append("\r\n");
      try {
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        if (length > 0) {
          writer.write(out);
        }
        out.flush();
      } catch (IOException broken) {
        // The server went away mid-request; whatever answer it managed to send is read below.
      }
      try {
        return read(new BufferedInputStream(socket.getInputStream()), method);
      } catch (IOException broken) {
        return new Response(-1, Map.of(), new byte[0], "", 0);
      }
    }
  }

  private static Response read(InputStream in, String method) throws IOException {
    String statusLine = line(in);
    if (statusLine == null) {
      return new Response(-1, Map.of(), new byte[0], "", 0);
    }
    String[] parts = statusLine.split(" ", 3);
    int status = Integer.parseInt(parts[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(
            line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).strip());
      }
    }
    long remaining =
        method.equals("HEAD") || status == 204 || status == 304
            ? 0
            : Long.parseLong(headers.getOrDefault("content-length", "-1"));
    MessageDigest digest = sha256();
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    byte[] buffer = new byte[256 * 1024];
    long total = 0;
    // Without a Content-Length the body ends when the server closes (Connection: close).
    while (remaining != 0) {
      int read =
          in.read(
              buffer, 0, (int) Math.min(buffer.length, remaining < 0 ? buffer.length : remaining));
      if (read < 0) {
        break;
      }
      digest.update(buffer, 0, read);
      if (kept.size() < MAX_BODY) {
        kept.write(buffer, 0, Math.min(read, MAX_BODY - kept.size()));
      }
      total += read;
      if (remaining > 0) {
        remaining -= read;
      }
    }
    return new Response(
        status,
        headers,
        kept.toByteArray(),
        "sha256:" + HexFormat.of().formatHex(digest.digest()),
        total);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (b == '\n') {
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  /** A new SHA-256 digest. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
