package dev.berth.oci;

import java.util.List;
import java.util.Optional;

/**
 * The platform an image in an index runs on, as the {@code platform} object of an index entry
 * states it.
 *
 * @see <a
 *     href="https://github.com/opencontainers/image-spec/blob/main/image-index.md#image-index-property-descriptions">OCI
 *     image spec, image index properties</a>
 * @param architecture the CPU architecture, such as {@code amd64}; never empty
 * @param os the operating system, such as {@code linux}; never empty
 * @param osVersion the operating system version, such as {@code 10.0.14393.1066}
 * @param osFeatures required operating system features, such as {@code win32k}
 * @param variant the CPU variant, such as {@code v8}
 * @param features further required features (Docker manifest lists only)
 */
public record Platform(
    String architecture,
    String os,
    Optional<String> osVersion,
    List<String> osFeatures,
    Optional<String> variant,
    List<String> features) {

  /** Validates the platform and copies the lists. */
  public Platform {
    if (architecture.isEmpty()) {
      throw new RegistryException(ErrorCode.MANIFEST_INVALID, "platform architecture is empty");
    }
    if (os.isEmpty()) {
      throw new RegistryException(ErrorCode.MANIFEST_INVALID, "platform os is empty");
    }
    osFeatures = List.copyOf(osFeatures);
    features = List.copyOf(features);
  }

  /** A platform of just an operating system and an architecture. */
  public static Platform of(String os, String architecture) {
    return new Platform(architecture, os, Optional.empty(), List.of(), Optional.empty(), List.of());
  }
}
