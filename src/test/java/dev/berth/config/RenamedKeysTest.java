package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keys registry:2 renamed between 2.x and 3.x: a file written for either version loads, and both
 * spellings have the same effect (for keys Berth does not implement yet: the same start-up
 * warning).
 */
class RenamedKeysTest {

  @TempDir Path dir;

  private LoadedConfiguration load(String name, String yaml) throws IOException {
    Path file = Files.writeString(dir.resolve(name + ".yml"), yaml);
    return ConfigurationLoader.fromFile(file, Map.of());
  }

  /** The section each warning is about, e.g. {@code redis} for "redis (file:3) is set but...". */
  private static List<String> warnedSections(LoadedConfiguration loaded) {
    return loaded.warnings().stream()
        .filter(w -> !w.startsWith("loglevel is deprecated"))
        .map(w -> w.substring(0, w.indexOf(' ')))
        .toList();
  }

  static Stream<Arguments> renamedKeys() {
    String storage = "storage:\n  inmemory:\n";
    String urls = "  manifests:\n    urls:\n      allow: ['^https://cdn.example/']\n";
    return Stream.of(
        arguments(
            "cache",
            storage + "  cache:\n    layerinfo: inmemory\nredis:\n  addr: r:6379\n",
            storage + "  cache:\n    blobdescriptor: inmemory\nredis:\n  addrs: [r:6379]\n"),
        arguments(
            "validation",
            storage + "validation:\n  enabled: true\n" + urls,
            storage + "validation:\n  disabled: false\n" + urls),
        arguments(
            "notification media types",
            storage
                + "notifications:\n  endpoints:\n    - name: a\n      url: https://a.example/\n"
                + "      ignoredmediatypes: [application/octet-stream]\n",
            storage
                + "notifications:\n  endpoints:\n    - name: a\n      url: https://a.example/\n"
                + "      ignore:\n        mediatypes: [application/octet-stream]\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renamedKeys")
  void fromFile_2xAnd3xSpelling_bothLoadWithTheSameEffect(String what, String twoX, String threeX)
      throws IOException {
    String head = "version: 0.1\nhttp:\n  secret: s\n";

    LoadedConfiguration old = load("2x", head + twoX);
    LoadedConfiguration current = load("3x", head + threeX);

    assertThat(old.configuration()).isEqualTo(current.configuration());
    assertThat(warnedSections(old)).isNotEmpty().isEqualTo(warnedSections(current));
  }

  @Test
  void fromFile_loglevelOf2x_setsLogLevelAndWarns() throws IOException {
    String rest = "storage: {inmemory: }\nhttp: {secret: s}\n";

    LoadedConfiguration old = load("2x", "version: 0.1\nloglevel: debug\n" + rest);
    LoadedConfiguration current = load("3x", "version: 0.1\nlog:\n  level: debug\n" + rest);

    assertThat(old.configuration()).isEqualTo(current.configuration());
    assertThat(old.configuration().log().level()).isEqualTo("debug");
    assertThat(old.warnings())
        .containsExactly(
            "loglevel is deprecated since registry:2 2.x: use log.level (REGISTRY_LOG_LEVEL)");
    assertThat(current.warnings()).isEmpty();
  }

  @Test
  void fromFile_s3awsDriverName_isTheS3Driver() throws IOException {
    String s3 = "    bucket: b\n    region: eu-west-1\n    chunksize: 5242880\n";
    String head = "version: 0.1\nhttp:\n  secret: s\nstorage:\n";

    LoadedConfiguration old = load("s3aws", head + "  s3aws:\n" + s3);
    LoadedConfiguration current = load("s3", head + "  s3:\n" + s3);

    assertThat(old.configuration()).isEqualTo(current.configuration());
    assertThat(old.configuration().storage().driver()).isInstanceOf(StorageSettings.S3.class);
    assertThat(old.warnings()).isEmpty();
  }

  @Test
  void withoutFile_s3awsChosenByVariable_readsItsVariables() {
    LoadedConfiguration loaded =
        ConfigurationLoader.withoutFile(
            Map.of(
                "REGISTRY_STORAGE", "s3aws",
                "REGISTRY_STORAGE_S3AWS_BUCKET", "b",
                "REGISTRY_STORAGE_S3AWS_REGION", "eu-west-1",
                "REGISTRY_HTTP_SECRET", "s"));

    var s3 = (StorageSettings.S3) loaded.configuration().storage().driver();
    assertThat(s3.bucket()).isEqualTo("b");
    assertThat(s3.region()).isEqualTo("eu-west-1");
    assertThat(loaded.settings())
        .contains(
            new EffectiveSetting(
                "storage.s3.bucket",
                "b",
                new Origin.Variable("REGISTRY_STORAGE_S3AWS_BUCKET", "storage.s3.bucket"),
                true));
  }

  @Test
  void fromFile_s3AndS3aws_twoDriversReported() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("both.yml"),
            "version: 0.1\nstorage:\n  s3: {bucket: a, region: r}\n  s3aws: {bucket: b, region: r}\n");

    try {
      ConfigurationLoader.fromFile(file, Map.of());
      throw new AssertionError("expected a ConfigurationException");
    } catch (ConfigurationException e) {
      assertThat(e.problems())
          .extracting(Problem::toString)
          .singleElement()
          .asString()
          .startsWith("storage: only one storage driver may be configured, found s3");
    }
  }
}
