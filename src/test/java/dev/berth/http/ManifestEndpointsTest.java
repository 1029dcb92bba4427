package dev.berth.http;

import static dev.berth.http.TestRegistry.DOCKER_LIST;
import static dev.berth.http.TestRegistry.DOCKER_MANIFEST;
import static dev.berth.http.TestRegistry.EMPTY_CONFIG;
import static dev.berth.http.TestRegistry.OCI_INDEX;
import static dev.berth.http.TestRegistry.OCI_MANIFEST;
import static dev.berth.http.TestRegistry.assertError;
import static dev.berth.http.TestRegistry.header;
import static dev.berth.http.TestRegistry.location;
import static dev.berth.http.TestRegistry.sha256;
import static dev.berth.http.TestRegistry.text;
import static dev.berth.http.TestRegistry.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** end-3 (GET and HEAD of a manifest), end-7 (PUT) and end-9 (DELETE) while deletes are off. */
@Timeout(60)
class ManifestEndpointsTest {
  private static TestRegistry registry;

  @BeforeAll
  static void start() {
    registry = TestRegistry.inMemory(false);
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  private static void assertServed(
      String repository, String reference, String mediaType, byte[] content) {
    String digest = sha256(content);
    HttpResponse<byte[]> get = registry.get("/v2/" + repository + "/manifests/" + reference);
    assertThat(get.statusCode()).as(text(get)).isEqualTo(200);
    assertThat(get.body()).isEqualTo(content);
    assertThat(header(get, "Content-Type")).isEqualTo(mediaType);
    assertThat(header(get, "Docker-Content-Digest")).isEqualTo(digest);
    assertThat(header(get, "Content-Length")).isEqualTo(String.valueOf(content.length));

    HttpResponse<byte[]> head = registry.head("/v2/" + repository + "/manifests/" + reference);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(header(head, "Content-Type")).isEqualTo(mediaType);
    assertThat(header(head, "Docker-Content-Digest")).isEqualTo(digest);
    assertThat(header(head, "Content-Length")).isEqualTo(String.valueOf(content.length));
  }

  @Test
  void putManifest_ociByTag_answers201AndServesItByTagAndDigest() {
    TestRegistry.Image image = registry.pushImage("manifests/oci", "v1", "oci");
    HttpResponse<byte[]> again =
        registry.put(
            "/v2/manifests/oci/manifests/v1", image.manifest(), "Content-Type", OCI_MANIFEST);

    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(location(again)).endsWith("/v2/manifests/oci/manifests/" + image.digest());
    assertThat(header(again, "Docker-Content-Digest")).isEqualTo(image.digest());
    assertServed("manifests/oci", "v1", OCI_MANIFEST, image.manifest());
    assertServed("manifests/oci", image.digest(), OCI_MANIFEST, image.manifest());
  }

  @Test
  void putManifest_byDigest_answers201WithoutTag() {
    byte[] config = utf8("{\"by\":\"digest\"}");
    byte[] layer = utf8("layer by digest");
    registry.pushBlob("manifests/bydigest", config);
    registry.pushBlob("manifests/bydigest", layer);
    byte[] manifest =
        TestRegistry.imageManifest(
            OCI_MANIFEST,
            "application/vnd.oci.image.config.v1+json",
            config,
            "application/vnd.oci.image.layer.v1.tar",
            layer);
    String digest = sha256(manifest);

    HttpResponse<byte[]> response =
        registry.put(
            "/v2/manifests/bydigest/manifests/" + digest, manifest, "Content-Type", OCI_MANIFEST);

    assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
    assertThat(location(response)).endsWith("/v2/manifests/bydigest/manifests/" + digest);
    assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest);
    assertServed("manifests/bydigest", digest, OCI_MANIFEST, manifest);
    JsonNode tags = TestRegistry.json(registry.get("/v2/manifests/bydigest/tags/list"));
    assertThat(tags.path("tags")).isEmpty();
  }

  @Test
  void putManifest_dockerSchema2AndManifestList_areServedWithTheirTypes() {
    byte[] config = utf8("{\"architecture\":\"arm64\",\"os\":\"linux\"}");
    byte[] layer = utf8("docker layer");
    registry.pushBlob("manifests/docker", config);
    registry.pushBlob("manifests/docker", layer);
    byte[] manifest =
        TestRegistry.imageManifest(
            DOCKER_MANIFEST,
            "application/vnd.docker.container.image.v1+json",
            config,
            "application/vnd.docker.image.rootfs.diff.tar.gzip",
            layer);
    registry.pushManifest("manifests/docker", "arm64", DOCKER_MANIFEST, manifest);
    byte[] list = TestRegistry.index(DOCKER_LIST, DOCKER_MANIFEST, List.of(manifest));

    registry.pushManifest("manifests/docker", "latest", DOCKER_LIST, list);

    assertServed("manifests/docker", "arm64", DOCKER_MANIFEST, manifest);
    assertServed("manifests/docker", "latest", DOCKER_LIST, list);
  }

  @Test
  void putManifest_ociIndex_isServedAsIndex() {
    TestRegistry.Image amd64 = registry.pushImage("manifests/index", "amd64", "amd64");
    TestRegistry.Image arm64 = registry.pushImage("manifests/index", "arm64", "arm64");
    byte[] index =
        TestRegistry.index(OCI_INDEX, OCI_MANIFEST, List.of(amd64.manifest(), arm64.manifest()));

    registry.pushManifest("manifests/index", "multi", OCI_INDEX, index);

    assertServed("manifests/index", "multi", OCI_INDEX, index);
    assertServed("manifests/index", sha256(index), OCI_INDEX, index);
  }

  @Test
  void putManifest_artifactWithEmptyConfig_isServedAsPushed() {
    byte[] empty = utf8("{}");
    byte[] payload = utf8("an sbom");
    registry.pushBlob("manifests/artifact", empty);
    registry.pushBlob("manifests/artifact", payload);
    byte[] artifact =
        utf8(
            "{\"schemaVersion\":2,\"mediaType\":\""
                + OCI_MANIFEST
                + "\",\"artifactType\":\"application/spdx+json\",\"config\":"
                + TestRegistry.descriptor(EMPTY_CONFIG, empty)
                + ",\"layers\":["
                + TestRegistry.descriptor("application/spdx+json", payload)
                + "]}");

    registry.pushManifest("manifests/artifact", "sbom", OCI_MANIFEST, artifact);

    assertServed("manifests/artifact", "sbom", OCI_MANIFEST, artifact);
  }

  @Test
  void putManifest_sameTagAgain_movesTheTag() {
    registry.pushImage("manifests/retag", "moving", "first");
    TestRegistry.Image second = registry.pushImage("manifests/retag", "moving", "second");

    assertServed("manifests/retag", "moving", OCI_MANIFEST, second.manifest());
  }

  @Test
  void getManifest_withAcceptNotListingItsType_answers404ManifestUnknown() {
    TestRegistry.Image image = registry.pushImage("manifests/accept", "child", "accept");
    byte[] index = TestRegistry.index(OCI_INDEX, OCI_MANIFEST, List.of(image.manifest()));
    registry.pushManifest("manifests/accept", "idx", OCI_INDEX, index);

    assertError(
        registry.get(
            "/v2/manifests/accept/manifests/idx", "Accept", OCI_MANIFEST + ", " + DOCKER_MANIFEST),
        404,
        "MANIFEST_UNKNOWN");
    HttpResponse<byte[]> accepted =
        registry.get(
            "/v2/manifests/accept/manifests/idx", "Accept", OCI_MANIFEST + ", " + OCI_INDEX);
    assertThat(accepted.statusCode()).isEqualTo(200);
    assertThat(header(accepted, "Content-Type")).isEqualTo(OCI_INDEX);
    assertThat(accepted.body()).isEqualTo(index);
    HttpResponse<byte[]> wildcard =
        registry.get("/v2/manifests/accept/manifests/idx", "Accept", "*/*");
    assertThat(wildcard.statusCode()).isEqualTo(200);
  }

  @Test
  void getManifest_unknownTagOrDigest_answers404ManifestUnknown() {
    registry.pushImage("manifests/known", "v1", "known");

    assertError(registry.get("/v2/manifests/known/manifests/v2"), 404, "MANIFEST_UNKNOWN");
    assertError(registry.head("/v2/manifests/known/manifests/v2"), 404, "MANIFEST_UNKNOWN");
    assertError(
        registry.get("/v2/manifests/known/manifests/" + sha256(utf8("no manifest"))),
        404,
        "MANIFEST_UNKNOWN");
  }

  @Test
  void getManifest_ofAnotherRepository_answers404() {
    TestRegistry.Image image = registry.pushImage("manifests/mine", "v1", "mine");

    HttpResponse<byte[]> response =
        registry.get("/v2/manifests/theirs/manifests/" + image.digest());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(TestRegistry.json(response).path("errors").get(0).path("code").asText())
        .isIn("MANIFEST_UNKNOWN", "NAME_UNKNOWN");
  }

  @Test
  void putManifest_withMissingBlob_answers400ManifestBlobUnknown() {
    byte[] config = utf8("{\"config\":\"present\"}");
    registry.pushBlob("manifests/missing", config);
    byte[] manifest =
        TestRegistry.imageManifest(
            OCI_MANIFEST,
            "application/vnd.oci.image.config.v1+json",
            config,
            "application/vnd.oci.image.layer.v1.tar",
            utf8("never pushed layer"));

    assertError(
        registry.put("/v2/manifests/missing/manifests/v1", manifest, "Content-Type", OCI_MANIFEST),
        400,
        "MANIFEST_BLOB_UNKNOWN");
    assertError(registry.get("/v2/manifests/missing/manifests/v1"), 404, "MANIFEST_UNKNOWN");
  }

  @Test
  void putManifest_withBlobOfAnotherRepositoryOnly_answers400ManifestBlobUnknown() {
    TestRegistry.Image image = registry.pushImage("manifests/owner", "v1", "owner");

    assertError(
        registry.put(
            "/v2/manifests/stranger/manifests/v1", image.manifest(), "Content-Type", OCI_MANIFEST),
        400,
        "MANIFEST_BLOB_UNKNOWN");
  }

  @Test
  void putIndex_withMissingChildManifest_answers400ManifestBlobUnknown() {
    TestRegistry.Image image = registry.pushImage("manifests/orphans", "child", "orphan");
    byte[] unpushedChild = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\"}");
    byte[] index =
        TestRegistry.index(OCI_INDEX, OCI_MANIFEST, List.of(image.manifest(), unpushedChild));

    assertError(
        registry.put("/v2/manifests/orphans/manifests/idx", index, "Content-Type", OCI_INDEX),
        400,
        "MANIFEST_BLOB_UNKNOWN");
    assertError(registry.get("/v2/manifests/orphans/manifests/idx"), 404, "MANIFEST_UNKNOWN");
  }

  @Test
  void putManifest_invalidJson_answers400ManifestInvalid() {
    for (String body : List.of("{not json", "", "[]", "{\"schemaVersion\":2}", "null")) {
      assertError(
          registry.put(
              "/v2/manifests/invalid/manifests/v1", utf8(body), "Content-Type", OCI_MANIFEST),
          400,
          "MANIFEST_INVALID");
    }
    assertError(registry.get("/v2/manifests/invalid/manifests/v1"), 404, "MANIFEST_UNKNOWN");
  }

  @Test
  void putManifest_schema1_answers400ManifestInvalidNamingSchema1() throws IOException {
    byte[] schema1;
    try (InputStream in = getClass().getResourceAsStream("/manifests/schema1-signed.json")) {
      assertThat(in).isNotNull();
      schema1 = in.readAllBytes();
    }

    JsonNode body =
        assertError(
            registry.put(
                "/v2/manifests/schema1/manifests/v1",
                schema1,
                "Content-Type",
                "application/vnd.docker.distribution.manifest.v1+prettyjws"),
            400,
            "MANIFEST_INVALID");

    assertThat(body.path("errors").get(0).path("message").asText()).contains("schema 1");
  }

  @Test
  void putManifest_byDigestNotMatchingBody_answers400DigestInvalid() {
    TestRegistry.Image image = registry.pushImage("manifests/mismatch", "v1", "mismatch");
    String other = sha256(utf8("another body"));

    assertError(
        registry.put(
            "/v2/manifests/mismatch/manifests/" + other,
            image.manifest(),
            "Content-Type",
            OCI_MANIFEST),
        400,
        "DIGEST_INVALID");
    assertError(registry.get("/v2/manifests/mismatch/manifests/" + other), 404, "MANIFEST_UNKNOWN");
  }

  @Test
  void putManifest_contentTypeDisagreeingWithBody_answers400ManifestInvalid() {
    TestRegistry.Image image = registry.pushImage("manifests/typed", "v1", "typed");

    assertError(
        registry.put(
            "/v2/manifests/typed/manifests/v2", image.manifest(), "Content-Type", DOCKER_MANIFEST),
        400,
        "MANIFEST_INVALID");
  }

  @Test
  void putManifest_invalidTag_answers400TagInvalid() {
    TestRegistry.Image image = registry.pushImage("manifests/tags", "v1", "tags");

    for (String tag : List.of("-leading-dash", ".dot", "a".repeat(129), "with%20space")) {
      assertError(
          registry.put(
              "/v2/manifests/tags/manifests/" + tag,
              image.manifest(),
              "Content-Type",
              OCI_MANIFEST),
          400,
          "TAG_INVALID");
    }
  }

  @Test
  void deleteManifest_whenDeletesDisabled_answers405UnsupportedAndKeepsIt() {
    TestRegistry.Image image = registry.pushImage("manifests/keep", "v1", "keep");

    assertError(
        registry.delete("/v2/manifests/keep/manifests/" + image.digest()), 405, "UNSUPPORTED");
    assertError(registry.delete("/v2/manifests/keep/manifests/v1"), 405, "UNSUPPORTED");
    assertServed("manifests/keep", "v1", OCI_MANIFEST, image.manifest());
  }
}
