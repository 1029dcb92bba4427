package dev.berth.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:<64 hex>}: the algorithm and the lower-case hex encoding.
 * Only the registered algorithms {@code sha256} and {@code sha512} are accepted.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests">OCI
 *     image spec, digests</a>
 * @param algorithm {@code sha256} or {@code sha512}
 * @param hex the lower-case hex encoding of the hash
 */
public record Digest(String algorithm, String hex) {
  private static final Pattern GRAMMAR =
      Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");
  private static final Map<String, Integer> HEX_LENGTHS = Map.of("sha256", 64, "sha512", 128);

  /** Validates the parts; use {@link #parse} for strings. */
  public Digest {
    Integer length = HEX_LENGTHS.get(algorithm);
    if (length == null) {
      throw new RegistryException(
          ErrorCode.DIGEST_INVALID, "unsupported digest algorithm '" + algorithm + "'");
    }
    if (hex.length() != length || !isLowerHex(hex)) {
      throw new RegistryException(
          ErrorCode.DIGEST_INVALID,
          "invalid " + algorithm + " digest: expected " + length + " lower-case hex characters");
    }
  }

  /**
   * Parses {@code algorithm:hex}.
   *
   * @throws RegistryException with {@link ErrorCode#DIGEST_INVALID} when the string is not a
   *     supported digest
   */
  public static Digest parse(String value) {
    if (value.length() > 200 || !GRAMMAR.matcher(value).matches()) {
      throw new RegistryException(
          ErrorCode.DIGEST_INVALID, "invalid digest '" + shorten(value) + "'");
    }
    int colon = value.indexOf(':');
    return new Digest(value.substring(0, colon), value.substring(colon + 1));
  }

  /** Whether the string has the shape of a digest (so a reference is a digest, not a tag). */
  public static boolean looksLikeDigest(String value) {
    return value.indexOf(':') > 0;
  }

  /** Creates a sha256 digest from raw hash bytes. */
  public static Digest sha256(byte[] hash) {
    return new Digest("sha256", HexFormat.of().formatHex(hash));
  }

  /** Computes the sha256 digest of the content, as a registry names a pushed manifest. */
  public static Digest sha256Of(byte[] content) {
    try {
      return sha256(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      // Every Java runtime must provide SHA-256.
      throw new RegistryException(ErrorCode.UNKNOWN, "failed to find SHA-256", Map.of(), e);
    }
  }

  /** Creates a digest of the given algorithm from raw hash bytes. */
  public static Digest of(String algorithm, byte[] hash) {
    return new Digest(algorithm, HexFormat.of().formatHex(hash));
  }

  /** The {@link java.security.MessageDigest} name of the algorithm. */
  public String javaAlgorithm() {
    return algorithm.equals("sha512") ? "SHA-512" : "SHA-256";
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }

  private static boolean isLowerHex(String hex) {
    for (int i = 0; i < hex.length(); i++) {
      char c = hex.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  static String shorten(String value) {
    return value.length() <= 80 ? value : value.substring(0, 77) + "...";
  }
}
