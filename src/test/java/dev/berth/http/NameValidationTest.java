package dev.berth.http;

import static dev.berth.http.TestRegistry.assertError;
import static dev.berth.http.TestRegistry.sha256;
import static dev.berth.http.TestRegistry.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Repository names, tags and digests in every endpoint: refused with the spec's codes, never 500.
 */
@Timeout(60)
class NameValidationTest {
  private static final String DIGEST = sha256(utf8("any"));
  private static final List<String> INVALID_NAMES =
      List.of(
          "Upper/case",
          "UPPER",
          "a..b",
          "a/./b",
          "trailing-",
          "-leading",
          "a__-b",
          "under_/score",
          "x".repeat(256),
          "abcdefghi/".repeat(26).substring(0, 256));
  private static TestRegistry registry;

  @BeforeAll
  static void start() {
    registry = TestRegistry.inMemory(true);
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  @Test
  void everyEndpoint_withInvalidName_answers400NameInvalid() {
    for (String name : INVALID_NAMES) {
      String v2 = "/v2/" + name;
      assertError(registry.get(v2 + "/tags/list"), 400, "NAME_INVALID");
      assertError(registry.get(v2 + "/manifests/latest"), 400, "NAME_INVALID");
      assertError(registry.put(v2 + "/manifests/latest", utf8("{}")), 400, "NAME_INVALID");
      assertError(registry.delete(v2 + "/manifests/" + DIGEST), 400, "NAME_INVALID");
      assertError(registry.get(v2 + "/blobs/" + DIGEST), 400, "NAME_INVALID");
      assertError(registry.delete(v2 + "/blobs/" + DIGEST), 400, "NAME_INVALID");
      assertError(registry.post(v2 + "/blobs/uploads/", new byte[0]), 400, "NAME_INVALID");
      assertError(
          registry.post(v2 + "/blobs/uploads/?digest=" + DIGEST, utf8("any")), 400, "NAME_INVALID");
      assertError(
          registry.get(v2 + "/blobs/uploads/0d5e8c9e-6f0a-4f5e-9d61-2f3b1b2a7c11"),
          400,
          "NAME_INVALID");
      assertError(registry.get(v2 + "/referrers/" + DIGEST), 400, "NAME_INVALID");
    }
  }

  @Test
  void name_withEmptySegment_answers400() {
    HttpResponse<byte[]> response = registry.get("/v2/a//b/tags/list");

    assertThat(response.statusCode()).isEqualTo(400);
    TestRegistry.assertErrorBody(response.body());
  }

  @Test
  void name_ofMaximumLength_isAccepted() {
    String name = "n".repeat(200) + "/" + "m".repeat(54);
    assertThat(name).hasSize(255);

    String digest = registry.pushBlob(name, utf8("long name"));

    assertThat(registry.get("/v2/" + name + "/blobs/" + digest).statusCode()).isEqualTo(200);
  }

  @Test
  void mount_fromInvalidName_answers400NameInvalid() {
    assertError(
        registry.post("/v2/valid/blobs/uploads/?mount=" + DIGEST + "&from=Bad..Name", new byte[0]),
        400,
        "NAME_INVALID");
  }

  @Test
  void manifestEndpoints_withInvalidTag_answer400TagInvalid() {
    for (String tag : List.of(".hidden", "-dash", "t".repeat(129), "a+b", "tag%21")) {
      assertError(registry.get("/v2/valid/manifests/" + tag), 400, "TAG_INVALID");
      assertError(registry.head("/v2/valid/manifests/" + tag), 400, "TAG_INVALID");
      assertError(registry.put("/v2/valid/manifests/" + tag, utf8("{}")), 400, "TAG_INVALID");
      assertError(registry.delete("/v2/valid/manifests/" + tag), 400, "TAG_INVALID");
    }
  }

  @Test
  void everyEndpoint_withMalformedDigest_answers400DigestInvalid() {
    for (String digest :
        List.of(
            "sha256:abc",
            "sha256:" + "G".repeat(64),
            "sha256:" + "A".repeat(64),
            "md5:d41d8cd98f00b204e9800998ecf8427e",
            "sha512:" + "0".repeat(64),
            "sha256:")) {
      assertError(registry.get("/v2/valid/blobs/" + digest), 400, "DIGEST_INVALID");
      assertError(registry.head("/v2/valid/blobs/" + digest), 400, "DIGEST_INVALID");
      assertError(registry.delete("/v2/valid/blobs/" + digest), 400, "DIGEST_INVALID");
      assertError(registry.get("/v2/valid/manifests/" + digest), 400, "DIGEST_INVALID");
      assertError(registry.delete("/v2/valid/manifests/" + digest), 400, "DIGEST_INVALID");
      assertError(registry.get("/v2/valid/referrers/" + digest), 400, "DIGEST_INVALID");
      assertError(
          registry.post("/v2/valid/blobs/uploads/?digest=" + digest, utf8("x")),
          400,
          "DIGEST_INVALID");
    }
  }

  @Test
  void blobEndpoint_withDigestWithoutAlgorithm_answers400DigestInvalid() {
    assertError(registry.get("/v2/valid/blobs/:" + "0".repeat(64)), 400, "DIGEST_INVALID");
  }

  @Test
  void tagsListAndCatalog_withOddLast_neverFail() {
    registry.pushImage("valid/listed", "v1", "listed");
    for (String last : List.of("%2E%2E", "UPPER", "-x", "%00", "a".repeat(300))) {
      HttpResponse<byte[]> tags = registry.get("/v2/valid/listed/tags/list?last=" + last);
      HttpResponse<byte[]> catalog = registry.get("/v2/_catalog?last=" + last);
      assertThat(tags.statusCode()).as(TestRegistry.text(tags)).isLessThan(500);
      assertThat(catalog.statusCode()).as(TestRegistry.text(catalog)).isLessThan(500);
    }
  }

  @Test
  void uploadEndpoint_withMalformedUploadId_answers404BlobUploadUnknown() {
    assertError(registry.get("/v2/valid/blobs/uploads/not%20an%20id"), 404, "BLOB_UPLOAD_UNKNOWN");
    assertError(
        registry.patch("/v2/valid/blobs/uploads/" + "a".repeat(100), utf8("x")),
        404,
        "BLOB_UPLOAD_UNKNOWN");
  }
}
