package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReferenceTest {
  private static final String DIGEST =
      "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

  @Test
  void parse_digest_isByDigest() {
    Reference reference = Reference.parse(DIGEST);

    assertThat(reference).isEqualTo(new Reference.ByDigest(Digest.parse(DIGEST)));
    assertThat(reference.toString()).isEqualTo(DIGEST);
  }

  @Test
  void parse_tag_isByTag() {
    Reference reference = Reference.parse("v1.0");

    assertThat(reference).isEqualTo(new Reference.ByTag(Tag.of("v1.0")));
    assertThat(reference.toString()).isEqualTo("v1.0");
  }

  @Test
  void parse_malformedDigest_isDigestInvalid() {
    assertThatThrownBy(() -> Reference.parse("sha256:ABC"))
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_INVALID));
  }

  @Test
  void parse_malformedTag_isTagInvalid() {
    assertThatThrownBy(() -> Reference.parse("-bad"))
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TAG_INVALID));
  }
}
