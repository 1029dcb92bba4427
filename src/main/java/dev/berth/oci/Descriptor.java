package dev.berth.oci;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A reference to content by media type, digest and size, as manifests and indexes use it.
 *
 * <p>Optional parts are record components of type {@link Optional} so that no part is ever {@code
 * null}; build descriptors with {@link #of} and the {@code with...} methods.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/descriptor.md">OCI image
 *     spec, descriptor</a>
 * @param mediaType the media type of the referenced content, an RFC 6838 name
 * @param digest the digest of the referenced content
 * @param size the size of the referenced content in bytes, never negative
 * @param urls where else the content may be downloaded from; empty when there are none
 * @param annotations arbitrary string metadata; empty when there is none
 * @param artifactType the type of artifact the content is, when it is a manifest of an artifact
 * @param platform the platform the referenced manifest runs on, for index entries
 */
public record Descriptor(
    String mediaType,
    Digest digest,
    long size,
    List<String> urls,
    Map<String, String> annotations,
    Optional<String> artifactType,
    Optional<Platform> platform) {

  /** The digest of the two bytes {@code {}}, the content of the OCI empty descriptor. */
  public static final Digest EMPTY_DIGEST =
      Digest.parse("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");

  /**
   * Validates the descriptor and copies the collections.
   *
   * @throws RegistryException {@link ErrorCode#MANIFEST_INVALID} when a part is malformed
   */
  public Descriptor {
    if (!MediaType.isValid(mediaType)) {
      throw new RegistryException(
          ErrorCode.MANIFEST_INVALID,
          "mediaType '" + Digest.shorten(mediaType) + "' is not a valid media type");
    }
    if (size < 0) {
      throw new RegistryException(ErrorCode.MANIFEST_INVALID, "size " + size + " is negative");
    }
    if (artifactType.isPresent() && !MediaType.isValid(artifactType.get())) {
      throw new RegistryException(
          ErrorCode.MANIFEST_INVALID,
          "artifactType '" + Digest.shorten(artifactType.get()) + "' is not a valid media type");
    }
    urls = List.copyOf(urls);
    annotations = Map.copyOf(annotations);
  }

  /** A descriptor of just media type, digest and size. */
  public static Descriptor of(String mediaType, Digest digest, long size) {
    return new Descriptor(
        mediaType, digest, size, List.of(), Map.of(), Optional.empty(), Optional.empty());
  }

  /** The OCI empty descriptor: media type {@code application/vnd.oci.empty.v1+json}, {@code {}}. */
  public static Descriptor empty() {
    return of(MediaType.OCI_EMPTY, EMPTY_DIGEST, 2);
  }

  /** This descriptor with the given annotations instead of its own. */
  public Descriptor withAnnotations(Map<String, String> newAnnotations) {
    return new Descriptor(mediaType, digest, size, urls, newAnnotations, artifactType, platform);
  }

  /** This descriptor with the given artifact type. */
  public Descriptor withArtifactType(String newArtifactType) {
    return new Descriptor(
        mediaType, digest, size, urls, annotations, Optional.of(newArtifactType), platform);
  }

  /** This descriptor with the given platform. */
  public Descriptor withPlatform(Platform newPlatform) {
    return new Descriptor(
        mediaType, digest, size, urls, annotations, artifactType, Optional.of(newPlatform));
  }

  /** This descriptor with the given download URLs. */
  public Descriptor withUrls(List<String> newUrls) {
    return new Descriptor(mediaType, digest, size, newUrls, annotations, artifactType, platform);
  }

  /**
   * Whether clients fetch this content from its {@code urls} instead of the registry: a foreign or
   * non-distributable layer that names at least one URL. The registry does not require such a blob
   * to be present.
   */
  public boolean isForeign() {
    return !urls.isEmpty() && MediaType.isNonDistributable(mediaType);
  }
}
