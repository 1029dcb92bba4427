package dev.berth.oci;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An image manifest: a Docker schema 2 manifest or an OCI image manifest, which also carries
 * artifacts (any {@code config.mediaType}, an {@code artifactType}, the empty descriptor).
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/manifest.md">OCI image spec,
 *     image manifest</a>
 * @param mediaType the effective media type, {@link MediaType#DOCKER_MANIFEST} or {@link
 *     MediaType#OCI_MANIFEST}
 * @param config the configuration blob
 * @param layers the layers, base first; may be empty
 * @param subject the manifest this one refers to
 * @param declaredArtifactType the {@code artifactType} field as written in the manifest
 * @param annotations the manifest's annotations
 */
public record ImageManifest(
    String mediaType,
    Descriptor config,
    List<Descriptor> layers,
    Optional<Descriptor> subject,
    Optional<String> declaredArtifactType,
    Map<String, String> annotations)
    implements Manifest {

  /** Checks the media type and copies the collections. */
  public ImageManifest {
    if (!MediaType.isManifest(mediaType)) {
      throw new RegistryException(
          ErrorCode.MANIFEST_INVALID,
          "'" + Digest.shorten(mediaType) + "' is not an image manifest media type");
    }
    layers = List.copyOf(layers);
    annotations = Map.copyOf(annotations);
  }

  /**
   * The declared {@code artifactType}, else the config's media type, as the referrers API reports
   * it.
   */
  @Override
  public Optional<String> artifactType() {
    return declaredArtifactType.or(() -> Optional.of(config.mediaType()));
  }

  /** Whether the config is the OCI empty descriptor, as artifacts without a config use. */
  public boolean hasEmptyConfig() {
    return config.mediaType().equals(MediaType.OCI_EMPTY);
  }

  /**
   * The config and every layer except foreign ones ({@link Descriptor#isForeign()}), which clients
   * fetch from their URLs and which registry:2 does not require either.
   */
  @Override
  public List<Descriptor> blobReferences() {
    return Stream.concat(Stream.of(config), layers.stream().filter(l -> !l.isForeign())).toList();
  }

  /** The layers left out of {@link #blobReferences()}, whose URLs the registry may vet. */
  public List<Descriptor> foreignLayers() {
    return layers.stream().filter(Descriptor::isForeign).toList();
  }

  /** None: an image manifest references only blobs. */
  @Override
  public List<Descriptor> manifestReferences() {
    return List.of();
  }
}
