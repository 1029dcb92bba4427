package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OciJsonWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Digest DIGEST =
      Digest.sha256Of("some manifest".getBytes(StandardCharsets.UTF_8));

  @Test
  void descriptor_withoutOptionalParts_writesOnlyTheThreeRequiredFields() {
    String json = text(OciJsonWriter.descriptor(Descriptor.of(MediaType.OCI_MANIFEST, DIGEST, 42)));

    assertThat(json)
        .isEqualTo(
            "{\"mediaType\":\""
                + MediaType.OCI_MANIFEST
                + "\",\"digest\":\""
                + DIGEST
                + "\",\"size\":42}");
  }

  @Test
  void descriptor_withEveryPart_roundTripsThroughTheParser() throws IOException {
    Descriptor descriptor =
        new Descriptor(
            MediaType.OCI_MANIFEST,
            DIGEST,
            42,
            List.of("https://example.com/m"),
            Map.of("b", "2", "a", "1"),
            Optional.of("application/vnd.example+json"),
            Optional.of(
                new Platform(
                    "arm",
                    "linux",
                    Optional.of("6.1"),
                    List.of("f1"),
                    Optional.of("v7"),
                    List.of("sse4"))));

    byte[] json = OciJsonWriter.descriptor(descriptor);

    assertThat(ManifestJson.descriptor(JSON.readTree(json), "d")).isEqualTo(descriptor);
    assertThat(text(json)).contains("\"annotations\":{\"a\":\"1\",\"b\":\"2\"}");
  }

  @Test
  void index_listsTheDescriptorsUnderAnOciIndex() throws IOException {
    Descriptor one = Descriptor.of(MediaType.OCI_MANIFEST, DIGEST, 42);

    JsonNode index = JSON.readTree(OciJsonWriter.index(List.of(one, one)));

    assertThat(index.get("schemaVersion").intValue()).isEqualTo(2);
    assertThat(index.get("mediaType").textValue()).isEqualTo(MediaType.OCI_INDEX);
    assertThat(index.get("manifests")).hasSize(2);
    assertThat(index.get("manifests").get(0).get("digest").textValue())
        .isEqualTo(DIGEST.toString());
  }

  @Test
  void index_empty_isAnIndexWithNoManifests() {
    byte[] json = OciJsonWriter.index(List.of());

    ImageIndex index = (ImageIndex) ManifestParser.parse(json, MediaType.OCI_INDEX);
    assertThat(index.manifests()).isEmpty();
  }

  private static String text(byte[] json) {
    return new String(json, StandardCharsets.UTF_8);
  }
}
