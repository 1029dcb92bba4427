package dev.berth.http;

import static dev.berth.http.TestRegistry.OCI_MANIFEST;
import static dev.berth.http.TestRegistry.assertError;
import static dev.berth.http.TestRegistry.bytes;
import static dev.berth.http.TestRegistry.header;
import static dev.berth.http.TestRegistry.location;
import static dev.berth.http.TestRegistry.sha256;
import static dev.berth.http.TestRegistry.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Requests no well-behaved client sends, over a raw socket: each is refused with a 4xx and the
 * spec's JSON error body (or the connection is dropped where HTTP allows nothing else), and none
 * leaves data behind.
 */
@Timeout(60)
class MalformedRequestTest {
  /** The head of a manifest PUT with an invalid tag and a two-byte body, keeping the connection. */
  private static final String INVALID_TAG_PUT =
      String.join(
          "\r\n",
          "PUT /v2/raw/early/manifests/.bad HTTP/1.1",
          "Host: 127.0.0.1",
          "Content-Type: application/json",
          "Content-Length: 2",
          "",
          "");

  private static TestRegistry registry;

  @BeforeAll
  static void start() {
    registry = TestRegistry.inMemory(false);
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  /** The path and query of an absolute {@code Location}. */
  private static String target(String location) {
    URI uri = registry.uri(location);
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  private static String head(String method, String target, String... headers) {
    StringBuilder head =
        new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    return head.append("Connection: close\r\n\r\n").toString();
  }

  private static RawHttp.Response send(String head, byte[] body) throws IOException {
    return RawHttp.exchange(registry.port(), head, body);
  }

  private static void assertRawError(RawHttp.Response response, int status, String code) {
    assertThat(response.status()).as(response.text()).isEqualTo(status);
    assertThat(response.header("Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
    assertThat(response.header("Content-Type")).startsWith("application/json");
    assertThat(
            TestRegistry.assertErrorBody(response.body())
                .path("errors")
                .get(0)
                .path("code")
                .asText())
        .as(response.text())
        .isEqualTo(code);
  }

  /** An upload that already holds {@code size} bytes; returns its location. */
  private static String uploadHolding(String repository, byte[] first) {
    String location = registry.startUpload(repository);
    HttpResponse<byte[]> chunk = registry.patch(location, first);
    assertThat(chunk.statusCode()).isEqualTo(202);
    return location(chunk);
  }

  private static void assertUploadHolds(String location, int size) {
    HttpResponse<byte[]> status = registry.get(location);
    assertThat(status.statusCode()).isEqualTo(204);
    assertThat(header(status, "Range")).isEqualTo("0-" + (size - 1));
  }

  @Test
  void earlyError_withTheBodyAlreadyReceived_keepsTheConnectionForTheNextRequest()
      throws IOException {
    try (RawHttp.Connection connection = new RawHttp.Connection(registry.port())) {
      connection.write(INVALID_TAG_PUT, utf8("{}"));
      RawHttp.Response refused = connection.read();
      connection.write("GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", new byte[0]);
      RawHttp.Response next = connection.read();

      assertRawError(refused, 400, "TAG_INVALID");
      assertThat(refused.header("Connection")).isNull();
      assertThat(next.status()).as(next.text()).isEqualTo(200);
    }
  }

  @Test
  void earlyError_beforeTheBodyArrived_closesTheConnectionAndSaysSo() throws IOException {
    TestRegistry.assumeDirect("HAProxy decides itself whether the client's connection stays open");
    try (RawHttp.Connection connection = new RawHttp.Connection(registry.port())) {
      connection.write(INVALID_TAG_PUT, new byte[0]);
      RawHttp.Response refused = connection.read();

      assertRawError(refused, 400, "TAG_INVALID");
      assertThat(refused.header("Connection")).isEqualTo("close");
      assertThat(connection.closedByServer()).isTrue();
    }
  }

  @Test
  void patch_withUnparsableContentRange_answers416AndChangesNothing() throws IOException {
    String location = uploadHolding("raw/bad-range", bytes(100, 1));
    for (String range : List.of("bytes=abc", "100-", "-100", "199-100", "100-199-300", "x")) {
      byte[] body = bytes(100, 2);

      RawHttp.Response response =
          send(
              head(
                  "PATCH",
                  target(location),
                  "Content-Type: application/octet-stream",
                  "Content-Range: " + range,
                  "Content-Length: " + body.length),
              body);

      assertRawError(response, 416, "RANGE_INVALID");
    }
    assertUploadHolds(location, 100);
  }

  @Test
  void patch_withOverlappingContentRange_answers416AndChangesNothing() throws IOException {
    byte[] content = bytes(300, 3);
    String location = uploadHolding("raw/overlap", Arrays.copyOfRange(content, 0, 200));
    byte[] overlapping = Arrays.copyOfRange(content, 100, 300);

    RawHttp.Response response =
        send(
            head(
                "PATCH",
                target(location),
                "Content-Range: 100-299",
                "Content-Length: " + overlapping.length),
            overlapping);

    assertRawError(response, 416, "RANGE_INVALID");
    assertThat(response.header("Range")).isEqualTo("0-199");
    assertUploadHolds(location, 200);
    HttpResponse<byte[]> rest =
        registry.patch(location, Arrays.copyOfRange(content, 200, 300), "Content-Range", "200-299");
    assertThat(rest.statusCode()).isEqualTo(202);
    HttpResponse<byte[]> done =
        registry.put(location(rest) + "&digest=" + sha256(content), new byte[0]);
    assertThat(done.statusCode()).isEqualTo(201);
  }

  @Test
  void patch_withContentRangeDisagreeingWithContentLength_answers416() throws IOException {
    String location = uploadHolding("raw/range-length", bytes(10, 4));
    byte[] body = bytes(50, 5);

    RawHttp.Response response =
        send(
            head(
                "PATCH",
                target(location),
                "Content-Range: 10-19",
                "Content-Length: " + body.length),
            body);

    assertRawError(response, 416, "RANGE_INVALID");
    assertUploadHolds(location, 10);
  }

  @Test
  void patch_withBodyShorterThanContentLength_keepsNoPartialData() throws IOException {
    String location = uploadHolding("raw/short-patch", bytes(100, 6));
    byte[] partial = bytes(400, 7);

    RawHttp.Response response =
        RawHttp.exchange(
            registry.port(),
            head("PATCH", target(location), "Content-Length: 1000"),
            partial,
            true);

    if (response.status() != -1) {
      assertThat(response.status()).as(response.text()).isBetween(400, 499);
      TestRegistry.assertErrorBody(response.body());
    }
    HttpResponse<byte[]> status = registry.get(location);
    if (status.statusCode() == 204) {
      assertThat(header(status, "Range")).isEqualTo("0-99");
    } else {
      assertError(status, 404, "BLOB_UPLOAD_UNKNOWN");
    }
  }

  @Test
  void monolithicPost_withBodyShorterThanContentLength_storesNoBlob() throws IOException {
    byte[] content = bytes(2000, 8);
    String digest = sha256(content);

    RawHttp.Response response =
        RawHttp.exchange(
            registry.port(),
            head(
                "POST",
                "/v2/raw/short-post/blobs/uploads/?digest=" + digest,
                "Content-Length: " + content.length),
            Arrays.copyOf(content, 1500),
            true);

    if (response.status() != -1) {
      assertThat(response.status()).as(response.text()).isBetween(400, 499);
      TestRegistry.assertErrorBody(response.body());
    }
    assertError(registry.head("/v2/raw/short-post/blobs/" + digest), 404, "BLOB_UNKNOWN");
  }

  @Test
  void putManifest_withBodyShorterThanContentLength_storesNothing() throws IOException {
    TestRegistry.Image image = registry.pushImage("raw/short-manifest", "other", "short");

    RawHttp.Response response =
        RawHttp.exchange(
            registry.port(),
            head(
                "PUT",
                "/v2/raw/short-manifest/manifests/v1",
                "Content-Type: " + OCI_MANIFEST,
                "Content-Length: " + image.manifest().length),
            Arrays.copyOf(image.manifest(), image.manifest().length - 20),
            true);

    if (response.status() != -1) {
      assertThat(response.status()).as(response.text()).isBetween(400, 499);
      TestRegistry.assertErrorBody(response.body());
    }
    assertError(registry.get("/v2/raw/short-manifest/manifests/v1"), 404, "MANIFEST_UNKNOWN");
  }

  @Test
  void putManifest_invalidJson_answers400ManifestInvalid() throws IOException {
    byte[] body = utf8("{\"schemaVersion\": 2, \"mediaType\": \"" + OCI_MANIFEST + "\", ");

    RawHttp.Response response =
        send(
            head(
                "PUT",
                "/v2/raw/invalid/manifests/v1",
                "Content-Type: " + OCI_MANIFEST,
                "Content-Length: " + body.length),
            body);

    assertRawError(response, 400, "MANIFEST_INVALID");
    assertError(registry.get("/v2/raw/invalid/manifests/v1"), 404, "MANIFEST_UNKNOWN");
  }

  @Test
  void putManifest_of10MiB_isRefusedWith413WithoutReadingItAll() throws IOException {
    int declared = 10 * 1024 * 1024;
    byte[] start = utf8("{\"schemaVersion\":2,\"annotations\":{\"pad\":\"" + "x".repeat(60_000));

    RawHttp.Response response =
        send(
            head(
                "PUT",
                "/v2/raw/huge/manifests/v1",
                "Content-Type: " + OCI_MANIFEST,
                "Content-Length: " + declared),
            start);

    assertRawError(response, 413, "MANIFEST_INVALID");
    assertError(registry.get("/v2/raw/huge/manifests/v1"), 404, "MANIFEST_UNKNOWN");
  }

  @Test
  void putManifest_of10MiBChunked_isRefusedWith413() throws IOException {
    registry.pushImage("raw/huge-chunked", "other", "huge");
    StringBuilder chunked = new StringBuilder();
    String piece = "x".repeat(64 * 1024);
    for (int i = 0; i < 80; i++) {
      chunked
          .append(Integer.toHexString(piece.length()))
          .append("\r\n")
          .append(piece)
          .append("\r\n");
    }
    chunked.append("0\r\n\r\n");

    RawHttp.Response response =
        send(
            head(
                "PUT",
                "/v2/raw/huge-chunked/manifests/v1",
                "Content-Type: " + OCI_MANIFEST,
                "Transfer-Encoding: chunked"),
            utf8(chunked.toString()));

    assertRawError(response, 413, "MANIFEST_INVALID");
    assertError(registry.get("/v2/raw/huge-chunked/manifests/v1"), 404, "MANIFEST_UNKNOWN");
  }

  @Test
  void dotDotInPath_isRefusedWith4xxJsonError() throws IOException {
    TestRegistry.Image image = registry.pushImage("raw/dots", "v1", "dots");
    for (String target :
        List.of(
            "/v2/raw/../raw/dots/manifests/v1",
            "/v2/raw/dots/../dots/tags/list",
            "/v2/raw/%2e%2e/raw/dots/tags/list",
            "/v2/../v2/_catalog",
            "/v2/raw/dots/blobs/../manifests/v1")) {
      RawHttp.Response response = send(head("GET", target), new byte[0]);

      assertThat(response.status()).as(target + " " + response.text()).isBetween(400, 499);
      assertThat(response.header("Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
      TestRegistry.assertErrorBody(response.body());
    }
    RawHttp.Response put =
        send(
            head(
                "PUT",
                "/v2/raw/x/../dots/manifests/v2",
                "Content-Type: " + OCI_MANIFEST,
                "Content-Length: " + image.manifest().length),
            image.manifest());
    assertThat(put.status()).as(put.text()).isBetween(400, 499);
    TestRegistry.assertErrorBody(put.body());
    assertError(registry.get("/v2/raw/dots/manifests/v2"), 404, "MANIFEST_UNKNOWN");
  }

  @Test
  void malformedRequestLine_isRefusedWith400JsonError() throws IOException {
    TestRegistry.assumeDirect("HAProxy refuses a malformed header line itself, with its own page");
    RawHttp.Response response =
        RawHttp.exchange(registry.port(), "GET /v2/ HTTP/1.1\r\nHost\r\n\r\n", new byte[0]);

    assertThat(response.status()).as(response.text()).isEqualTo(400);
    TestRegistry.assertErrorBody(response.body());
  }
}
