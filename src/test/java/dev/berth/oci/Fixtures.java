package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.AbstractThrowableAssert;

/** Loads the manifest fixtures under {@code src/test/resources/manifests/}. */
final class Fixtures {
  private Fixtures() {}

  static byte[] manifest(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/manifests/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] utf8(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(
      byte[] content, String header) {
    return assertThatThrownBy(() -> ManifestParser.parse(content, header))
        .isInstanceOf(RegistryException.class)
        .satisfies(
            e -> assertThat(((RegistryException) e).code()).isEqualTo(ErrorCode.MANIFEST_INVALID));
  }

  static byte[] withoutMediaType(String fixture) {
    String json = new String(manifest(fixture), StandardCharsets.UTF_8);
    String stripped = json.replaceFirst("\\n   \"mediaType\": \"[^\"]+\",", "");
    assertThat(stripped).isNotEqualTo(json);
    return utf8(stripped);
  }
}
