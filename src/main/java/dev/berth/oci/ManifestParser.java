package dev.berth.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.Set;

/**
 * Parses and validates a pushed manifest: Docker schema 2, Docker manifest list, OCI image manifest
 * or OCI image index. Docker schema 1 is refused.
 *
 * <p>The effective media type is the body's {@code mediaType} field; the {@code Content-Type}
 * header must agree with it when both are given, and stands in for it when the body has none. With
 * neither, the shape decides: {@code manifests} makes an OCI index, {@code config} an OCI image
 * manifest.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests">OCI
 *     Distribution Spec, pushing manifests</a>
 */
public final class ManifestParser {
  // Header values that say nothing about the manifest kind; some clients send them.
  private static final Set<String> GENERIC_TYPES =
      Set.of("", "application/json", "application/octet-stream", "text/plain");

  private ManifestParser() {}

  /**
   * Parses a manifest body.
   *
   * @param content the body, at most 4 MiB
   * @param contentTypeHeader the request's {@code Content-Type}, or the empty string when absent
   * @return the manifest
   * @throws RegistryException {@link ErrorCode#MANIFEST_INVALID} with a message naming the
   *     offending field when the manifest is malformed, unsupported or disagrees with the header
   */
  public static Manifest parse(byte[] content, String contentTypeHeader) {
    ObjectNode root = ManifestJson.readObject(content);
    String headerType = MediaType.essence(contentTypeHeader);
    Optional<String> bodyType = ManifestJson.optionalString(root, "mediaType", "mediaType");
    refuseSchema1(root, headerType, bodyType);
    checkSchemaVersion(root);
    String mediaType = effectiveMediaType(root, headerType, bodyType);
    if (MediaType.isManifest(mediaType)) {
      return imageManifest(root, mediaType);
    }
    return imageIndex(root, mediaType);
  }

  /** Parses a manifest body pushed without a {@code Content-Type}. */
  public static Manifest parse(byte[] content) {
    return parse(content, "");
  }

  private static void refuseSchema1(ObjectNode root, String headerType, Optional<String> body) {
    JsonNode version = root.get("schemaVersion");
    boolean schema1 =
        MediaType.isSchema1(headerType)
            || body.filter(MediaType::isSchema1).isPresent()
            || (version != null && version.isIntegralNumber() && version.longValue() == 1);
    if (schema1) {
      throw ManifestJson.invalid(
          "Docker image manifest schema 1 is not supported: push with a newer client that"
              + " writes Docker schema 2 or OCI manifests");
    }
  }

  private static void checkSchemaVersion(ObjectNode root) {
    JsonNode version = root.get("schemaVersion");
    if (version == null || version.isNull()) {
      throw ManifestJson.invalid("schemaVersion: is missing; it must be 2");
    }
    if (!version.isIntegralNumber() || version.longValue() != Manifest.SCHEMA_VERSION) {
      throw ManifestJson.invalid(
          "schemaVersion: must be 2, got " + Digest.shorten(version.toString()));
    }
  }

  private static String effectiveMediaType(
      ObjectNode root, String headerType, Optional<String> bodyType) {
    boolean headerSpecific = !GENERIC_TYPES.contains(headerType);
    if (bodyType.isPresent()) {
      String body = bodyType.get();
      if (!MediaType.isSupportedManifest(body)) {
        throw unsupported("mediaType: ", body);
      }
      if (headerSpecific && !headerType.equals(body)) {
        throw ManifestJson.invalid(
            "Content-Type '"
                + Digest.shorten(headerType)
                + "' does not match the manifest's mediaType '"
                + body
                + "'");
      }
      return body;
    }
    if (headerSpecific) {
      if (!MediaType.isSupportedManifest(headerType)) {
        throw unsupported("Content-Type: ", headerType);
      }
      return headerType;
    }
    boolean hasManifests = root.has("manifests");
    boolean hasConfig = root.has("config");
    if (hasManifests && hasConfig) {
      throw ManifestJson.invalid(
          "manifest has both config and manifests and no mediaType to tell which it is");
    }
    if (hasManifests) {
      return MediaType.OCI_INDEX;
    }
    if (hasConfig) {
      return MediaType.OCI_MANIFEST;
    }
    throw ManifestJson.invalid(
        "manifest has no mediaType and neither config nor manifests: it is no manifest Berth"
            + " knows");
  }

  private static RegistryException unsupported(String where, String type) {
    return ManifestJson.invalid(
        where
            + "unsupported manifest media type '"
            + Digest.shorten(type)
            + "'; supported are "
            + String.join(
                ", ",
                MediaType.DOCKER_MANIFEST,
                MediaType.DOCKER_MANIFEST_LIST,
                MediaType.OCI_MANIFEST,
                MediaType.OCI_INDEX));
  }

  private static ImageManifest imageManifest(ObjectNode root, String mediaType) {
    if (root.has("manifests")) {
      throw ManifestJson.invalid(
          "manifests: must not appear in an image manifest (" + mediaType + ")");
    }
    return new ImageManifest(
        mediaType,
        ManifestJson.requiredDescriptor(root, "config"),
        ManifestJson.descriptors(root, "layers"),
        ManifestJson.optionalDescriptor(root, "subject"),
        ManifestJson.optionalMediaType(root, "artifactType", "artifactType"),
        ManifestJson.stringMap(root, "annotations", "annotations"));
  }

  private static ImageIndex imageIndex(ObjectNode root, String mediaType) {
    for (String field : new String[] {"config", "layers"}) {
      if (root.has(field)) {
        throw ManifestJson.invalid(field + ": must not appear in an index (" + mediaType + ")");
      }
    }
    return new ImageIndex(
        mediaType,
        ManifestJson.descriptors(root, "manifests"),
        ManifestJson.optionalDescriptor(root, "subject"),
        ManifestJson.optionalMediaType(root, "artifactType", "artifactType"),
        ManifestJson.stringMap(root, "annotations", "annotations"));
  }
}
