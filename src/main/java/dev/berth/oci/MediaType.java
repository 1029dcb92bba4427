package dev.berth.oci;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The media types a registry has to tell apart: manifests and indexes (Docker and OCI), the refused
 * Docker schema 1, and the common config and layer types.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/media-types.md">OCI image
 *     spec, media types</a>
 * @see <a
 *     href="https://github.com/distribution/distribution/blob/main/docs/content/spec/manifest-v2-2.md">Docker
 *     image manifest V2, schema 2</a>
 */
public final class MediaType {
  /** Docker image manifest, schema 2. */
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";

  /** Docker manifest list (the multi-platform form of schema 2). */
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";

  /** Docker image manifest, schema 1 (unsigned); refused by Berth. */
  public static final String DOCKER_SCHEMA1_MANIFEST =
      "application/vnd.docker.distribution.manifest.v1+json";

  /** Docker image manifest, schema 1, signed with a JWS; refused by Berth. */
  public static final String DOCKER_SCHEMA1_SIGNED_MANIFEST =
      "application/vnd.docker.distribution.manifest.v1+prettyjws";

  /** Docker image config. */
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";

  /** Docker layer, a gzip-compressed tar. */
  public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";

  /** Docker foreign layer: clients fetch it from the descriptor's {@code urls}. */
  public static final String DOCKER_FOREIGN_LAYER =
      "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

  /** OCI image manifest. */
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  /** OCI image index. */
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

  /** OCI image config. */
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";

  /** OCI empty descriptor content, the two bytes {@code {}}. */
  public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

  /** OCI layer, an uncompressed tar. */
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";

  /** OCI layer, a gzip-compressed tar. */
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";

  /** OCI layer, a zstd-compressed tar. */
  public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";

  /** OCI non-distributable layer, an uncompressed tar (deprecated by the image spec). */
  public static final String OCI_NONDISTRIBUTABLE_LAYER =
      "application/vnd.oci.image.layer.nondistributable.v1.tar";

  /** OCI non-distributable layer, a gzip-compressed tar (deprecated by the image spec). */
  public static final String OCI_NONDISTRIBUTABLE_LAYER_GZIP =
      "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";

  /** OCI non-distributable layer, a zstd-compressed tar (deprecated by the image spec). */
  public static final String OCI_NONDISTRIBUTABLE_LAYER_ZSTD =
      "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";

  private static final Set<String> IMAGE_MANIFESTS = Set.of(DOCKER_MANIFEST, OCI_MANIFEST);
  private static final Set<String> INDEXES = Set.of(DOCKER_MANIFEST_LIST, OCI_INDEX);
  private static final Set<String> SCHEMA1 =
      Set.of(DOCKER_SCHEMA1_MANIFEST, DOCKER_SCHEMA1_SIGNED_MANIFEST);
  private static final Set<String> NON_DISTRIBUTABLE =
      Set.of(
          DOCKER_FOREIGN_LAYER,
          OCI_NONDISTRIBUTABLE_LAYER,
          OCI_NONDISTRIBUTABLE_LAYER_GZIP,
          OCI_NONDISTRIBUTABLE_LAYER_ZSTD);

  // RFC 6838 section 4.2: type "/" subtype, each a restricted-name of at most 127 characters.
  private static final Pattern GRAMMAR =
      Pattern.compile(
          "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");

  private MediaType() {}

  /** Whether the type is an image manifest: Docker schema 2 or OCI image manifest. */
  public static boolean isManifest(String mediaType) {
    return IMAGE_MANIFESTS.contains(mediaType);
  }

  /** Whether the type is an index: Docker manifest list or OCI image index. */
  public static boolean isIndex(String mediaType) {
    return INDEXES.contains(mediaType);
  }

  /** Whether the type is one of the Docker schema 1 manifest types, which Berth refuses. */
  public static boolean isSchema1(String mediaType) {
    return SCHEMA1.contains(mediaType);
  }

  /** Whether the type is any manifest Berth stores: an image manifest or an index. */
  public static boolean isSupportedManifest(String mediaType) {
    return isManifest(mediaType) || isIndex(mediaType);
  }

  /**
   * Whether the type marks a layer that clients fetch from its {@code urls} rather than from the
   * registry: Docker foreign layers and OCI non-distributable layers.
   */
  public static boolean isNonDistributable(String mediaType) {
    return NON_DISTRIBUTABLE.contains(mediaType);
  }

  /**
   * Whether the string is a media type name as RFC 6838 section 4.2 allows: {@code type/subtype}
   * without parameters.
   */
  public static boolean isValid(String mediaType) {
    return GRAMMAR.matcher(mediaType).matches();
  }

  /**
   * The media type of a {@code Content-Type} header value without its parameters, trimmed and in
   * lower case; empty when the header is empty.
   */
  public static String essence(String contentTypeHeader) {
    int semicolon = contentTypeHeader.indexOf(';');
    String type = semicolon < 0 ? contentTypeHeader : contentTypeHeader.substring(0, semicolon);
    return type.strip().toLowerCase(Locale.ROOT);
  }
}
