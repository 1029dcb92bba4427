package dev.berth.oci;

import static dev.berth.oci.Fixtures.assertInvalid;
import static dev.berth.oci.Fixtures.manifest;
import static dev.berth.oci.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Malformed manifests are refused with MANIFEST_INVALID and a message naming the field. */
class ManifestParserInvalidTest {

  private static final String ANY_DIGEST =
      "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

  @Test
  void parse_truncatedJson_isRefusedNamingTheLocation() {
    assertInvalid(manifest("broken/truncated.json"), "")
        .hasMessageContaining("not valid JSON")
        .hasMessageContaining("line");
  }

  @Test
  void parse_duplicateKey_isRefused() {
    assertInvalid(manifest("broken/duplicate-key.json"), "")
        .hasMessageContaining("not valid JSON")
        .hasMessageContaining("schemaVersion");
  }

  @Test
  void parse_uppercaseLayerDigest_isRefusedNamingTheLayer() {
    assertInvalid(manifest("broken/bad-layer-digest.json"), "")
        .hasMessageStartingWith("layers[1].digest: ");
  }

  @Test
  void parse_negativeLayerSize_isRefusedNamingTheLayer() {
    assertInvalid(manifest("broken/negative-size.json"), "")
        .hasMessageContaining("layers[2].size: must not be negative");
  }

  @Test
  void parse_missingConfig_isRefused() {
    assertInvalid(manifest("broken/missing-config.json"), "").hasMessage("config: is missing");
  }

  @Test
  void parse_missingLayers_isRefused() {
    assertInvalid(manifest("broken/missing-layers.json"), "").hasMessage("layers: is missing");
  }

  @Test
  void parse_schemaVersion3_isRefused() {
    assertInvalid(manifest("broken/schema-version-3.json"), "")
        .hasMessage("schemaVersion: must be 2, got 3");
  }

  @Test
  void parse_subjectWithBadDigest_isRefusedNamingTheSubject() {
    assertInvalid(manifest("broken/bad-subject.json"), "")
        .hasMessageStartingWith("subject.digest: ");
  }

  @Test
  void parse_manifestsNotAnArray_isRefused() {
    assertInvalid(manifest("broken/manifests-not-array.json"), "")
        .hasMessage("manifests: must be an array of descriptors");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"schemaVersion\": \"2\", \"config\": {}, \"layers\": []}|schemaVersion: must be 2",
        "{\"config\": {}, \"layers\": []}|schemaVersion: is missing",
        "[1, 2]|must be a JSON object",
        "{\"schemaVersion\": 2} {}|not valid JSON",
        "{\"schemaVersion\": 2, \"config\": [], \"layers\": []}|config: must be a descriptor",
        "{\"schemaVersion\": 2, \"config\": {\"mediaType\": \"x\", \"digest\": \"sha256:ab\","
            + " \"size\": 1}, \"layers\": []}|config.mediaType: ",
        "{\"schemaVersion\": 2, \"mediaType\": 7, \"config\": {}}|mediaType: must be a string",
        "{\"schemaVersion\": 2, \"manifests\": [{\"mediaType\": \"a/b\", \"size\": 1}]}"
            + "|manifests[0].digest: is missing or empty",
        "{\"schemaVersion\": 2, \"manifests\": [{\"mediaType\": \"a/b\", \"digest\": \""
            + ANY_DIGEST
            + "\"}]}|manifests[0].size: is missing",
        "{\"schemaVersion\": 2, \"manifests\": [{\"mediaType\": \"a/b\", \"digest\": \""
            + ANY_DIGEST
            + "\", \"size\": 1.5}]}|manifests[0].size: must be an integer",
        "{\"schemaVersion\": 2, \"manifests\": [{\"mediaType\": \"a/b\", \"digest\": \""
            + ANY_DIGEST
            + "\", \"size\": 99999999999999999999}]}|manifests[0].size: must be an integer",
        "{\"schemaVersion\": 2, \"manifests\": [{\"mediaType\": \"a/b\", \"digest\": \""
            + ANY_DIGEST
            + "\", \"size\": 1, \"platform\": {\"os\": \"linux\"}}]}"
            + "|manifests[0].platform.architecture: is missing",
        "{\"schemaVersion\": 2, \"manifests\": [], \"annotations\": {\"a\": 1}}"
            + "|annotations.a: must be a string",
        "{\"schemaVersion\": 2, \"manifests\": [], \"subject\": \"sha256:abc\"}"
            + "|subject: must be a descriptor",
        "{\"schemaVersion\": 2, \"manifests\": [], \"artifactType\": \"not a type\"}"
            + "|is not a valid media type",
        "{\"schemaVersion\": 2, \"manifests\": [{\"mediaType\": \"a/b\", \"digest\": \""
            + ANY_DIGEST
            + "\", \"size\": 2, \"urls\": [\"::nope\"]}]}|manifests[0].urls[0]",
      })
  void parse_malformedManifest_isRefusedNamingTheField(String json, String expected) {
    assertInvalid(utf8(json), "").hasMessageContaining(expected);
  }

  @Test
  void parse_emptyDescriptorDataThatDoesNotMatch_isRefused() {
    String json =
        """
        {"schemaVersion": 2, "config": {"mediaType": "application/vnd.oci.empty.v1+json",
          "digest": "%s", "size": 2, "data": "e3x9"}, "layers": []}
        """
            .formatted(ANY_DIGEST);

    assertInvalid(utf8(json), "").hasMessageContaining("config.data:");
  }

  @Test
  void parse_deeplyNestedUnknownField_isRefused() {
    String json =
        "{\"schemaVersion\": 2, \"x\": "
            + "[".repeat(500)
            + "]".repeat(500)
            + ", \"manifests\": []}";

    assertInvalid(utf8(json), "").hasMessageContaining("not valid JSON");
  }

  @Test
  void parse_bodyOverFourMebibytes_isRefused() {
    byte[] big = new byte[ManifestJson.MAX_BYTES + 1];
    Arrays.fill(big, (byte) ' ');

    assertInvalid(big, "").hasMessageContaining("4 MiB");
  }

  @Test
  void parse_emptyBody_isRefused() {
    assertInvalid(new byte[0], "").hasMessageContaining("empty");
  }

  @Test
  void parse_invalidUtf8_isRefused() {
    byte[] json =
        utf8("{\"schemaVersion\": 2, \"manifests\": [], \"annotations\": {\"a\": \"X\"}}");
    int x = new String(json, StandardCharsets.UTF_8).indexOf('X');
    json[x] = (byte) 0xC3;

    assertInvalid(json, "").hasMessageContaining("not valid JSON");
  }

  @Test
  void parse_exception_carriesManifestInvalidCode() {
    assertThatThrownBy(() -> ManifestParser.parse(utf8("{"), ""))
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
              assertThat(e.detail()).isEqualTo(Map.of());
            });
  }
}
