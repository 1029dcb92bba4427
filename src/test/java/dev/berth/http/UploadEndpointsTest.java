package dev.berth.http;

import static dev.berth.http.TestRegistry.assertError;
import static dev.berth.http.TestRegistry.bytes;
import static dev.berth.http.TestRegistry.header;
import static dev.berth.http.TestRegistry.location;
import static dev.berth.http.TestRegistry.sha256;
import static dev.berth.http.TestRegistry.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * end-4a, end-4b (POST), end-5 (PATCH), end-6 (PUT), end-11 (mount) and end-13 (GET status) of blob
 * uploads, and cancelling one with DELETE.
 */
@Timeout(60)
class UploadEndpointsTest {
  private static TestRegistry registry;

  @BeforeAll
  static void start() {
    registry = TestRegistry.inMemory(false);
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  private static String withDigest(String location, String digest) {
    return location + (location.contains("?") ? "&" : "?") + "digest=" + digest;
  }

  private static void assertBlob(String repository, String digest, byte[] content) {
    HttpResponse<byte[]> response = registry.get("/v2/" + repository + "/blobs/" + digest);
    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    assertThat(response.body()).isEqualTo(content);
  }

  private static void assertNoBlob(String repository, String digest) {
    assertError(registry.head("/v2/" + repository + "/blobs/" + digest), 404, "BLOB_UNKNOWN");
  }

  @Test
  void postUpload_withoutDigest_answers202WithLocationUuidAndRange() {
    HttpResponse<byte[]> response = registry.post("/v2/uploads/start/blobs/uploads/", new byte[0]);

    assertThat(response.statusCode()).isEqualTo(202);
    String uuid = header(response, "Docker-Upload-UUID");
    assertThat(uuid).isNotBlank();
    assertThat(location(response)).contains("/v2/uploads/start/blobs/uploads/" + uuid);
    assertThat(header(response, "Range")).isEqualTo("0-0");
    assertThat(header(response, "Content-Length")).isEqualTo("0");
  }

  @Test
  void postUpload_withDigestAndBody_answers201AndStoresBlob() {
    byte[] content = bytes(3000, 1);
    String digest = sha256(content);

    HttpResponse<byte[]> response =
        registry.post("/v2/uploads/mono/blobs/uploads/?digest=" + digest, content);

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(location(response)).endsWith("/v2/uploads/mono/blobs/" + digest);
    assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest);
    assertBlob("uploads/mono", digest, content);
  }

  @Test
  void postUpload_withDigestAndBodyAboveS3ChunkSize_answers201AndStoresBlob() {
    // Above the s3 driver's default 10 MiB chunk size: on S3 a multipart upload of two parts.
    byte[] content = bytes(11 * 1024 * 1024 + 17, 4);
    String digest = sha256(content);

    HttpResponse<byte[]> response =
        registry.post("/v2/uploads/mono-large/blobs/uploads/?digest=" + digest, content);

    assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
    assertBlob("uploads/mono-large", digest, content);
  }

  @Test
  void postUpload_withWrongDigest_answers400DigestInvalidAndStoresNothing() {
    byte[] content = bytes(300, 2);
    String wrong = sha256(TestRegistry.utf8("something else"));

    HttpResponse<byte[]> response =
        registry.post("/v2/uploads/mono-bad/blobs/uploads/?digest=" + wrong, content);

    assertError(response, 400, "DIGEST_INVALID");
    assertNoBlob("uploads/mono-bad", wrong);
    assertNoBlob("uploads/mono-bad", sha256(content));
  }

  @Test
  void putUpload_withWholeBody_answers201AndStoresBlob() {
    byte[] content = bytes(70_000, 3);
    String digest = sha256(content);
    String location = registry.startUpload("uploads/post-put");

    HttpResponse<byte[]> response = registry.put(withDigest(location, digest), content);

    assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
    assertThat(location(response)).endsWith("/v2/uploads/post-put/blobs/" + digest);
    assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest);
    assertBlob("uploads/post-put", digest, content);
  }

  @Test
  void patchUpload_chunksWithContentRange_followLocationAndComplete() {
    byte[] content = bytes(250_000, 4);
    String digest = sha256(content);
    String location = registry.startUpload("uploads/chunked");
    int[] cuts = {0, 100_000, 200_000, content.length};

    for (int i = 0; i + 1 < cuts.length; i++) {
      byte[] chunk = Arrays.copyOfRange(content, cuts[i], cuts[i + 1]);
      HttpResponse<byte[]> response =
          registry.patch(
              location,
              chunk,
              "Content-Type",
              "application/octet-stream",
              "Content-Range",
              cuts[i] + "-" + (cuts[i + 1] - 1));
      assertThat(response.statusCode()).as(text(response)).isEqualTo(202);
      assertThat(header(response, "Range")).isEqualTo("0-" + (cuts[i + 1] - 1));
      assertThat(header(response, "Docker-Upload-UUID")).isNotBlank();
      location = location(response);
    }
    HttpResponse<byte[]> done = registry.put(withDigest(location, digest), new byte[0]);

    assertThat(done.statusCode()).as(text(done)).isEqualTo(201);
    assertBlob("uploads/chunked", digest, content);
  }

  @Test
  void patchUpload_chunksWithoutContentRange_appendInOrder() {
    byte[] content = bytes(90_000, 5);
    String digest = sha256(content);
    String location = registry.startUpload("uploads/streamed");

    for (int start = 0; start < content.length; start += 30_000) {
      HttpResponse<byte[]> response =
          registry.patch(location, Arrays.copyOfRange(content, start, start + 30_000));
      assertThat(response.statusCode()).as(text(response)).isEqualTo(202);
      assertThat(header(response, "Range")).isEqualTo("0-" + (start + 30_000 - 1));
      location = location(response);
    }
    HttpResponse<byte[]> done = registry.put(withDigest(location, digest), new byte[0]);

    assertThat(done.statusCode()).as(text(done)).isEqualTo(201);
    assertBlob("uploads/streamed", digest, content);
  }

  @Test
  void patchUpload_withLastChunkInPut_completes() {
    byte[] content = bytes(20_000, 6);
    String digest = sha256(content);
    String location = registry.startUpload("uploads/put-last");
    HttpResponse<byte[]> first =
        registry.patch(
            location, Arrays.copyOfRange(content, 0, 12_000), "Content-Range", "0-11999");
    assertThat(first.statusCode()).isEqualTo(202);

    HttpResponse<byte[]> done =
        registry.put(
            withDigest(location(first), digest),
            Arrays.copyOfRange(content, 12_000, content.length),
            "Content-Range",
            "12000-19999");

    assertThat(done.statusCode()).as(text(done)).isEqualTo(201);
    assertBlob("uploads/put-last", digest, content);
  }

  @Test
  void patchUpload_withContentRangeNotAtOffset_answers416AndChangesNothing() {
    byte[] content = bytes(10_000, 7);
    String digest = sha256(content);
    String location = registry.startUpload("uploads/out-of-order");
    HttpResponse<byte[]> first =
        registry.patch(location, Arrays.copyOfRange(content, 0, 4000), "Content-Range", "0-3999");
    assertThat(first.statusCode()).isEqualTo(202);
    location = location(first);

    HttpResponse<byte[]> skipped =
        registry.patch(
            location, Arrays.copyOfRange(content, 5000, 6000), "Content-Range", "5000-5999");
    HttpResponse<byte[]> repeated =
        registry.patch(location, Arrays.copyOfRange(content, 0, 1000), "Content-Range", "0-999");

    for (HttpResponse<byte[]> refused : java.util.List.of(skipped, repeated)) {
      assertError(refused, 416, "RANGE_INVALID");
      assertThat(header(refused, "Range")).isEqualTo("0-3999");
    }
    HttpResponse<byte[]> status = registry.get(location);
    assertThat(status.statusCode()).isEqualTo(204);
    assertThat(header(status, "Range")).isEqualTo("0-3999");
    HttpResponse<byte[]> rest =
        registry.patch(
            location,
            Arrays.copyOfRange(content, 4000, content.length),
            "Content-Range",
            "4000-9999");
    assertThat(rest.statusCode()).as(text(rest)).isEqualTo(202);
    HttpResponse<byte[]> done = registry.put(withDigest(location(rest), digest), new byte[0]);
    assertThat(done.statusCode()).as(text(done)).isEqualTo(201);
    assertBlob("uploads/out-of-order", digest, content);
  }

  @Test
  void getUploadStatus_inProgress_answers204WithRangeAndUuid() {
    String location = registry.startUpload("uploads/status");
    HttpResponse<byte[]> empty = registry.get(location);
    assertThat(empty.statusCode()).isEqualTo(204);
    assertThat(header(empty, "Range")).isEqualTo("0-0");
    HttpResponse<byte[]> chunk = registry.patch(location, bytes(1234, 8));

    HttpResponse<byte[]> status = registry.get(location(chunk));

    assertThat(status.statusCode()).isEqualTo(204);
    assertThat(header(status, "Range")).isEqualTo("0-1233");
    assertThat(header(status, "Docker-Upload-UUID")).isEqualTo(header(chunk, "Docker-Upload-UUID"));
    assertThat(location(status)).contains(header(chunk, "Docker-Upload-UUID"));
  }

  @Test
  void deleteUpload_inProgress_cancelsIt() {
    String location = registry.startUpload("uploads/cancel");
    HttpResponse<byte[]> chunk = registry.patch(location, bytes(500, 9));
    location = location(chunk);

    HttpResponse<byte[]> cancelled = registry.delete(location);

    assertThat(cancelled.statusCode()).isEqualTo(204);
    assertError(registry.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
    assertError(registry.patch(location, bytes(10, 1)), 404, "BLOB_UPLOAD_UNKNOWN");
    assertError(registry.delete(location), 404, "BLOB_UPLOAD_UNKNOWN");
  }

  @Test
  void getUploadStatus_unknownUpload_answers404BlobUploadUnknown() {
    assertError(
        registry.get("/v2/uploads/unknown/blobs/uploads/0d5e8c9e-6f0a-4f5e-9d61-2f3b1b2a7c11"),
        404,
        "BLOB_UPLOAD_UNKNOWN");
  }

  @Test
  void putUpload_withWrongDigest_answers400DigestInvalidAndNoBlobExists() {
    byte[] content = bytes(8000, 10);
    String wrong = sha256(TestRegistry.utf8("not the content"));
    String location = registry.startUpload("uploads/wrong-digest");

    HttpResponse<byte[]> response = registry.put(withDigest(location, wrong), content);

    assertError(response, 400, "DIGEST_INVALID");
    assertNoBlob("uploads/wrong-digest", wrong);
    assertNoBlob("uploads/wrong-digest", sha256(content));
  }

  @Test
  void putUpload_withoutDigest_answers400DigestInvalid() {
    String location = registry.startUpload("uploads/no-digest");

    assertError(registry.put(location, bytes(10, 1)), 400, "DIGEST_INVALID");
  }

  @Test
  void putUpload_withMalformedDigest_answers400DigestInvalid() {
    String location = registry.startUpload("uploads/bad-digest");

    assertError(
        registry.put(withDigest(location, "sha256:zz"), bytes(10, 1)), 400, "DIGEST_INVALID");
  }

  @Test
  void putUpload_withSha512Digest_storesBlobUnderIt() {
    byte[] content = bytes(40_000, 11);
    String digest = TestRegistry.sha512(content);
    String location = registry.startUpload("uploads/sha512");
    HttpResponse<byte[]> chunk = registry.patch(location, Arrays.copyOfRange(content, 0, 15_000));

    HttpResponse<byte[]> done =
        registry.put(
            withDigest(location(chunk), digest), Arrays.copyOfRange(content, 15_000, 40_000));

    assertThat(done.statusCode()).as(text(done)).isEqualTo(201);
    assertThat(header(done, "Docker-Content-Digest")).isEqualTo(digest);
    assertBlob("uploads/sha512", digest, content);
  }

  @Test
  void mount_whenBlobIsInFrom_answers201AndLinksBlob() {
    byte[] content = bytes(2000, 12);
    String digest = registry.pushBlob("mount/source", content);

    HttpResponse<byte[]> response =
        registry.post(
            "/v2/mount/target/blobs/uploads/?mount=" + digest + "&from=mount/source", new byte[0]);

    assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
    assertThat(location(response)).endsWith("/v2/mount/target/blobs/" + digest);
    assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest);
    assertBlob("mount/target", digest, content);
  }

  @Test
  void mount_whenBlobIsNotInFrom_answers202NewSession() {
    byte[] content = bytes(2000, 13);
    String digest = registry.pushBlob("mount/elsewhere", content);

    HttpResponse<byte[]> response =
        registry.post(
            "/v2/mount/target2/blobs/uploads/?mount=" + digest + "&from=mount/empty", new byte[0]);

    assertThat(response.statusCode()).as(text(response)).isEqualTo(202);
    assertThat(header(response, "Docker-Upload-UUID")).isNotBlank();
    assertThat(registry.get(location(response)).statusCode()).isEqualTo(204);
    assertNoBlob("mount/target2", digest);
  }

  @Test
  void mount_ofUnknownBlob_answers202NewSession() {
    String digest = sha256(TestRegistry.utf8("nobody pushed this"));

    HttpResponse<byte[]> response =
        registry.post(
            "/v2/mount/target3/blobs/uploads/?mount=" + digest + "&from=mount/source", new byte[0]);

    assertThat(response.statusCode()).as(text(response)).isEqualTo(202);
    assertNoBlob("mount/target3", digest);
  }

  @Test
  void mount_withoutFrom_whenBlobExistsElsewhere_answers201() {
    byte[] content = bytes(2000, 14);
    String digest = registry.pushBlob("mount/anywhere", content);

    HttpResponse<byte[]> response =
        registry.post("/v2/mount/target4/blobs/uploads/?mount=" + digest, new byte[0]);

    assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
    assertBlob("mount/target4", digest, content);
  }

  @Test
  void mount_withMalformedDigest_answers400DigestInvalid() {
    assertError(
        registry.post("/v2/mount/target5/blobs/uploads/?mount=sha256:nothex&from=a", new byte[0]),
        400,
        "DIGEST_INVALID");
  }

  @Test
  void upload_withTamperedState_answers400BlobUploadInvalid() {
    String location = registry.startUpload("uploads/tampered");
    int state = location.indexOf("_state=") + "_state=".length();
    String tampered =
        location.substring(0, state)
            + (location.charAt(state) == 'A' ? 'B' : 'A')
            + location.substring(state + 1);

    assertError(registry.patch(tampered, bytes(10, 1)), 400, "BLOB_UPLOAD_INVALID");
    assertError(registry.get(tampered), 400, "BLOB_UPLOAD_INVALID");
    assertThat(registry.get(location).statusCode()).isEqualTo(204);
    assertThat(header(registry.get(location), "Range")).isEqualTo("0-0");
  }

  @Test
  void upload_stateOfAnotherRepository_answers400BlobUploadInvalid() {
    String location = registry.startUpload("uploads/one");
    String moved = location.replace("/v2/uploads/one/", "/v2/uploads/two/");

    assertError(registry.patch(moved, bytes(10, 1)), 400, "BLOB_UPLOAD_INVALID");
  }

  @Test
  void uploadSession_unsupportedMethod_answers405() {
    String location = registry.startUpload("uploads/method");

    assertError(registry.post(location, new byte[0]), 405, "UNSUPPORTED");
  }
}
