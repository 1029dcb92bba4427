package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TagTest {

  @ParameterizedTest
  @ValueSource(strings = {"latest", "v1.2.3", "_private", "1", "A-b_C.d", "sha256-abc.sig"})
  void of_validTag_isAccepted(String value) {
    assertThat(Tag.isValid(value)).isTrue();
    assertThat(Tag.of(value).value()).isEqualTo(value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".hidden", "-dash", "a:b", "a/b", "a b", "tag@x", "é"})
  void of_invalidTag_isRefused(String value) {
    assertThat(Tag.isValid(value)).isFalse();
    assertThatThrownBy(() -> Tag.of(value))
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TAG_INVALID));
  }

  @Test
  void of_128Characters_isAccepted() {
    String tag = "t".repeat(128);

    assertThat(Tag.of(tag).value()).hasSize(128);
  }

  @Test
  void of_129Characters_isRefused() {
    assertThatThrownBy(() -> Tag.of("t".repeat(129))).isInstanceOf(RegistryException.class);
  }
}
