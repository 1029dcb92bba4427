package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RepositoryNameTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ubuntu",
        "library/ubuntu",
        "a",
        "0",
        "my-org/my-app",
        "my--org/my---app",
        "a__b",
        "a_b.c-d",
        "registry.example.com/team/app",
        "a/b/c/d/e/f"
      })
  void of_validName_isAccepted(String value) {
    assertThat(RepositoryName.of(value).value()).isEqualTo(value);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "Ubuntu", "_a", "-a", ".a", "a_", "a-", "a.", "a___b", "a..b", "a._b", "/a", "a/",
        "a//b", "a/../b", "..", "a/_b", "a b", "a:b", "a@b"
      })
  void of_invalidName_isRefused(String value) {
    assertThatThrownBy(() -> RepositoryName.of(value))
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NAME_INVALID));
  }

  @Test
  void of_255Characters_isAccepted() {
    String name = "a".repeat(100) + "/" + "b".repeat(154);

    assertThat(name).hasSize(255);
    assertThat(RepositoryName.of(name).value()).isEqualTo(name);
  }

  @Test
  void of_256Characters_isRefused() {
    String name = "a".repeat(100) + "/" + "b".repeat(155);

    assertThat(name).hasSize(256);
    assertThatThrownBy(() -> RepositoryName.of(name)).isInstanceOf(RegistryException.class);
  }

  @Test
  void compareTo_ordersLexically() {
    assertThat(RepositoryName.of("a/b")).isLessThan(RepositoryName.of("a/c"));
  }
}
