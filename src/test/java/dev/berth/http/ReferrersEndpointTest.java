package dev.berth.http;

import static dev.berth.http.TestRegistry.EMPTY_CONFIG;
import static dev.berth.http.TestRegistry.OCI_INDEX;
import static dev.berth.http.TestRegistry.OCI_MANIFEST;
import static dev.berth.http.TestRegistry.assertError;
import static dev.berth.http.TestRegistry.header;
import static dev.berth.http.TestRegistry.sha256;
import static dev.berth.http.TestRegistry.text;
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

/** Manifests with a {@code subject} and end-12a, end-12b (the referrers API). */
@Timeout(60)
class ReferrersEndpointTest {
  private static final String REPO = "referrers/app";
  private static TestRegistry registry;
  private static TestRegistry.Image image;

  @BeforeAll
  static void start() {
    registry = TestRegistry.inMemory(false);
    image = registry.pushImage(REPO, "v1", "subject");
    registry.pushBlob(REPO, utf8("{}"));
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  private static byte[] artifact(
      TestRegistry.Image subject, String artifactType, String payload, String annotation) {
    byte[] layer = utf8(payload);
    registry.pushBlob(REPO, layer);
    return utf8(
        "{\"schemaVersion\":2,\"mediaType\":\""
            + OCI_MANIFEST
            + "\",\"artifactType\":\""
            + artifactType
            + "\",\"config\":"
            + TestRegistry.descriptor(EMPTY_CONFIG, utf8("{}"))
            + ",\"layers\":["
            + TestRegistry.descriptor("application/octet-stream", layer)
            + "],\"subject\":"
            + TestRegistry.descriptor(OCI_MANIFEST, subject.manifest())
            + ",\"annotations\":{\"org.example.note\":\""
            + annotation
            + "\"}}");
  }

  private static HttpResponse<byte[]> putByDigest(byte[] manifest) {
    return registry.put(
        "/v2/" + REPO + "/manifests/" + sha256(manifest), manifest, "Content-Type", OCI_MANIFEST);
  }

  @Test
  void referrers_ofManifestWithReferrers_listsTheirDescriptors() {
    TestRegistry.Image subject = registry.pushImage(REPO, "listed", "listed");
    byte[] signature = artifact(subject, "application/vnd.example.signature", "sig", "signed");
    byte[] sbom = artifact(subject, "application/spdx+json", "sbom", "listed");
    for (byte[] manifest : List.of(signature, sbom)) {
      HttpResponse<byte[]> pushed = putByDigest(manifest);
      assertThat(pushed.statusCode()).as(text(pushed)).isEqualTo(201);
      assertThat(header(pushed, "OCI-Subject")).isEqualTo(subject.digest());
    }

    HttpResponse<byte[]> response = registry.get("/v2/" + REPO + "/referrers/" + subject.digest());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(header(response, "Content-Type")).isEqualTo(OCI_INDEX);
    JsonNode index = TestRegistry.json(response);
    assertThat(index.path("schemaVersion").asInt()).isEqualTo(2);
    assertThat(index.path("mediaType").asText()).isEqualTo(OCI_INDEX);
    List<String> digests = new ArrayList<>();
    for (JsonNode descriptor : index.path("manifests")) {
      digests.add(descriptor.path("digest").asText());
      assertThat(descriptor.path("mediaType").asText()).isEqualTo(OCI_MANIFEST);
      boolean isSignature = descriptor.path("digest").asText().equals(sha256(signature));
      byte[] body = isSignature ? signature : sbom;
      assertThat(descriptor.path("size").asLong()).isEqualTo(body.length);
      assertThat(descriptor.path("artifactType").asText())
          .isEqualTo(isSignature ? "application/vnd.example.signature" : "application/spdx+json");
      assertThat(descriptor.path("annotations").path("org.example.note").asText())
          .isEqualTo(isSignature ? "signed" : "listed");
    }
    assertThat(digests).containsExactlyInAnyOrder(sha256(signature), sha256(sbom));
    assertThat(header(response, "OCI-Filters-Applied")).isNull();
  }

  @Test
  void referrers_withArtifactTypeFilter_listsOnlyThatTypeAndSaysSo() {
    byte[] wanted = artifact(image, "application/vnd.example.wanted", "wanted", "a");
    byte[] other = artifact(image, "application/vnd.example.other", "other", "b");
    assertThat(putByDigest(wanted).statusCode()).isEqualTo(201);
    assertThat(putByDigest(other).statusCode()).isEqualTo(201);

    HttpResponse<byte[]> response =
        registry.get(
            "/v2/"
                + REPO
                + "/referrers/"
                + image.digest()
                + "?artifactType=application/vnd.example.wanted");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(header(response, "OCI-Filters-Applied")).isEqualTo("artifactType");
    JsonNode manifests = TestRegistry.json(response).path("manifests");
    assertThat(manifests).hasSize(1);
    assertThat(manifests.get(0).path("digest").asText()).isEqualTo(sha256(wanted));
    assertThat(manifests.get(0).path("artifactType").asText())
        .isEqualTo("application/vnd.example.wanted");
  }

  @Test
  void referrers_ofUnknownDigest_answers200EmptyIndex() {
    HttpResponse<byte[]> response =
        registry.get("/v2/" + REPO + "/referrers/" + sha256(utf8("no such subject")));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(header(response, "Content-Type")).isEqualTo(OCI_INDEX);
    JsonNode index = TestRegistry.json(response);
    assertThat(index.path("schemaVersion").asInt()).isEqualTo(2);
    assertThat(index.path("manifests").isArray()).isTrue();
    assertThat(index.path("manifests")).isEmpty();
  }

  @Test
  void referrers_inUnknownRepository_answers200EmptyIndex() {
    HttpResponse<byte[]> response =
        registry.get("/v2/referrers/nobody/referrers/" + image.digest());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(TestRegistry.json(response).path("manifests")).isEmpty();
  }

  @Test
  void putManifest_withSubjectNotYetPushed_isAcceptedAndListed() {
    byte[] missingSubject = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\"}");
    byte[] layer = utf8("dangling");
    registry.pushBlob(REPO, layer);
    byte[] manifest =
        utf8(
            "{\"schemaVersion\":2,\"mediaType\":\""
                + OCI_MANIFEST
                + "\",\"artifactType\":\"application/vnd.example.early\",\"config\":"
                + TestRegistry.descriptor(EMPTY_CONFIG, utf8("{}"))
                + ",\"layers\":["
                + TestRegistry.descriptor("application/octet-stream", layer)
                + "],\"subject\":"
                + TestRegistry.descriptor(OCI_MANIFEST, missingSubject)
                + "}");

    HttpResponse<byte[]> pushed = putByDigest(manifest);

    assertThat(pushed.statusCode()).as(text(pushed)).isEqualTo(201);
    assertThat(header(pushed, "OCI-Subject")).isEqualTo(sha256(missingSubject));
    JsonNode manifests =
        TestRegistry.json(registry.get("/v2/" + REPO + "/referrers/" + sha256(missingSubject)))
            .path("manifests");
    assertThat(manifests).hasSize(1);
    assertThat(manifests.get(0).path("digest").asText()).isEqualTo(sha256(manifest));
  }

  @Test
  void referrers_withMalformedDigest_answers400DigestInvalid() {
    assertError(registry.get("/v2/" + REPO + "/referrers/sha256:short"), 400, "DIGEST_INVALID");
    assertError(registry.get("/v2/" + REPO + "/referrers/v1"), 400, "DIGEST_INVALID");
  }
}
