package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DescriptorTest {
  private static final Digest DIGEST = Digest.sha256Of("a layer".getBytes(StandardCharsets.UTF_8));

  @Test
  void of_validParts_hasNoOptionalParts() {
    Descriptor descriptor = Descriptor.of(MediaType.OCI_LAYER_GZIP, DIGEST, 1234);

    assertThat(descriptor.urls()).isEmpty();
    assertThat(descriptor.annotations()).isEmpty();
    assertThat(descriptor.artifactType()).isEmpty();
    assertThat(descriptor.platform()).isEmpty();
  }

  @Test
  void constructor_negativeSize_isRefused() {
    assertThatThrownBy(() -> Descriptor.of(MediaType.OCI_LAYER, DIGEST, -1))
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_INVALID))
        .hasMessageContaining("negative");
  }

  @Test
  void constructor_zeroSize_isAccepted() {
    assertThat(Descriptor.of(MediaType.OCI_LAYER, DIGEST, 0).size()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "application",
        "application/",
        "/json",
        "application/json; charset=utf-8",
        "application/ json",
        "-app/json"
      })
  void constructor_malformedMediaType_isRefused(String mediaType) {
    assertThatThrownBy(() -> Descriptor.of(mediaType, DIGEST, 1))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("not a valid media type");
  }

  @Test
  void constructor_malformedArtifactType_isRefused() {
    Descriptor descriptor = Descriptor.of(MediaType.OCI_MANIFEST, DIGEST, 1);

    assertThatThrownBy(() -> descriptor.withArtifactType("sbom"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("artifactType");
  }

  @Test
  void constructor_collections_areCopied() {
    List<String> urls = new ArrayList<>(List.of("https://example.com/layer"));
    Map<String, String> annotations = new HashMap<>(Map.of("k", "v"));

    Descriptor descriptor =
        new Descriptor(
            MediaType.OCI_LAYER, DIGEST, 1, urls, annotations, Optional.empty(), Optional.empty());
    urls.clear();
    annotations.clear();

    assertThat(descriptor.urls()).containsExactly("https://example.com/layer");
    assertThat(descriptor.annotations()).containsEntry("k", "v");
  }

  @Test
  void empty_isTheDigestOfTwoBraces() {
    Descriptor empty = Descriptor.empty();

    assertThat(empty.digest()).isEqualTo(Digest.sha256Of("{}".getBytes(StandardCharsets.UTF_8)));
    assertThat(empty.size()).isEqualTo(2);
    assertThat(empty.mediaType()).isEqualTo(MediaType.OCI_EMPTY);
  }

  @Test
  void isForeign_nonDistributableWithUrls_isTrue() {
    Descriptor layer =
        Descriptor.of(MediaType.DOCKER_FOREIGN_LAYER, DIGEST, 1)
            .withUrls(List.of("https://example.com/layer"));

    assertThat(layer.isForeign()).isTrue();
  }

  @Test
  void isForeign_nonDistributableWithoutUrls_isFalse() {
    assertThat(Descriptor.of(MediaType.OCI_NONDISTRIBUTABLE_LAYER, DIGEST, 1).isForeign())
        .isFalse();
  }

  @Test
  void isForeign_ordinaryLayerWithUrls_isFalse() {
    Descriptor layer =
        Descriptor.of(MediaType.OCI_LAYER_GZIP, DIGEST, 1)
            .withUrls(List.of("https://example.com/layer"));

    assertThat(layer.isForeign()).isFalse();
  }

  @Test
  void platform_emptyArchitecture_isRefused() {
    assertThatThrownBy(() -> Platform.of("linux", ""))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("architecture");
  }
}
