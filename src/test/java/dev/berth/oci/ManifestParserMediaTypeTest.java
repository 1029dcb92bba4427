package dev.berth.oci;

import static dev.berth.oci.Fixtures.assertInvalid;
import static dev.berth.oci.Fixtures.manifest;
import static dev.berth.oci.Fixtures.utf8;
import static dev.berth.oci.Fixtures.withoutMediaType;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How the parser settles the media type from header, body and shape; schema 1 refusal. */
class ManifestParserMediaTypeTest {

  @Test
  void parse_headerDisagreesWithBody_isRefused() {
    assertInvalid(
            manifest("oci-manifest.json"), "application/vnd.docker.distribution.manifest.v2+json")
        .hasMessageContaining("Content-Type")
        .hasMessageContaining("does not match")
        .hasMessageContaining(MediaType.OCI_MANIFEST);
  }

  @Test
  void parse_headerWithParameters_isComparedWithoutThem() {
    Manifest manifest =
        ManifestParser.parse(
            manifest("oci-manifest.json"),
            "Application/VND.oci.image.manifest.v1+json; charset=utf-8");

    assertThat(manifest.mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
  }

  @Test
  void parse_bodyWithoutMediaType_takesTheHeader() {
    Manifest manifest =
        ManifestParser.parse(withoutMediaType("docker-schema2.json"), MediaType.DOCKER_MANIFEST);

    assertThat(manifest.mediaType()).isEqualTo(MediaType.DOCKER_MANIFEST);
  }

  @Test
  void parse_headerSaysIndexButBodyIsAnImageManifest_isRefused() {
    assertInvalid(withoutMediaType("oci-manifest.json"), MediaType.OCI_INDEX)
        .hasMessageContaining("config: must not appear in an index");
  }

  @Test
  void parse_headerSaysManifestButBodyIsAnIndex_isRefused() {
    assertInvalid(withoutMediaType("oci-index.json"), MediaType.OCI_MANIFEST)
        .hasMessageContaining("manifests: must not appear in an image manifest");
  }

  @ParameterizedTest
  @CsvSource({
    "oci-manifest.json, application/vnd.oci.image.manifest.v1+json",
    "oci-index.json, application/vnd.oci.image.index.v1+json",
    "docker-manifest-list.json, application/vnd.oci.image.index.v1+json"
  })
  void parse_neitherHeaderNorMediaType_infersTheOciTypeFromTheShape(
      String fixture, String expected) {
    assertThat(ManifestParser.parse(withoutMediaType(fixture)).mediaType()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json", "application/octet-stream", ""})
  void parse_genericHeader_isTreatedAsAbsent(String header) {
    assertThat(ManifestParser.parse(manifest("docker-schema2.json"), header).mediaType())
        .isEqualTo(MediaType.DOCKER_MANIFEST);
  }

  @Test
  void parse_unknownBodyMediaType_isRefused() {
    String json =
        """
        {"schemaVersion": 2, "mediaType": "application/vnd.oci.artifact.manifest.v1+json",
         "blobs": []}
        """;

    assertInvalid(utf8(json), "").hasMessageContaining("unsupported manifest media type");
  }

  @Test
  void parse_unknownHeaderWithoutBodyMediaType_isRefused() {
    assertInvalid(withoutMediaType("oci-manifest.json"), "application/vnd.example.thing+json")
        .hasMessageContaining("unsupported manifest media type");
  }

  @Test
  void parse_neitherConfigNorManifests_isRefused() {
    assertInvalid(utf8("{\"schemaVersion\": 2}"), "")
        .hasMessageContaining("neither config nor manifests");
  }

  @Test
  void parse_signedSchema1_isRefusedWithAdvice() {
    assertInvalid(manifest("schema1-signed.json"), "")
        .hasMessageContaining("schema 1 is not supported")
        .hasMessageContaining("newer client");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/vnd.docker.distribution.manifest.v1+prettyjws",
        "application/vnd.docker.distribution.manifest.v1+json"
      })
  void parse_schema1ContentType_isRefusedWithAdvice(String header) {
    assertInvalid(manifest("docker-schema2.json"), header)
        .hasMessageContaining("schema 1 is not supported");
  }
}
