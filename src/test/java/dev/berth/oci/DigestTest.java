package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTest {
  private static final String SHA256_HEX =
      "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

  @Test
  void parse_sha256_splitsAlgorithmAndHex() {
    Digest digest = Digest.parse("sha256:" + SHA256_HEX);

    assertThat(digest.algorithm()).isEqualTo("sha256");
    assertThat(digest.hex()).isEqualTo(SHA256_HEX);
    assertThat(digest.toString()).isEqualTo("sha256:" + SHA256_HEX);
    assertThat(digest.javaAlgorithm()).isEqualTo("SHA-256");
  }

  @Test
  void parse_sha512_isAccepted() throws NoSuchAlgorithmException {
    byte[] hash = MessageDigest.getInstance("SHA-512").digest(new byte[] {1, 2, 3});
    String value = "sha512:" + HexFormat.of().formatHex(hash);

    Digest digest = Digest.parse(value);

    assertThat(digest.algorithm()).isEqualTo("sha512");
    assertThat(digest.hex()).hasSize(128);
    assertThat(digest.javaAlgorithm()).isEqualTo("SHA-512");
  }

  @Test
  void parse_uppercaseHex_isRefused() {
    assertInvalid("sha256:" + SHA256_HEX.toUpperCase(Locale.ROOT));
  }

  @Test
  void parse_sha256WithSha512Length_isRefused() {
    assertInvalid("sha256:" + SHA256_HEX + SHA256_HEX);
  }

  @Test
  void parse_sha512WithSha256Length_isRefused() {
    assertInvalid("sha512:" + SHA256_HEX);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "sha256",
        "sha256:",
        ":abc",
        "md5:d41d8cd98f00b204e9800998ecf8427e",
        "SHA256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
        "sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564",
        "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8",
        "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8g",
        " sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
      })
  void parse_malformed_isRefused(String value) {
    assertInvalid(value);
  }

  @Test
  void sha256Of_content_matchesTheKnownEmptyObjectDigest() {
    assertThat(Digest.sha256Of("{}".getBytes(StandardCharsets.UTF_8)).hex()).isEqualTo(SHA256_HEX);
  }

  @Test
  void looksLikeDigest_tagWithoutColon_isFalse() {
    assertThat(Digest.looksLikeDigest("latest")).isFalse();
    assertThat(Digest.looksLikeDigest("sha256:abc")).isTrue();
  }

  private static void assertInvalid(String value) {
    assertThatThrownBy(() -> Digest.parse(value))
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_INVALID));
  }
}
