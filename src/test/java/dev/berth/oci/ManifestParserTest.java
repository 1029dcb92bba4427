package dev.berth.oci;

import static dev.berth.oci.Fixtures.manifest;
import static dev.berth.oci.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestParserTest {

  private static final String ANY_DIGEST =
      "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

  @Test
  void parse_dockerSchema2_readsConfigAndThreeLayers() {
    Manifest manifest = ManifestParser.parse(manifest("docker-schema2.json"), "");

    assertThat(manifest).isInstanceOf(ImageManifest.class);
    ImageManifest image = (ImageManifest) manifest;
    assertThat(image.mediaType()).isEqualTo(MediaType.DOCKER_MANIFEST);
    assertThat(image.schemaVersion()).isEqualTo(2);
    assertThat(image.config().mediaType()).isEqualTo(MediaType.DOCKER_CONFIG);
    assertThat(image.config().size()).isEqualTo(7023);
    assertThat(image.layers())
        .extracting(Descriptor::size)
        .containsExactly(29124181L, 3216557L, 412L);
    assertThat(image.layers()).allMatch(l -> l.mediaType().equals(MediaType.DOCKER_LAYER));
    assertThat(image.subject()).isEmpty();
    assertThat(image.artifactType()).contains(MediaType.DOCKER_CONFIG);
  }

  @Test
  void references_dockerSchema2_areConfigThenLayersAllBlobs() {
    ImageManifest image = (ImageManifest) ManifestParser.parse(manifest("docker-schema2.json"), "");

    assertThat(image.blobReferences()).hasSize(4).first().isEqualTo(image.config());
    assertThat(image.blobReferences().subList(1, 4)).isEqualTo(image.layers());
    assertThat(image.manifestReferences()).isEmpty();
    assertThat(image.references()).isEqualTo(image.blobReferences());
  }

  @Test
  void parse_dockerManifestList_readsBothPlatforms() {
    Manifest manifest =
        ManifestParser.parse(manifest("docker-manifest-list.json"), MediaType.DOCKER_MANIFEST_LIST);

    assertThat(manifest).isInstanceOf(ImageIndex.class);
    ImageIndex index = (ImageIndex) manifest;
    assertThat(index.mediaType()).isEqualTo(MediaType.DOCKER_MANIFEST_LIST);
    assertThat(index.manifests())
        .extracting(d -> d.platform().orElseThrow())
        .containsExactly(
            Platform.of("linux", "amd64"),
            new Platform(
                "arm64", "linux", Optional.empty(), List.of(), Optional.of("v8"), List.of()));
    assertThat(index.manifestReferences()).isEqualTo(index.manifests());
    assertThat(index.blobReferences()).isEmpty();
    assertThat(index.artifactType()).isEmpty();
  }

  @Test
  void parse_dockerManifestList_firstEntryIsTheSchema2Fixture() {
    byte[] schema2 = manifest("docker-schema2.json");
    ImageIndex index = (ImageIndex) ManifestParser.parse(manifest("docker-manifest-list.json"), "");

    Descriptor first = index.manifests().get(0);
    assertThat(first.digest()).isEqualTo(Digest.sha256Of(schema2));
    assertThat(first.size()).isEqualTo(schema2.length);
  }

  @Test
  void parse_ociManifest_readsLayersAndAnnotations() {
    ImageManifest image =
        (ImageManifest)
            ManifestParser.parse(
                manifest("oci-manifest.json"), "application/vnd.oci.image.manifest.v1+json");

    assertThat(image.mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
    assertThat(image.config().mediaType()).isEqualTo(MediaType.OCI_CONFIG);
    assertThat(image.layers())
        .extracting(Descriptor::mediaType)
        .containsExactly(MediaType.OCI_LAYER_GZIP, MediaType.OCI_LAYER_ZSTD);
    assertThat(image.layers().get(1).annotations())
        .containsEntry("org.opencontainers.image.title", "tzdata");
    assertThat(image.annotations())
        .containsEntry("org.opencontainers.image.created", "2024-06-11T09:24:08Z");
    assertThat(image.hasEmptyConfig()).isFalse();
  }

  @Test
  void parse_ociIndex_readsPlatformsWithOsVersionAndFeatures() {
    ImageIndex index = (ImageIndex) ManifestParser.parse(manifest("oci-index.json"), "");

    assertThat(index.mediaType()).isEqualTo(MediaType.OCI_INDEX);
    assertThat(index.manifests()).hasSize(4);
    Platform windows = index.manifests().get(2).platform().orElseThrow();
    assertThat(windows.os()).isEqualTo("windows");
    assertThat(windows.osVersion()).contains("10.0.20348.2527");
    assertThat(windows.osFeatures()).containsExactly("win32k");
    assertThat(index.manifests().get(1).platform().orElseThrow().variant()).contains("v7");
    assertThat(index.manifests().get(3).annotations())
        .containsEntry("vnd.docker.reference.type", "attestation-manifest");
    assertThat(index.annotations()).containsEntry("org.opencontainers.image.ref.name", "3.20");
  }

  @Test
  void parse_artifactWithEmptyConfigAndSubject_readsArtifactTypeAndSubject() {
    byte[] subjectBytes = manifest("oci-manifest.json");
    ImageManifest artifact =
        (ImageManifest) ManifestParser.parse(manifest("oci-artifact-sbom.json"), "");

    assertThat(artifact.artifactType()).contains("application/spdx+json");
    assertThat(artifact.declaredArtifactType()).contains("application/spdx+json");
    assertThat(artifact.hasEmptyConfig()).isTrue();
    assertThat(artifact.config()).isEqualTo(Descriptor.empty());
    Descriptor subject = artifact.subject().orElseThrow();
    assertThat(subject.digest()).isEqualTo(Digest.sha256Of(subjectBytes));
    assertThat(subject.size()).isEqualTo(subjectBytes.length);
    assertThat(artifact.references()).doesNotContain(subject).contains(artifact.config());
  }

  @Test
  void parse_signatureWithoutArtifactType_fallsBackToConfigMediaType() {
    ImageManifest signature =
        (ImageManifest) ManifestParser.parse(manifest("signature-artifact.json"), "");

    assertThat(signature.declaredArtifactType()).isEmpty();
    assertThat(signature.artifactType()).contains("application/vnd.cncf.notary.signature");
    assertThat(signature.annotations())
        .containsKey("io.cncf.notary.x509chain.thumbprint#S256")
        .containsEntry("org.opencontainers.image.created", "2024-06-11T09:31:12Z");
    assertThat(signature.subject()).isPresent();
  }

  @Test
  void parse_ociIndexWithArtifactTypeAndSubject_readsBoth() {
    String json =
        """
        {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
         "artifactType": "application/vnd.example.bundle",
         "manifests": [],
         "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json",
                     "digest": "%s", "size": 976}}
        """
            .formatted(ANY_DIGEST);

    ImageIndex index = (ImageIndex) ManifestParser.parse(utf8(json), "");

    assertThat(index.artifactType()).contains("application/vnd.example.bundle");
    assertThat(index.subject()).map(Descriptor::size).contains(976L);
    assertThat(index.manifests()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
        "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
      })
  void references_foreignLayerWithUrls_isLeftOut(String layerType) {
    String json =
        """
        {"schemaVersion": 2, "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
          "digest": "%1$s", "size": 2},
         "layers": [{"mediaType": "%2$s", "digest": "%3$s", "size": 1024,
                     "urls": ["https://mcr.microsoft.com/v2/windows/blobs/%3$s"]},
                    {"mediaType": "%2$s", "digest": "%4$s", "size": 2048}]}
        """
            .formatted(
                ANY_DIGEST,
                layerType,
                Digest.sha256Of(utf8("foreign")),
                Digest.sha256Of(utf8("no urls")));

    ImageManifest image = (ImageManifest) ManifestParser.parse(utf8(json), "");

    assertThat(image.foreignLayers()).containsExactly(image.layers().get(0));
    assertThat(image.blobReferences()).containsExactly(image.config(), image.layers().get(1));
  }

  @Test
  void references_ordinaryLayerWithUrls_isStillRequired() {
    String json =
        """
        {"schemaVersion": 2, "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
          "digest": "%1$s", "size": 2},
         "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                     "digest": "%1$s", "size": 2, "urls": ["https://example.com/blob"]}]}
        """
            .formatted(ANY_DIGEST);

    ImageManifest image = (ImageManifest) ManifestParser.parse(utf8(json), "");

    assertThat(image.blobReferences()).hasSize(2);
    assertThat(image.foreignLayers()).isEmpty();
  }

  @Test
  void parse_unknownFields_areIgnored() {
    String json =
        """
        {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
         "x-tool": {"nested": [1, 2, {"deep": true}]},
         "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                    "digest": "%s", "size": 2, "x-extra": 7},
         "layers": []}
        """
            .formatted(ANY_DIGEST);

    ImageManifest image = (ImageManifest) ManifestParser.parse(utf8(json), "");

    assertThat(image.layers()).isEmpty();
    assertThat(image.config().digest().toString()).isEqualTo(ANY_DIGEST);
  }
}
