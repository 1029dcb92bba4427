package dev.berth.oci;

import static dev.berth.oci.Fixtures.manifest;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReferrersTest {

  @Test
  void descriptorOf_artifact_carriesArtifactTypeAndAnnotations() {
    byte[] bytes = manifest("oci-artifact-sbom.json");
    Manifest sbom = ManifestParser.parse(bytes, "");

    Descriptor referrer = Referrers.descriptorOf(sbom, Digest.sha256Of(bytes), bytes.length);

    assertThat(referrer.mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
    assertThat(referrer.digest()).isEqualTo(Digest.sha256Of(bytes));
    assertThat(referrer.size()).isEqualTo(bytes.length);
    assertThat(referrer.artifactType()).contains("application/spdx+json");
    assertThat(referrer.annotations())
        .containsEntry("org.opencontainers.image.created", "2024-06-11T09:30:00Z");
  }

  @Test
  void descriptorOf_manifestWithoutArtifactType_usesConfigMediaType() {
    byte[] bytes = manifest("signature-artifact.json");

    Descriptor referrer =
        Referrers.descriptorOf(
            ManifestParser.parse(bytes, ""), Digest.sha256Of(bytes), bytes.length);

    assertThat(referrer.artifactType()).contains("application/vnd.cncf.notary.signature");
  }

  @Test
  void descriptorOf_indexWithoutArtifactType_omitsIt() {
    byte[] bytes = manifest("oci-index.json");

    Descriptor referrer =
        Referrers.descriptorOf(
            ManifestParser.parse(bytes, ""), Digest.sha256Of(bytes), bytes.length);

    assertThat(referrer.artifactType()).isEmpty();
    assertThat(referrer.mediaType()).isEqualTo(MediaType.OCI_INDEX);
  }

  @Test
  void index_ofTwoReferrers_parsesBackAsAnIndexOfThem() {
    List<Descriptor> referrers =
        List.of(referrer("oci-artifact-sbom.json"), referrer("signature-artifact.json"));

    ImageIndex index = (ImageIndex) ManifestParser.parse(Referrers.index(referrers), "");

    assertThat(index.mediaType()).isEqualTo(MediaType.OCI_INDEX);
    assertThat(index.manifests()).isEqualTo(referrers);
  }

  @Test
  void filterByArtifactType_keepsOnlyMatches() {
    List<Descriptor> referrers =
        List.of(referrer("oci-artifact-sbom.json"), referrer("signature-artifact.json"));

    assertThat(Referrers.filterByArtifactType(referrers, "application/spdx+json"))
        .containsExactly(referrers.get(0));
    assertThat(Referrers.filterByArtifactType(referrers, "application/x-none")).isEmpty();
  }

  private static Descriptor referrer(String fixture) {
    byte[] bytes = manifest(fixture);
    return Referrers.descriptorOf(
        ManifestParser.parse(bytes, ""), Digest.sha256Of(bytes), bytes.length);
  }
}
