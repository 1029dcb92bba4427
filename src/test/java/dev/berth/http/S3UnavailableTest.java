package dev.berth.http;

import static dev.berth.http.TestRegistry.OCI_MANIFEST;
import static dev.berth.http.TestRegistry.assertError;
import static dev.berth.http.TestRegistry.bytes;
import static dev.berth.http.TestRegistry.header;
import static dev.berth.http.TestRegistry.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.storage.driver.s3.S3FaultProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a client sees while the S3 store is overloaded or gone: S3Proxy behind a relay that answers
 * {@code 503 SlowDown}, {@code 503 ServiceUnavailable} or drops connections. After the driver's
 * retries the client gets {@code 429 TOOMANYREQUESTS} or {@code 503 UNAVAILABLE} with {@code
 * Retry-After} and the spec's error body, within the client's timeout; once S3 answers again, so
 * does the registry.
 *
 * <p>Runs in the {@code berth.api.target=s3} execution only, where S3Proxy is at hand.
 */
@Timeout(120)
class S3UnavailableTest {
  private static final String REPO = "unavailable/app";

  private static S3FaultProxy relay;
  private static TestRegistry registry;
  private static TestRegistry.Image image;

  @BeforeAll
  static void start() {
    assumeTrue(
        TestRegistry.target().equals("s3"),
        "the S3 fault relay needs S3Proxy; the s3 execution runs this");
    registry =
        TestRegistry.s3(
            false,
            true,
            server -> {
              try {
                relay = S3FaultProxy.start(server);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              return relay.settings(TestRegistry.S3_BUCKET, TestRegistry.S3_ROOT);
            });
    image = registry.pushImage(REPO, "v1", "unavailable");
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
    if (relay != null) {
      relay.close();
    }
  }

  @AfterEach
  void recover() {
    relay.pass();
    HttpResponse<byte[]> manifest =
        registry.get("/v2/" + REPO + "/manifests/v1", "Accept", OCI_MANIFEST);
    assertThat(manifest.statusCode()).as("after S3 is back: " + text(manifest)).isEqualTo(200);
    assertThat(manifest.body()).isEqualTo(image.manifest());
  }

  @Test
  void getManifest_s3SlowDown_answers429WithRetryAfter() {
    relay.fail(503, "SlowDown");

    HttpResponse<byte[]> response =
        registry.get("/v2/" + REPO + "/manifests/v1", "Accept", OCI_MANIFEST);

    assertError(response, 429, "TOOMANYREQUESTS");
    assertThat(header(response, "Retry-After")).isNotBlank();
  }

  @Test
  void getBlob_s3ServiceUnavailable_answers503WithRetryAfter() {
    relay.fail(503, "ServiceUnavailable");

    HttpResponse<byte[]> response =
        registry.get("/v2/" + REPO + "/blobs/" + TestRegistry.sha256(image.layer()));

    assertError(response, 503, "UNAVAILABLE");
    assertThat(header(response, "Retry-After")).isNotBlank();
  }

  @Test
  void pushBlob_s3SlowDown_answers429AndStoresNothing() {
    relay.fail(503, "SlowDown");
    byte[] content = bytes(2000, 9);

    HttpResponse<byte[]> response =
        registry.post(
            "/v2/" + REPO + "/blobs/uploads/?digest=" + TestRegistry.sha256(content), content);

    assertError(response, 429, "TOOMANYREQUESTS");
    assertThat(header(response, "Retry-After")).isNotBlank();
    relay.pass();
    assertError(
        registry.head("/v2/" + REPO + "/blobs/" + TestRegistry.sha256(content)),
        404,
        "BLOB_UNKNOWN");
  }

  @Test
  void getManifest_s3DropsConnections_answers503WithRetryAfter() {
    relay.drop();

    HttpResponse<byte[]> response =
        registry.get("/v2/" + REPO + "/manifests/v1", "Accept", OCI_MANIFEST);

    assertError(response, 503, "UNAVAILABLE");
    assertThat(header(response, "Retry-After")).isNotBlank();
  }
}
