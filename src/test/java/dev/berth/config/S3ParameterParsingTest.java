package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The s3 parameters whose parsing no other test pins ({@code usedualstack}, {@code accelerate},
 * {@code objectacl}, {@code storageclass}, {@code sessiontoken}, {@code
 * multipartcopymaxconcurrency}, {@code useragent}): each one's registry:2 default when unset, a
 * valid value from the file and from its {@code REGISTRY_*} variable, and an invalid value refused
 * with a message naming the key. What each one does to S3 requests is in {@code
 * S3ParameterEffectsTest}.
 */
class S3ParameterParsingTest {

  private static final String BASE =
      "version: 0.1\nstorage:\n  s3:\n    bucket: b\n    region: r\n";

  @TempDir Path dir;

  /** Key, how to read it from the bound settings, its default, a valid YAML value and its value. */
  static Stream<Arguments> values() {
    return Stream.of(
        arguments("usedualstack", f(StorageSettings.S3::useDualStack), false, "true", true),
        arguments("accelerate", f(StorageSettings.S3::accelerate), false, "true", true),
        arguments("objectacl", f(StorageSettings.S3::objectAcl), "private", "public-read", null),
        // Upper case is registry:2's spelling; any case is accepted, as there.
        arguments("storageclass", f(StorageSettings.S3::storageClass), "STANDARD", "none", "NONE"),
        arguments(
            "storageclass",
            f(StorageSettings.S3::storageClass),
            "STANDARD",
            "EXPRESS_ONEZONE",
            null),
        arguments("sessiontoken", f(StorageSettings.S3::sessionToken), null, "FwoGZXIvYXdzE", null),
        arguments(
            "multipartcopymaxconcurrency",
            f(StorageSettings.S3::multipartCopyMaxConcurrency),
            100,
            "7",
            7),
        arguments("useragent", f(StorageSettings.S3::userAgent), null, "acme-registry/1.2", null));
  }

  private static Function<StorageSettings.S3, Object> f(Function<StorageSettings.S3, Object> f) {
    return f;
  }

  @ParameterizedTest(name = "{0}: {3}")
  @MethodSource("values")
  void load_unsetFileAndVariable_defaultThenValue(
      String key,
      Function<StorageSettings.S3, Object> read,
      Object defaultValue,
      String yaml,
      Object bound)
      throws IOException {
    Object expected = bound == null ? yaml : bound;
    Path unset = Files.writeString(dir.resolve("unset.yml"), BASE);
    Path set = Files.writeString(dir.resolve("set.yml"), BASE + "    " + key + ": " + yaml + "\n");
    String variable = "REGISTRY_STORAGE_S3_" + key.toUpperCase(java.util.Locale.ROOT);

    assertThat(read.apply(s3(ConfigurationLoader.fromFile(unset, Map.of()))))
        .as("default")
        .isEqualTo(defaultValue);
    assertThat(read.apply(s3(ConfigurationLoader.fromFile(set, Map.of())))).isEqualTo(expected);
    assertThat(read.apply(s3(ConfigurationLoader.fromFile(unset, Map.of(variable, yaml)))))
        .as(variable)
        .isEqualTo(expected);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        arguments(
            "usedualstack", "maybe", "storage.s3.usedualstack = maybe: must be true or false"),
        arguments("accelerate", "fast", "storage.s3.accelerate = fast: must be true or false"),
        arguments(
            "objectacl",
            "everyone",
            "storage.s3.objectacl = everyone: must be one of private, public-read,"
                + " public-read-write, authenticated-read, aws-exec-read, bucket-owner-read,"
                + " bucket-owner-full-control"),
        // A bucket ACL, which registry:2 refuses for objects.
        arguments(
            "objectacl",
            "log-delivery-write",
            "storage.s3.objectacl = log-delivery-write: must be one of private,"),
        arguments(
            "storageclass",
            "GLACIER",
            "storage.s3.storageclass = GLACIER: must be one of STANDARD, REDUCED_REDUNDANCY,"
                + " STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR, OUTPOSTS,"
                + " EXPRESS_ONEZONE, NONE"),
        arguments(
            "sessiontoken",
            "[a, b]",
            "storage.s3.sessiontoken: must be a single value, not a list"),
        arguments(
            "multipartcopymaxconcurrency",
            "lots",
            "storage.s3.multipartcopymaxconcurrency = lots: must be a whole number"),
        arguments(
            "multipartcopymaxconcurrency",
            "-3",
            "storage.s3.multipartcopymaxconcurrency = -3: must be at least 1"),
        arguments(
            "useragent", "{name: x}", "storage.s3.useragent: must be a single value, not a map"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("invalid")
  void load_invalidValue_refusedNamingTheKey(String key, String yaml, String expected)
      throws IOException {
    Path file = Files.writeString(dir.resolve("bad.yml"), BASE + "    " + key + ": " + yaml + "\n");

    List<String> problems;
    try {
      ConfigurationLoader.fromFile(file, Map.of());
      throw new AssertionError("expected a ConfigurationException");
    } catch (ConfigurationException e) {
      problems = e.problems().stream().map(Problem::toString).toList();
    }

    assertThat(problems).singleElement().asString().startsWith(file + ":6: " + expected);
  }

  private static StorageSettings.S3 s3(LoadedConfiguration loaded) {
    return (StorageSettings.S3) loaded.configuration().storage().driver();
  }
}
