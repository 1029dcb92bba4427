package dev.berth.http;

import static dev.berth.http.TestRegistry.assertError;
import static dev.berth.http.TestRegistry.bytes;
import static dev.berth.http.TestRegistry.header;
import static dev.berth.http.TestRegistry.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** end-2 (GET and HEAD of a blob) and end-10 (DELETE) while deletes are disabled. */
@Timeout(60)
class BlobEndpointsTest {
  private static final String REPO = "blobs/pull";
  private static final byte[] CONTENT = bytes(100_000, 7);
  private static TestRegistry registry;
  private static String digest;

  @BeforeAll
  static void start() {
    registry = TestRegistry.inMemory(false);
    digest = registry.pushBlob(REPO, CONTENT);
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  @Test
  void getBlob_whenPresent_answersBytesWithDigestLengthAndEtag() {
    HttpResponse<byte[]> response = registry.get("/v2/" + REPO + "/blobs/" + digest);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(CONTENT);
    assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest);
    assertThat(header(response, "Content-Length")).isEqualTo(String.valueOf(CONTENT.length));
    assertThat(header(response, "ETag")).contains(digest);
  }

  @Test
  void headBlob_whenPresent_answersHeadersWithoutBody() {
    HttpResponse<byte[]> response = registry.head("/v2/" + REPO + "/blobs/" + digest);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest);
    assertThat(header(response, "Content-Length")).isEqualTo(String.valueOf(CONTENT.length));
  }

  @Test
  void getBlob_withSingleRange_answers206WithThatSlice() {
    HttpResponse<byte[]> response =
        registry.get("/v2/" + REPO + "/blobs/" + digest, "Range", "bytes=10-19");

    assertThat(response.statusCode()).isEqualTo(206);
    assertThat(response.body()).isEqualTo(Arrays.copyOfRange(CONTENT, 10, 20));
    assertThat(header(response, "Content-Range")).isEqualTo("bytes 10-19/" + CONTENT.length);
    assertThat(header(response, "Content-Length")).isEqualTo("10");
  }

  @Test
  void getBlob_withOpenEndedRange_answersTheRest() {
    HttpResponse<byte[]> response =
        registry.get("/v2/" + REPO + "/blobs/" + digest, "Range", "bytes=99990-");

    assertThat(response.statusCode()).isEqualTo(206);
    assertThat(response.body()).isEqualTo(Arrays.copyOfRange(CONTENT, 99_990, CONTENT.length));
  }

  @Test
  void getBlob_withUnsatisfiableRange_answers416() {
    HttpResponse<byte[]> response =
        registry.get("/v2/" + REPO + "/blobs/" + digest, "Range", "bytes=200000-200010");

    assertThat(response.statusCode()).isEqualTo(416);
    assertThat(header(response, "Content-Range")).isEqualTo("bytes */" + CONTENT.length);
    TestRegistry.assertErrorBody(response.body());
  }

  @Test
  void getBlob_whenUnknown_answers404BlobUnknown() {
    String unknown = sha256(TestRegistry.utf8("never pushed"));

    assertError(registry.get("/v2/" + REPO + "/blobs/" + unknown), 404, "BLOB_UNKNOWN");
    assertError(registry.head("/v2/" + REPO + "/blobs/" + unknown), 404, "BLOB_UNKNOWN");
  }

  @Test
  void getBlob_whenOnlyInAnotherRepository_answers404() {
    assertError(registry.get("/v2/blobs/other/blobs/" + digest), 404, "BLOB_UNKNOWN");
    assertError(registry.head("/v2/blobs/other/blobs/" + digest), 404, "BLOB_UNKNOWN");
  }

  @Test
  void getBlob_withSha512Digest_servesTheBlob() {
    byte[] content = bytes(5000, 3);
    String sha512 = TestRegistry.sha512(content);
    HttpResponse<byte[]> pushed =
        registry.post("/v2/" + REPO + "/blobs/uploads/?digest=" + sha512, content);
    assertThat(pushed.statusCode()).as(TestRegistry.text(pushed)).isEqualTo(201);
    assertThat(header(pushed, "Docker-Content-Digest")).isEqualTo(sha512);

    HttpResponse<byte[]> response = registry.get("/v2/" + REPO + "/blobs/" + sha512);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(content);
    assertThat(header(response, "Docker-Content-Digest")).isEqualTo(sha512);
  }

  @Test
  void deleteBlob_whenDeletesDisabled_answers405UnsupportedAndKeepsBlob() {
    assertError(registry.delete("/v2/" + REPO + "/blobs/" + digest), 405, "UNSUPPORTED");

    assertThat(registry.head("/v2/" + REPO + "/blobs/" + digest).statusCode()).isEqualTo(200);
  }

  @Test
  void getBlob_withMalformedDigest_answers400DigestInvalid() {
    assertError(registry.get("/v2/" + REPO + "/blobs/sha256:xyz"), 400, "DIGEST_INVALID");
    assertError(registry.get("/v2/" + REPO + "/blobs/md5:abc"), 400, "DIGEST_INVALID");
  }
}
