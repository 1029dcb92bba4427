package dev.berth.registry;

import dev.berth.oci.ErrorCode;
import dev.berth.oci.RegistryException;
import dev.berth.oci.RepositoryName;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks the {@code _state} token that an upload's {@code Location} carries, so that any
 * replica sharing {@code http.secret} can continue the upload and no client can forge one for
 * another repository.
 */
public final class UploadToken {
  private static final String MAC_ALGORITHM = "HmacSHA256";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final SecretKeySpec key;

  /** Creates a signer for the shared secret. */
  public UploadToken(String secret) {
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), MAC_ALGORITHM);
  }

  /**
   * What a token says about an upload.
   *
   * @param name the repository the upload belongs to
   * @param uploadId the upload's id
   * @param offset the bytes received when the token was issued
   * @param startedAt when the upload started
   */
  public record Claims(RepositoryName name, String uploadId, long offset, Instant startedAt) {}

  /** A short fingerprint of the secret, safe to store and log, to detect replicas that differ. */
  public String fingerprint() {
    return HexFormat.of()
        .formatHex(sign("berth secret fingerprint".getBytes(StandardCharsets.UTF_8)))
        .substring(0, 16);
  }

  /** Signs the claims. */
  public String issue(Claims claims) {
    String payload =
        claims.name().value()
            + "\n"
            + claims.uploadId()
            + "\n"
            + claims.offset()
            + "\n"
            + claims.startedAt().toEpochMilli();
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    return ENCODER.encodeToString(bytes) + "." + ENCODER.encodeToString(sign(bytes));
  }

  /**
   * Checks a token and returns its claims.
   *
   * @throws RegistryException {@code BLOB_UPLOAD_INVALID} when the token is malformed, signed with
   *     another secret, or names another repository or upload
   */
  public Claims verify(String token, RepositoryName name, String uploadId) {
    int dot = token.indexOf('.');
    byte[] payload;
    byte[] signature;
    try {
      payload = DECODER.decode(token.substring(0, Math.max(dot, 0)));
      signature = DECODER.decode(token.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      throw invalid("the upload state token is malformed");
    }
    if (dot < 0 || !MessageDigest.isEqual(sign(payload), signature)) {
      throw invalid(
          "the upload state token was signed with another secret: every replica must share the"
              + " same http.secret (REGISTRY_HTTP_SECRET)");
    }
    String[] parts = new String(payload, StandardCharsets.UTF_8).split("\n", -1);
    if (parts.length != 4 || !parts[0].equals(name.value()) || !parts[1].equals(uploadId)) {
      throw invalid("the upload state token belongs to another upload");
    }
    try {
      return new Claims(
          name, uploadId, Long.parseLong(parts[2]), Instant.ofEpochMilli(Long.parseLong(parts[3])));
    } catch (NumberFormatException e) {
      throw invalid("the upload state token is malformed");
    }
  }

  private byte[] sign(byte[] payload) {
    try {
      Mac mac = Mac.getInstance(MAC_ALGORITHM);
      mac.init(key);
      return mac.doFinal(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private static RegistryException invalid(String message) {
    return new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, message);
  }
}
