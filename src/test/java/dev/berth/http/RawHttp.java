package dev.berth.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends requests a well-behaved client would not send, over a plain socket with bounded timeouts,
 * and reads one HTTP/1.1 response back.
 */
final class RawHttp {
  private static final int TIMEOUT_MILLIS = 10_000;

  /**
   * A response read off the socket, or none when the server closed the connection without one.
   *
   * @param status the status, or -1 when the connection was closed without a response
   */
  @SuppressWarnings("ArrayRecordComponent") // a value read once, never mutated
  record Response(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String text() {
      return status + " " + headers + " " + new String(body, StandardCharsets.UTF_8);
    }
  }

  private RawHttp() {}

  /**
   * One keep-alive connection, for requests that must follow each other on the same socket.
   * Timeouts are bounded as for {@link #exchange}.
   */
  static final class Connection implements AutoCloseable {
    private final Socket socket;

    Connection(int port) throws IOException {
      socket = new Socket();
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
    }

    /** Writes the head and the body in one write, so that they reach the server together. */
    void write(String head, byte[] body) throws IOException {
      byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
      byte[] request = Arrays.copyOf(headBytes, headBytes.length + body.length);
      System.arraycopy(body, 0, request, headBytes.length, body.length);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
    }

    /** Reads one response. */
    Response read() throws IOException {
      return RawHttp.read(socket.getInputStream());
    }

    /** Whether the server closed the connection: a read ends instead of timing out. */
    boolean closedByServer() throws IOException {
      try {
        return socket.getInputStream().read() < 0;
      } catch (SocketException reset) {
        return true;
      } catch (SocketTimeoutException timeout) {
        return false;
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** Sends the head and body, then half-closes the write side and reads the response. */
  static Response exchange(int port, String head, byte[] body, boolean closeOutput)
      throws IOException {
    try (Connection connection = new Connection(port)) {
      Socket socket = connection.socket;
      OutputStream out = socket.getOutputStream();
      try {
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        if (closeOutput) {
          socket.shutdownOutput();
        }
      } catch (SocketException refusedEarly) {
        // The server may answer and close before the whole request is written.
      }
      return connection.read();
    }
  }

  /** Writes the head and the first part of a body, then reads what the server answers. */
  static Response exchange(int port, String head, byte[] body) throws IOException {
    return exchange(port, head, body, false);
  }

  private static Response read(InputStream in) throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int headEnd = -1;
    try {
      while (headEnd < 0) {
        int read = in.read(buffer);
        if (read < 0) {
          break;
        }
        received.write(buffer, 0, read);
        headEnd = indexOf(received.toByteArray(), "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      }
    } catch (SocketException reset) {
      // treated like a close below
    } catch (SocketTimeoutException timeout) {
      throw new AssertionError("the server neither answered nor closed within the timeout");
    }
    if (headEnd < 0) {
      return new Response(-1, Map.of(), received.toByteArray());
    }
    byte[] all = received.toByteArray();
    String[] lines = new String(all, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n", -1);
    int status = Integer.parseInt(lines[0].split(" ", 3)[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).strip());
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(all, headEnd + 4, all.length - headEnd - 4);
    String length = headers.get("content-length");
    if (length != null) {
      long wanted = Long.parseLong(length);
      try {
        while (body.size() < wanted) {
          int read = in.read(buffer, 0, (int) Math.min(buffer.length, wanted - body.size()));
          if (read < 0) {
            break;
          }
          body.write(buffer, 0, read);
        }
      } catch (SocketException reset) {
        // keep what arrived
      }
    }
    return new Response(status, headers, body.toByteArray());
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
