package dev.berth.oci;

/**
 * What a manifest URL names after {@code /manifests/}: either a {@link Tag} or a {@link Digest}.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests">OCI
 *     Distribution Spec, pulling manifests</a>
 */
public sealed interface Reference permits Reference.ByTag, Reference.ByDigest {

  /**
   * Parses a reference: a digest when it contains a colon, a tag otherwise.
   *
   * @throws RegistryException {@code DIGEST_INVALID} or {@code TAG_INVALID} when malformed
   */
  static Reference parse(String value) {
    if (Digest.looksLikeDigest(value)) {
      return new ByDigest(Digest.parse(value));
    }
    return new ByTag(Tag.of(value));
  }

  /**
   * A reference by tag.
   *
   * @param tag the tag
   */
  record ByTag(Tag tag) implements Reference {
    @Override
    public String toString() {
      return tag.value();
    }
  }

  /**
   * A reference by digest.
   *
   * @param digest the digest
   */
  record ByDigest(Digest digest) implements Reference {
    @Override
    public String toString() {
      return digest.toString();
    }
  }
}
