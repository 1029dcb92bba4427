package dev.berth.http;

import static dev.berth.http.TestRegistry.OCI_INDEX;
import static dev.berth.http.TestRegistry.OCI_MANIFEST;
import static dev.berth.http.TestRegistry.assertError;
import static dev.berth.http.TestRegistry.bytes;
import static dev.berth.http.TestRegistry.sha256;
import static dev.berth.http.TestRegistry.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** end-9 (DELETE manifest or tag) and end-10 (DELETE blob) with {@code storage.delete.enabled}. */
@Timeout(60)
class DeleteEndpointsTest {
  private static TestRegistry registry;

  @BeforeAll
  static void start() {
    registry = TestRegistry.inMemory(true);
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  private static List<String> tags(String repository) {
    HttpResponse<byte[]> response = registry.get("/v2/" + repository + "/tags/list");
    assertThat(response.statusCode()).isEqualTo(200);
    List<String> tags = new ArrayList<>();
    TestRegistry.json(response).path("tags").forEach(tag -> tags.add(tag.asText()));
    return tags;
  }

  @Test
  void deleteBlob_whenPresent_answers202ThenBlobIsGone() {
    String digest = registry.pushBlob("delete/blob", bytes(4000, 1));

    HttpResponse<byte[]> deleted = registry.delete("/v2/delete/blob/blobs/" + digest);

    assertThat(deleted.statusCode()).isEqualTo(202);
    assertError(registry.get("/v2/delete/blob/blobs/" + digest), 404, "BLOB_UNKNOWN");
    assertError(registry.head("/v2/delete/blob/blobs/" + digest), 404, "BLOB_UNKNOWN");
    assertError(registry.delete("/v2/delete/blob/blobs/" + digest), 404, "BLOB_UNKNOWN");
  }

  @Test
  void deleteBlob_inOneRepository_keepsItInAnother() {
    byte[] content = bytes(4000, 2);
    String digest = registry.pushBlob("delete/shared-a", content);
    registry.pushBlob("delete/shared-b", content);

    assertThat(registry.delete("/v2/delete/shared-a/blobs/" + digest).statusCode()).isEqualTo(202);

    HttpResponse<byte[]> other = registry.get("/v2/delete/shared-b/blobs/" + digest);
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.body()).isEqualTo(content);
  }

  @Test
  void deleteBlob_unknown_answers404BlobUnknown() {
    assertError(
        registry.delete("/v2/delete/none/blobs/" + sha256(utf8("never"))), 404, "BLOB_UNKNOWN");
  }

  @Test
  void deleteManifest_byDigest_answers202ThenItAndItsTagsAreGone() {
    TestRegistry.Image image = registry.pushImage("delete/manifest", "v1", "bydigest");
    registry.pushManifest("delete/manifest", "also", OCI_MANIFEST, image.manifest());
    TestRegistry.Image other = registry.pushImage("delete/manifest", "stays", "other");

    HttpResponse<byte[]> deleted =
        registry.delete("/v2/delete/manifest/manifests/" + image.digest());

    assertThat(deleted.statusCode()).isEqualTo(202);
    assertError(
        registry.get("/v2/delete/manifest/manifests/" + image.digest()), 404, "MANIFEST_UNKNOWN");
    assertError(registry.get("/v2/delete/manifest/manifests/v1"), 404, "MANIFEST_UNKNOWN");
    assertError(registry.get("/v2/delete/manifest/manifests/also"), 404, "MANIFEST_UNKNOWN");
    assertThat(tags("delete/manifest")).containsExactly("stays");
    assertThat(registry.get("/v2/delete/manifest/manifests/" + other.digest()).statusCode())
        .isEqualTo(200);
    assertError(
        registry.delete("/v2/delete/manifest/manifests/" + image.digest()),
        404,
        "MANIFEST_UNKNOWN");
  }

  @Test
  void deleteManifest_byTag_removesOnlyTheTag() {
    TestRegistry.Image image = registry.pushImage("delete/tag", "v1", "bytag");
    registry.pushManifest("delete/tag", "v2", OCI_MANIFEST, image.manifest());

    HttpResponse<byte[]> deleted = registry.delete("/v2/delete/tag/manifests/v1");

    assertThat(deleted.statusCode()).isEqualTo(202);
    assertError(registry.get("/v2/delete/tag/manifests/v1"), 404, "MANIFEST_UNKNOWN");
    assertThat(tags("delete/tag")).containsExactly("v2");
    HttpResponse<byte[]> byDigest = registry.get("/v2/delete/tag/manifests/" + image.digest());
    assertThat(byDigest.statusCode()).isEqualTo(200);
    assertThat(byDigest.body()).isEqualTo(image.manifest());
  }

  @Test
  void deleteManifest_unknownTag_answers404() {
    registry.pushImage("delete/unknown-tag", "v1", "unknown-tag");

    HttpResponse<byte[]> response = registry.delete("/v2/delete/unknown-tag/manifests/nope");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(
            TestRegistry.assertErrorBody(response.body())
                .path("errors")
                .get(0)
                .path("code")
                .asText())
        .isIn("MANIFEST_UNKNOWN", "NAME_UNKNOWN");
  }

  @Test
  void deleteReferrer_byDigest_removesItFromReferrers() {
    TestRegistry.Image image = registry.pushImage("delete/referrers", "v1", "subject");
    byte[] empty = utf8("{}");
    registry.pushBlob("delete/referrers", empty);
    byte[] referrer =
        utf8(
            "{\"schemaVersion\":2,\"mediaType\":\""
                + OCI_MANIFEST
                + "\",\"artifactType\":\"application/vnd.example.sig\",\"config\":"
                + TestRegistry.descriptor(TestRegistry.EMPTY_CONFIG, empty)
                + ",\"layers\":["
                + TestRegistry.descriptor(TestRegistry.EMPTY_CONFIG, empty)
                + "],\"subject\":"
                + TestRegistry.descriptor(OCI_MANIFEST, image.manifest())
                + "}");
    String digest =
        registry.pushManifest("delete/referrers", sha256(referrer), OCI_MANIFEST, referrer);
    String referrers = "/v2/delete/referrers/referrers/" + image.digest();
    assertThat(TestRegistry.json(registry.get(referrers)).path("manifests")).hasSize(1);

    assertThat(registry.delete("/v2/delete/referrers/manifests/" + digest).statusCode())
        .isEqualTo(202);

    HttpResponse<byte[]> after = registry.get(referrers);
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(TestRegistry.json(after).path("manifests")).isEmpty();
  }

  @Test
  void deleteChildManifest_thenIndexStillServes() {
    TestRegistry.Image child = registry.pushImage("delete/index", "child", "child");
    byte[] index = TestRegistry.index(OCI_INDEX, OCI_MANIFEST, List.of(child.manifest()));
    registry.pushManifest("delete/index", "multi", OCI_INDEX, index);

    JsonNode served = TestRegistry.json(registry.get("/v2/delete/index/manifests/multi"));

    assertThat(served.path("manifests").get(0).path("digest").asText()).isEqualTo(child.digest());
  }
}
