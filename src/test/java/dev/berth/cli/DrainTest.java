package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.Configuration;
import dev.berth.config.ConfigurationLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrainTest {

  @TempDir Path dir;

  @Test
  void close_uploadInFlight_notReadyRefusesNewConnectionsAndFinishesTheUpload() throws Exception {
    Path file = dir.resolve("config.yml");
    Files.writeString(
        file,
        """
        version: 0.1
        storage:
          filesystem:
            rootdirectory: %s
        http:
          addr: 127.0.0.1:0
          secret: test-secret
          draintimeout: 20s
          debug:
            addr: 127.0.0.1:0
        """
            .formatted(dir.resolve("data")));
    Configuration config = ConfigurationLoader.fromFile(file, Map.of()).configuration();
    ServeCommand.Running running = ServeCommand.start(config);
    CompletableFuture<Void> closing = null;
    try {
      int port = running.server().port();
      int debugPort = running.debugPort().getAsInt();
      byte[] first = "first half, ".getBytes(StandardCharsets.UTF_8);
      byte[] second = "second half".getBytes(StandardCharsets.UTF_8);
      byte[] whole =
          (new String(first, StandardCharsets.UTF_8) + new String(second, StandardCharsets.UTF_8))
              .getBytes(StandardCharsets.UTF_8);
      String location = startUpload(port);

      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        socket.setSoTimeout(20_000);
        ChunkedPut put = new ChunkedPut(socket, location, OperationsEndpointsTest.digest(whole));
        put.chunk(first);
        // Only a request the handler has begun counts as in flight; on a busy machine the head can
        // still be queued when the drain starts, and would then be answered 503 like a new one.
        HttpResponse<String> inFlight =
            Http.await(
                debugPort,
                "/metrics",
                r -> Http.sample(r.body(), "berth_uploads_in_progress") == 1,
                Duration.ofSeconds(10));
        assertThat(Http.sample(inFlight.body(), "berth_uploads_in_progress")).isEqualTo(1);

        closing = CompletableFuture.runAsync(running::close);
        HttpResponse<String> notReady =
            Http.await(debugPort, "/readyz", r -> r.statusCode() == 503, Duration.ofSeconds(10));
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("draining");
        awaitRefused(port);

        put.chunk(second);
        put.finish();

        assertThat(put.statusLine()).startsWith("HTTP/1.1 201");
      }
      closing.get(30, TimeUnit.SECONDS);
      assertThat(Files.exists(dir.resolve("data/docker/registry/v2/blobs/sha256"))).isTrue();
    } finally {
      running.close();
    }
  }

  private static String startUpload(int port) throws Exception {
    HttpResponse<String> start =
        Http.send(port, "POST", "/v2/team/app/blobs/uploads/", HttpRequest.BodyPublishers.noBody());
    assertThat(start.statusCode()).isEqualTo(202);
    return start.headers().firstValue("Location").orElseThrow().replaceFirst("^https?://[^/]+", "");
  }

  /** Waits (bounded) until the listener no longer accepts connections. */
  private static void awaitRefused(int port) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      } catch (IOException refused) {
        return;
      }
      Thread.sleep(50);
    }
    assertThatThrownBy(
            () -> {
              try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
              }
            })
        .isInstanceOf(ConnectException.class);
  }

  /** A PUT that completes an upload with a chunked body the test sends piece by piece. */
  static final class ChunkedPut {
    private final Socket socket;
    private final OutputStream out;

    ChunkedPut(Socket socket, String location, String digest) throws IOException {
      this.socket = socket;
      this.out = socket.getOutputStream();
      String separator = location.contains("?") ? "&" : "?";
      String head =
          "PUT "
              + location
              + separator
              + "digest="
              + digest
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
              + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    void chunk(byte[] data) throws IOException {
      out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(data);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    void finish() throws IOException {
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    String statusLine() throws IOException {
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < 200; i++) {
        int c = in.read();
        if (c < 0 || c == '\n') {
          break;
        }
        line.append((char) c);
      }
      return line.toString().strip();
    }
  }
}
