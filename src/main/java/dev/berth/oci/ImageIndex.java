package dev.berth.oci;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An index of manifests: a Docker manifest list or an OCI image index, such as a multi-platform
 * image.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/image-index.md">OCI image
 *     spec, image index</a>
 * @param mediaType the effective media type, {@link MediaType#DOCKER_MANIFEST_LIST} or {@link
 *     MediaType#OCI_INDEX}
 * @param manifests the manifests listed; may be empty
 * @param subject the manifest this one refers to
 * @param artifactType the {@code artifactType} field as written in the index
 * @param annotations the index's annotations
 */
public record ImageIndex(
    String mediaType,
    List<Descriptor> manifests,
    Optional<Descriptor> subject,
    Optional<String> artifactType,
    Map<String, String> annotations)
    implements Manifest {

  /** Checks the media type and copies the collections. */
  public ImageIndex {
    if (!MediaType.isIndex(mediaType)) {
      throw new RegistryException(
          ErrorCode.MANIFEST_INVALID,
          "'" + Digest.shorten(mediaType) + "' is not an index media type");
    }
    manifests = List.copyOf(manifests);
    annotations = Map.copyOf(annotations);
  }

  /** None: an index references only manifests. */
  @Override
  public List<Descriptor> blobReferences() {
    return List.of();
  }

  /** Every entry of {@link #manifests()}, as registry:2 requires them all to be present. */
  @Override
  public List<Descriptor> manifestReferences() {
    return manifests;
  }
}
