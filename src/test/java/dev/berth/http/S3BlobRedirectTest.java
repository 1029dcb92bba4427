package dev.berth.http;

import static dev.berth.http.TestRegistry.OCI_MANIFEST;
import static dev.berth.http.TestRegistry.assertError;
import static dev.berth.http.TestRegistry.bytes;
import static dev.berth.http.TestRegistry.header;
import static dev.berth.http.TestRegistry.sha256;
import static dev.berth.http.TestRegistry.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * Blob reads on the s3 driver with redirects on (registry:2's default): {@code GET} answers 307 to
 * a presigned S3Proxy URL that expires after 20 minutes and serves the blob and its ranges, {@code
 * HEAD} is answered by the registry itself, and tag and manifest lookups list nothing.
 *
 * <p>Runs in the {@code berth.api.target=s3} execution only, where S3Proxy is at hand.
 */
@Timeout(120)
class S3BlobRedirectTest {
  private static final String REPO = "redirect/app";

  private static TestRegistry registry;
  private static ListAppender<ILoggingEvent> s3Requests;

  @BeforeAll
  static void start() {
    assumeTrue(
        TestRegistry.target().equals("s3"),
        "redirects to presigned URLs exist on the s3 driver only; the s3 execution runs this");
    registry =
        TestRegistry.s3(
            false,
            false,
            server -> server.loggingSettings(TestRegistry.S3_BUCKET, TestRegistry.S3_ROOT));
    s3Requests = new ListAppender<>();
    s3Requests.start();
    requestLogger().addAppender(s3Requests);
  }

  @AfterAll
  static void stop() {
    if (s3Requests != null) {
      requestLogger().detachAppender(s3Requests);
    }
    if (registry != null) {
      registry.close();
    }
  }

  private static Logger requestLogger() {
    return (Logger) LoggerFactory.getLogger("dev.berth.storage.driver.s3.S3RequestLogger");
  }

  @Test
  void get_redirectsEnabled_answers307ToPresignedUrlOnTheStore() {
    byte[] content = bytes(70_000, 1);
    String digest = registry.pushBlob(REPO, content);

    HttpResponse<byte[]> response = registry.get("/v2/" + REPO + "/blobs/" + digest);

    assertThat(response.statusCode()).as(text(response)).isEqualTo(307);
    assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest);
    URI location = URI.create(header(response, "Location"));
    URI store = registry.s3().endpoint();
    assertThat(location.getHost()).isEqualTo("127.0.0.1");
    assertThat(location.getPort()).isEqualTo(store.getPort());
    String hex = digest.substring("sha256:".length());
    assertThat(location.getPath())
        .isEqualTo(
            "/berth-api/api/docker/registry/v2/blobs/sha256/"
                + hex.substring(0, 2)
                + "/"
                + hex
                + "/data");
    assertThat(location.getRawQuery())
        .contains("X-Amz-Algorithm=AWS4-HMAC-SHA256")
        .contains("X-Amz-Expires=1200")
        .contains("X-Amz-Signature=");

    HttpResponse<byte[]> followed = registry.get(location.toString());
    assertThat(followed.statusCode()).as(text(followed)).isEqualTo(200);
    assertThat(followed.body()).isEqualTo(content);
  }

  @Test
  void get_rangeThroughRedirect_storeServesTheRange() {
    byte[] content = bytes(50_000, 2);
    String digest = registry.pushBlob(REPO, content);

    HttpResponse<byte[]> redirect =
        registry.get("/v2/" + REPO + "/blobs/" + digest, "Range", "bytes=1000-1999");
    assertThat(redirect.statusCode()).as(text(redirect)).isEqualTo(307);
    HttpResponse<byte[]> range = registry.get(location(redirect), "Range", "bytes=1000-1999");

    assertThat(range.statusCode()).as(text(range)).isEqualTo(206);
    assertThat(header(range, "Content-Range")).isEqualTo("bytes 1000-1999/50000");
    assertThat(range.body()).isEqualTo(Arrays.copyOfRange(content, 1000, 2000));
  }

  @Test
  void head_redirectsEnabled_answeredByTheRegistry() {
    byte[] content = bytes(30_000, 3);
    String digest = registry.pushBlob(REPO, content);

    HttpResponse<byte[]> response = registry.head("/v2/" + REPO + "/blobs/" + digest);

    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    assertThat(header(response, "Location")).isNull();
    assertThat(header(response, "Content-Length")).isEqualTo("30000");
    assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest);
  }

  @Test
  void get_blobNotInRepository_answers404WithoutRedirect() {
    String digest = registry.pushBlob("redirect/other", bytes(1000, 4));

    assertError(registry.get("/v2/" + REPO + "/blobs/" + digest), 404, "BLOB_UNKNOWN");
    assertError(
        registry.get("/v2/" + REPO + "/blobs/" + sha256(bytes(10, 5))), 404, "BLOB_UNKNOWN");
  }

  @Test
  void pull_byTagAndDigest_sendsNoListToS3() {
    TestRegistry.Image image = registry.pushImage(REPO, "hot", "hot-path");
    int before = s3Requests.list.size();

    for (String reference : new String[] {"hot", image.digest()}) {
      String path = "/v2/" + REPO + "/manifests/" + reference;
      assertThat(registry.head(path, "Accept", OCI_MANIFEST).statusCode()).isEqualTo(200);
      HttpResponse<byte[]> manifest = registry.get(path, "Accept", OCI_MANIFEST);
      assertThat(manifest.body()).isEqualTo(image.manifest());
    }
    assertThat(registry.head("/v2/" + REPO + "/blobs/" + sha256(image.layer())).statusCode())
        .isEqualTo(200);
    assertThat(registry.get("/v2/" + REPO + "/blobs/" + sha256(image.config())).statusCode())
        .isEqualTo(307);

    List<String> operations = new ArrayList<>();
    for (ILoggingEvent event : s3Requests.list.subList(before, s3Requests.list.size())) {
      if (event.getThreadName().equals("berth-storage-health")) {
        continue; // the periodic storage health check lists the root, off the request path
      }
      for (KeyValuePair pair : event.getKeyValuePairs()) {
        if (pair.key.equals("s3.operation")) {
          operations.add(String.valueOf(pair.value));
        }
      }
    }
    assertThat(operations)
        .as("S3 requests of two manifest HEADs and GETs and two blob reads")
        .isNotEmpty()
        .allMatch(operation -> operation.equals("GetObject") || operation.equals("HeadObject"));
  }

  private static String location(HttpResponse<byte[]> response) {
    return TestRegistry.location(response);
  }
}
