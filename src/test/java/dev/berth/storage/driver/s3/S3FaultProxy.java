package dev.berth.storage.driver.s3;

import dev.berth.config.StorageSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A TCP relay on 127.0.0.1 in front of a real S3 server ({@link S3ProxyServer}) that can be told to
 * answer every request itself with an S3 error, such as {@code 503 SlowDown}: S3Proxy cannot be
 * asked to fail, and a store that is overloaded for a while is what the tests need.
 *
 * <p>While relaying, bytes pass through untouched, so SigV4 signatures (which cover the {@code
 * Host} this relay's clients send) stay valid. {@link #fail} closes the relayed connections, so
 * that the client's next request opens a new one and meets the error.
 */
public final class S3FaultProxy implements AutoCloseable {
  private static final int MAX_HEAD_BYTES = 64 * 1024;
  private static final long MAX_DISCARDED_BODY = 64L * 1024 * 1024;

  private final S3ProxyServer target;
  private final ServerSocket listener;
  private final Thread acceptor;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicReference<@Nullable Fault> fault = new AtomicReference<>();

  private record Fault(int status, String code) {}

  private S3FaultProxy(S3ProxyServer target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = Thread.ofPlatform().daemon().name("s3-fault-proxy").start(this::acceptAll);
  }

  /** Starts a relay to the server. */
  public static S3FaultProxy start(S3ProxyServer target) throws IOException {
    return new S3FaultProxy(target);
  }

  /** The relay's endpoint, {@code http://127.0.0.1:port}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  /** Driver settings that reach the server through this relay (the server's test keys). */
  public StorageSettings.S3 settings(String bucket, String rootDirectory) {
    return S3Settings.forEndpoint(
        endpoint().toString(),
        bucket,
        rootDirectory,
        S3ProxyServer.ACCESS_KEY,
        S3ProxyServer.SECRET_KEY);
  }

  /** From now on, answers every request with this status and S3 error code. */
  public void fail(int status, String code) {
    if (status < 100) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
    interrupt(new Fault(status, code));
  }

  /** From now on, closes every connection as soon as it is accepted, as a dead store would. */
  public void drop() {
    interrupt(new Fault(0, ""));
  }

  private void interrupt(Fault next) {
    fault.set(next);
    for (Socket socket : open) {
      closeQuietly(socket);
    }
  }

  /** From now on, relays again. */
  public void pass() {
    fault.set(null);
  }

  @Override
  public void close() {
    closeQuietly(listener);
    for (Socket socket : open) {
      closeQuietly(socket);
    }
    try {
      acceptor.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptAll() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        open.add(client);
        Thread.ofVirtual().start(() -> serve(client));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      Fault now = fault.get();
      if (now != null && now.status() == 0) {
        return;
      }
      if (now != null) {
        answer(client, now);
        return;
      }
      try (Socket upstream = new Socket()) {
        upstream.connect(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), target.endpoint().getPort()),
            5000);
        open.add(upstream);
        Thread back = Thread.ofVirtual().start(() -> pump(upstream, client, upstream, client));
        pump(client, upstream, client, upstream);
        back.join(10_000);
      } finally {
        open.removeIf(Socket::isClosed);
      }
    } catch (IOException | InterruptedException ended) {
      // The client, the server or fail() closed the connection: nothing more to relay.
    } finally {
      open.remove(client);
    }
  }

  /** Copies one direction until it ends, then closes both sockets so the other direction ends. */
  private static void pump(Socket from, Socket to, Socket first, Socket second) {
    byte[] buffer = new byte[64 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        out.write(buffer, 0, read);
        out.flush();
      }
    } catch (IOException ended) {
      // closed from either side
    } finally {
      closeQuietly(first);
      closeQuietly(second);
    }
  }

  /** Reads one request (head and body, bounded) and answers it with the fault's S3 error. */
  private static void answer(Socket client, Fault fault) throws IOException {
    InputStream in = client.getInputStream();
    String head = readHead(in);
    // A client that waits for "100 Continue" sends no body: the final answer comes at once.
    long length =
        head.toLowerCase(Locale.ROOT).contains("\r\nexpect: 100-continue")
            ? 0
            : contentLength(head);
    long skipped = 0;
    while (skipped < Math.min(length, MAX_DISCARDED_BODY)) {
      long step = in.skip(Math.min(length, MAX_DISCARDED_BODY) - skipped);
      if (step <= 0) {
        break;
      }
      skipped += step;
    }
    byte[] body =
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
                + fault.code()
                + "</Code><Message>injected by the test</Message><RequestId>fault</RequestId>"
                + "</Error>")
            .getBytes(StandardCharsets.UTF_8);
    String response =
        "HTTP/1.1 "
            + fault.status()
            + " Injected\r\nContent-Type: application/xml\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    OutputStream out = client.getOutputStream();
    out.write(response.getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.length() < MAX_HEAD_BYTES
        && !(head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n"))) {
      int next = in.read();
      if (next < 0) {
        break;
      }
      head.append((char) next);
    }
    return head.toString();
  }

  private static long contentLength(String head) {
    for (String line : head.lines().toList()) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Long.parseLong(line.substring("content-length:".length()).strip());
      }
    }
    return 0;
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // already closed
    }
  }
}
