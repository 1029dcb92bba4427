package dev.berth.storage.driver.s3;

import static dev.berth.storage.driver.StorageTestData.bytes;
import static dev.berth.storage.driver.StorageTestData.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import dev.berth.config.StorageSettings;
import dev.berth.storage.driver.FileWriter;
import dev.berth.storage.driver.StorageException;
import dev.berth.storage.driver.StorageUnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the driver says when S3 is not as configured: start-up errors that name the bucket, the
 * endpoint and what was denied; an unreachable endpoint that fails in seconds; S3 answering 503;
 * and server-side encryption that a store refuses, which shows it is requested on every write.
 */
class S3FailureTest {

  @RegisterExtension static final S3ProxyServer s3 = S3ProxyServer.filesystem();

  private static final Duration SOON = Duration.ofSeconds(45);

  @Test
  void checkBucket_writableBucket_passesAndLeavesNothing() {
    s3.createBucket("good");

    try (S3Driver driver = S3Driver.create(s3.settings("good", "/root"))) {
      driver.checkBucket();
    }

    try (S3Client client = s3.client()) {
      assertThat(client.listObjectsV2(b -> b.bucket("good")).contents()).isEmpty();
    }
  }

  @Test
  void checkBucket_wrongSecretKey_failsNamingBucketEndpointAndDenial() {
    s3.createBucket("guarded");
    StorageSettings.S3 settings =
        S3Settings.forEndpoint(
            s3.endpoint().toString(), "guarded", "/", S3ProxyServer.ACCESS_KEY, "wrong-secret-xyz");

    try (S3Driver driver = S3Driver.create(settings)) {
      assertThatThrownBy(driver::checkBucket)
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("guarded")
          .hasMessageContaining(s3.endpoint().toString())
          .hasMessageContaining("denied")
          .hasMessageContaining("HeadBucket")
          .hasMessageContaining("403")
          .hasMessageNotContaining("wrong-secret-xyz")
          .hasMessageNotContaining("software.amazon");
    }
  }

  @Test
  void checkBucket_missingBucket_failsNamingBucket() {
    try (S3Driver driver = S3Driver.create(s3.settings("no-such-bucket", "/"))) {
      assertThatThrownBy(driver::checkBucket)
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("bucket no-such-bucket at " + s3.endpoint())
          .hasMessageContaining("does not exist")
          .hasMessageContaining("create the bucket")
          .hasMessageNotContaining("software.amazon");
    }
  }

  @Test
  void checkBucket_unreachableEndpoint_failsWithinSeconds() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    StorageSettings.S3 settings =
        S3Settings.forEndpoint("http://127.0.0.1:" + closedPort, "any", "/", "ak", "sk");

    try (S3Driver driver = S3Driver.create(settings)) {
      assertTimeoutPreemptively(
          SOON,
          () ->
              assertThatThrownBy(driver::checkBucket)
                  .isInstanceOf(StorageUnavailableException.class)
                  .hasMessageContaining("cannot reach bucket any at http://127.0.0.1:" + closedPort)
                  .hasMessageContaining("Connection refused")
                  .hasMessageContaining("check regionendpoint")
                  .hasMessageNotContaining("software.amazon")
                  .hasMessageNotContaining("Exception"));
    }
  }

  @Test
  void getContent_unreachableEndpoint_saysSoInWordsNamingBucketAndEndpoint() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    String endpoint = "http://127.0.0.1:" + closedPort;

    try (S3Driver driver =
        S3Driver.create(S3Settings.forEndpoint(endpoint, "gone", "/", "ak", "sk"))) {
      assertTimeoutPreemptively(
          SOON,
          () ->
              assertThatThrownBy(() -> driver.getContent("/a/link"))
                  .isInstanceOf(StorageUnavailableException.class)
                  .hasMessageStartingWith(
                      "failed to GetObject a/link in bucket gone: cannot reach the S3 endpoint "
                          + endpoint)
                  .hasMessageContaining("Connection refused")
                  .hasMessageContaining("attempts")
                  .hasMessageNotContaining("software.amazon"));
    }
  }

  @Test
  void putContent_wrongSecretKey_saysDeniedWithS3sCodeAndMessage() {
    s3.createBucket("guarded-writes");
    StorageSettings.S3 settings =
        S3Settings.forEndpoint(
            s3.endpoint().toString(), "guarded-writes", "/", S3ProxyServer.ACCESS_KEY, "wrong");

    try (S3Driver driver = S3Driver.create(settings)) {
      assertThatThrownBy(() -> driver.putContent("/a/link", text("x")))
          .isInstanceOf(StorageException.class)
          .hasMessageStartingWith(
              "failed to PutObject a/link in bucket guarded-writes: S3 answered 403"
                  + " SignatureDoesNotMatch (")
          .hasMessageContaining("check the credentials")
          .hasMessageNotContaining("software.amazon");
    }
  }

  @Test
  void getContent_s3AnswersSlowDown_throwsThrottledAfterRetries() throws IOException {
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = unavailableServer(requests, "SlowDown");
    try (S3Driver driver = S3Driver.create(settingsFor(server))) {
      StorageUnavailableException thrown =
          assertTimeoutPreemptively(
              SOON,
              () ->
                  org.junit.jupiter.api.Assertions.assertThrows(
                      StorageUnavailableException.class, () -> driver.getContent("/a/link")));

      assertThat(thrown.throttled()).isTrue();
      assertThat(thrown)
          .hasMessageContaining("GetObject a/link in bucket bucket: S3 answered 503 SlowDown")
          .hasMessageContaining("Please reduce your request rate.")
          .hasMessageNotContaining("software.amazon");
      assertThat(requests.get())
          .as("attempts, retried with backoff")
          .isEqualTo(S3Clients.MAX_ATTEMPTS);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void putContent_s3Answers503_throwsUnavailableNotThrottled() throws IOException {
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = unavailableServer(requests, "ServiceUnavailable");
    try (S3Driver driver = S3Driver.create(settingsFor(server))) {
      StorageUnavailableException thrown =
          assertTimeoutPreemptively(
              SOON,
              () ->
                  org.junit.jupiter.api.Assertions.assertThrows(
                      StorageUnavailableException.class,
                      () -> driver.putContent("/a/link", text("x"))));

      assertThat(thrown.throttled()).isFalse();
      assertThat(requests.get()).isGreaterThan(1);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void encrypt_storeWithoutEncryption_everyWriteRequestsIt() {
    // S3Proxy's filesystem backend answers 501 to any server-side encryption header.
    s3.createBucket("plain");
    StorageSettings.S3 settings =
        S3Settings.withSizes(
            S3Settings.encrypted(s3.settings("plain", "/")),
            5 * S3Settings.MIB,
            5 * S3Settings.MIB,
            32 * S3Settings.MIB);
    try (S3Driver driver = S3Driver.create(settings);
        S3Driver unencrypted = S3Driver.create(s3.settings("plain", "/"))) {
      assertThatThrownBy(() -> driver.putContent("/a", text("x")))
          .hasMessageContaining("PutObject")
          .hasMessageContaining("501");
      FileWriter large = driver.writer("/large", false);
      assertThatThrownBy(() -> large.write(ByteBuffer.wrap(bytes(6 * 1024 * 1024, 1))))
          .hasMessageContaining("CreateMultipartUpload")
          .hasMessageContaining("501");
      FileWriter tail = driver.writer("/tail", false);
      tail.write(ByteBuffer.wrap(text("pending")));
      assertThatThrownBy(tail::close).hasMessageContaining("PutObject");
      unencrypted.putContent("/source", text("x"));
      assertThatThrownBy(() -> driver.move("/source", "/target"))
          .hasMessageContaining("CopyObject")
          .hasMessageContaining("501");
      assertThatThrownBy(driver::checkBucket).hasMessageContaining("PutObject");
      unencrypted.delete("/source");
    }
  }

  private static StorageSettings.S3 settingsFor(HttpServer server) {
    return S3Settings.forEndpoint(
        "http://127.0.0.1:" + server.getAddress().getPort(), "bucket", "/", "ak", "sk");
  }

  /** A peer that answers every request with 503 and the given S3 error code. */
  private static HttpServer unavailableServer(AtomicInteger requests, String code)
      throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] body =
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
                + code
                + "</Code><Message>Please reduce your request rate.</Message>"
                + "<RequestId>1</RequestId></Error>")
            .getBytes(StandardCharsets.UTF_8);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          exchange.getRequestBody().readAllBytes();
          exchange.getResponseHeaders().add("Content-Type", "application/xml");
          exchange.sendResponseHeaders(503, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return server;
  }
}
