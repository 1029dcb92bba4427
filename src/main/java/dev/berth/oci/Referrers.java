package dev.berth.oci;

import java.util.List;
import java.util.Optional;

/**
 * Builds what the referrers API ({@code GET /v2/<name>/referrers/<digest>}) answers: one descriptor
 * per manifest whose {@code subject} is the digest asked for, listed in an OCI image index.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers">OCI
 *     Distribution Spec, listing referrers</a>
 */
public final class Referrers {
  private Referrers() {}

  /**
   * The referrers-API descriptor of a stored manifest: its media type, digest and size, its {@link
   * Manifest#artifactType()} and its annotations.
   *
   * @param manifest the parsed referring manifest
   * @param digest the digest of the manifest's bytes as stored
   * @param size the length of the manifest's bytes as stored
   */
  public static Descriptor descriptorOf(Manifest manifest, Digest digest, long size) {
    Descriptor descriptor =
        Descriptor.of(manifest.mediaType(), digest, size).withAnnotations(manifest.annotations());
    Optional<String> artifactType = manifest.artifactType();
    return artifactType.isPresent() ? descriptor.withArtifactType(artifactType.get()) : descriptor;
  }

  /** The descriptors whose artifact type is the given one, for the {@code artifactType} filter. */
  public static List<Descriptor> filterByArtifactType(
      List<Descriptor> referrers, String artifactType) {
    return referrers.stream()
        .filter(d -> d.artifactType().filter(artifactType::equals).isPresent())
        .toList();
  }

  /** The referrers response body: an OCI image index listing the descriptors. */
  public static byte[] index(List<Descriptor> referrers) {
    return OciJsonWriter.index(referrers);
  }
}
