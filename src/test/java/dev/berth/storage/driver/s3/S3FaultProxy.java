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
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A TCP relay on 127.0.0.1 in front of a real S3 server ({@link S3ProxyServer}) that can be told to
 * answer every request itself with an S3 error, such as {@code 503 SlowDown}: S3Proxy cannot be
 * asked to fail, and a store that is overloaded for a while is what the tests need.
 *
 * <p>While relaying, bytes pass through untouched, so SigV4 signatures (which cover the {@code
 * Host} this relay's clients send) stay valid. {@link #fail} closes the relayed connections, so
 * that the client's next request opens a new one and meets the error.
 *
 * <p>A relay started with {@link #recording} also reads the HTTP/1.1 framing as it relays (still
 * byte for byte), so that a test can see each request's headers ({@link #requests()}: the storage
 * class, ACL, user agent, security token the driver sent) and how many requests of a kind were in
 * flight at once ({@link #holdUntilConcurrent}).
 */
public final class S3FaultProxy implements AutoCloseable {
  private static final int MAX_HEAD_BYTES = 64 * 1024;
  private static final long MAX_DISCARDED_BODY = 64L * 1024 * 1024;

  private final S3ProxyServer target;
  private final ServerSocket listener;
  private final Thread acceptor;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicReference<@Nullable Fault> fault = new AtomicReference<>();

  private final boolean recording;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Object holdLock = new Object();
  private @Nullable Hold hold;
  private int inFlight;
  private int maxInFlight;

  private record Fault(int status, String code) {}

  private record Hold(Predicate<Request> which, int count, Duration timeout) {}

  private record Pending(Request request, boolean held) {}

  /**
   * A request the recording relay passed on.
   *
   * @param method the HTTP method
   * @param target the request target: path and query
   * @param headers the header fields, names in lower case
   */
  public record Request(String method, String target, Map<String, String> headers) {
    /** A header's value, or null when the request had none. */
    public @Nullable String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private S3FaultProxy(S3ProxyServer target, boolean recording) throws IOException {
    this.target = target;
    this.recording = recording;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = Thread.ofPlatform().daemon().name("s3-fault-proxy").start(this::acceptAll);
  }

  /** Starts a relay to the server. */
  public static S3FaultProxy start(S3ProxyServer target) throws IOException {
    return new S3FaultProxy(target, false);
  }

  /** Starts a relay to the server that records every request it passes on. */
  public static S3FaultProxy recording(S3ProxyServer target) throws IOException {
    return new S3FaultProxy(target, true);
  }

  /** The requests relayed so far, in the order they arrived (recording relays only). */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Forgets the requests recorded so far. */
  public void clearRequests() {
    requests.clear();
  }

  /**
   * From now on (recording relays only), holds each request that matches before passing it on,
   * until {@code count} matching requests are in flight at once or {@code timeout} has passed: a
   * client that sends requests in parallel then has as many in flight as it allows, however the
   * threads are scheduled, and {@link #maxInFlight()} shows how many that is.
   */
  public void holdUntilConcurrent(Predicate<Request> which, int count, Duration timeout) {
    synchronized (holdLock) {
      hold = new Hold(which, count, timeout);
      inFlight = 0;
      maxInFlight = 0;
    }
  }

  /** The most matching requests in flight at once since {@link #holdUntilConcurrent}. */
  public int maxInFlight() {
    synchronized (holdLock) {
      return maxInFlight;
    }
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
        if (recording) {
          relayFramed(client, upstream);
        } else {
          Thread back = Thread.ofVirtual().start(() -> pump(upstream, client, upstream, client));
          pump(client, upstream, client, upstream);
          back.join(10_000);
        }
      } finally {
        open.removeIf(Socket::isClosed);
      }
    } catch (IOException | InterruptedException ended) {
      // The client, the server or fail() closed the connection: nothing more to relay.
    } finally {
      open.remove(client);
    }
  }

  /** Relays message by message, recording each request; pairs responses with requests in order. */
  private void relayFramed(Socket client, Socket upstream) throws InterruptedException {
    Queue<Pending> pending = new ConcurrentLinkedQueue<>();
    Thread back =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    relayResponses(upstream, client, pending);
                  } catch (IOException | RuntimeException ended) {
                    // closed from either side
                  } finally {
                    closeQuietly(client);
                    closeQuietly(upstream);
                  }
                });
    try {
      HttpFraming framing = new HttpFraming(client.getInputStream(), upstream.getOutputStream());
      // Bounded: one connection carries at most this many requests in a test.
      for (int message = 0; message < 100_000; message++) {
        HttpFraming.Head head = framing.readHead();
        if (head == null) {
          break;
        }
        Request request = new Request(head.method(), head.second(), head.headers());
        requests.add(request);
        pending.add(new Pending(request, holdIfMatching(request)));
        framing.writeHead(head);
        framing.copyBody(head, true, false);
      }
    } catch (IOException | RuntimeException ended) {
      // closed from either side
    } finally {
      closeQuietly(client);
      closeQuietly(upstream);
    }
    back.join(10_000);
  }

  private void relayResponses(Socket upstream, Socket client, Queue<Pending> pending)
      throws IOException {
    HttpFraming framing = new HttpFraming(upstream.getInputStream(), client.getOutputStream());
    for (int message = 0; message < 200_000; message++) {
      HttpFraming.Head head = framing.readHead();
      if (head == null) {
        return;
      }
      int status = Integer.parseInt(head.second());
      framing.writeHead(head);
      if (status < 200) {
        continue; // 100 Continue: the final response follows
      }
      Pending answered = pending.poll();
      if (answered != null && answered.held()) {
        synchronized (holdLock) {
          inFlight--;
        }
      }
      boolean headRequest = answered != null && answered.request().method().equals("HEAD");
      framing.copyBody(head, !headRequest && status != 204 && status != 304, true);
    }
  }

  /** Counts a matching request as in flight and waits (bounded) for the others of its kind. */
  private boolean holdIfMatching(Request request) throws IOException {
    synchronized (holdLock) {
      Hold now = hold;
      if (now == null || !now.which().test(request)) {
        return false;
      }
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      holdLock.notifyAll();
      long deadline = System.nanoTime() + now.timeout().toNanos();
      try {
        while (inFlight < now.count() && System.nanoTime() < deadline) {
          holdLock.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while holding a request", e);
      }
      return true;
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
