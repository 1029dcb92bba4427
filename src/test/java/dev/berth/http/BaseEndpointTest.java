package dev.berth.http;

import static dev.berth.http.TestRegistry.assertError;
import static dev.berth.http.TestRegistry.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** end-1 ({@code GET /v2/}), the root path and what every response carries. */
@Timeout(60)
class BaseEndpointTest {
  private static TestRegistry registry;

  @BeforeAll
  static void start() {
    registry = TestRegistry.inMemory(false);
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  @Test
  void getBase_always_answers200WithApiVersion() {
    HttpResponse<byte[]> response = registry.get("/v2/");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(header(response, "Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
  }

  @Test
  void getBase_withoutTrailingSlash_answers200() {
    assertThat(registry.get("/v2").statusCode()).isEqualTo(200);
  }

  @Test
  void headBase_always_answers200WithoutBody() {
    HttpResponse<byte[]> response = registry.head("/v2/");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertThat(header(response, "Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
  }

  @Test
  void getRoot_always_answers200() {
    assertThat(registry.get("/").statusCode()).isEqualTo(200);
  }

  @Test
  void errorResponse_always_carriesApiVersionAndJsonBody() {
    HttpResponse<byte[]> response = registry.get("/v2/nothing/here/blobs/sha256:" + "0".repeat(64));

    assertError(response, 404, "BLOB_UNKNOWN");
  }

  @Test
  void postBase_always_answers405Unsupported() {
    assertError(registry.post("/v2/", new byte[0]), 405, "UNSUPPORTED");
  }

  @Test
  void unknownPath_underV2_answers404WithJsonBodyAndApiVersion() {
    HttpResponse<byte[]> response = registry.get("/v2/foo/bar/nonsense");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(header(response, "Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
    assertThat(TestRegistry.json(response).path("errors").get(0).path("code").asText())
        .isNotEmpty();
  }
}
