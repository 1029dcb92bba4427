package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** Equivalents of the sample files in registry:2's documentation load with registry:2's values. */
class SampleConfigurationTest {

  private static Path sample(String name) throws URISyntaxException {
    return Path.of(Objects.requireNonNull(SampleConfigurationTest.class.getResource(name)).toURI());
  }

  @Test
  void developmentSample_loads_withDocumentedValues() throws URISyntaxException {
    LoadedConfiguration loaded = ConfigurationLoader.fromFile(sample("development.yml"), Map.of());

    Configuration config = loaded.configuration();
    assertThat(config.log().level()).isEqualTo("debug");
    assertThat(config.http().addr()).isEqualTo("127.0.0.1:5000");
    assertThat(config.storage().driver())
        .isEqualTo(new StorageSettings.Filesystem(Path.of("/tmp/registry-dev")));
    assertThat(config.http().debug().address()).contains("127.0.0.1:5001");
    assertThat(loaded.warnings()).isEmpty();
  }

  @Test
  void imageDefaultSample_loads_withRegistryDefaults() throws URISyntaxException {
    LoadedConfiguration loaded =
        ConfigurationLoader.fromFile(sample("image-default.yml"), Map.of());

    assertThat(loaded.configuration().log().fields()).containsEntry("service", "registry");
    assertThat(loaded.configuration().http().headers())
        .containsEntry("X-Content-Type-Options", List.of("nosniff"));
    assertThat(loaded.settings())
        .extracting(EffectiveSetting::key, EffectiveSetting::value)
        .contains(
            tuple("storage.filesystem.rootdirectory", "/var/lib/registry"),
            tuple("storage.delete.enabled", "false"),
            tuple("storage.redirect.disable", "false"),
            tuple("storage.maintenance.readonly.enabled", "false"),
            tuple("log.level", "info"),
            tuple("log.formatter", "text"),
            tuple("catalog.maxentries", "1000"));
  }

  @Test
  void everythingSample_loads_bindsEveryImplementedValue() throws URISyntaxException {
    LoadedConfiguration loaded = ConfigurationLoader.fromFile(sample("everything.yml"), Map.of());

    Configuration config = loaded.configuration();
    var s3 = (StorageSettings.S3) config.storage().driver();
    assertThat(s3.regionEndpoint()).isEqualTo("http://minio.internal:9000");
    assertThat(s3.forcePathStyle()).isTrue();
    assertThat(s3.secure()).isFalse();
    assertThat(s3.multipartCopyMaxConcurrency()).isEqualTo(50);
    assertThat(s3.rootDirectory()).isEqualTo("/registry");
    assertThat(config.storage().deleteEnabled()).isTrue();
    assertThat(config.storage().redirectDisabled()).isTrue();
    assertThat(config.storage().uploadPurging().age()).isEqualTo(Duration.ofDays(3));
    assertThat(config.storage().tagConcurrencyLimit()).isEqualTo(4);
    assertThat(config.http().drainTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(config.http().host()).isEqualTo("https://registry.internal");
    assertThat(config.http().relativeUrls()).isTrue();
    assertThat(config.http().tls()).isNotNull();
    assertThat(config.http().tls().minimumTls()).isEqualTo("tls1.3");
    assertThat(config.log().accessLogDisabled()).isTrue();
    assertThat(config.log().formatter()).isEqualTo("json");
    assertThat(config.catalog().maxEntries()).isEqualTo(500);
    assertThat(config.http().debug()).isEqualTo(new DebugSettings(":5001", true, "/metrics"));
    assertThat(config.health().storageDriver())
        .isEqualTo(new HealthSettings.StorageDriverCheck(true, Duration.ofSeconds(15), 2));
    assertThat(config.auth()).isInstanceOf(AuthSettings.Token.class);
    assertThat(config.cache())
        .isEqualTo(
            new CacheSettings.Redis(
                "redis.internal",
                6379,
                null,
                "redis-pass",
                1,
                Duration.ofMillis(50),
                Duration.ofMillis(20),
                Duration.ofMillis(20),
                32,
                8,
                Duration.ofMinutes(4),
                false,
                List.of()));
    assertThat(loaded.settings())
        .filteredOn(s -> s.value().contains("hunter2") || s.value().contains("redis-pass"))
        .isEmpty();
    assertThat(loaded.settings())
        .extracting(EffectiveSetting::key, EffectiveSetting::value)
        .contains(
            tuple("redis.password", "<redacted>"),
            tuple("proxy.password", "<redacted>"),
            tuple("notifications.endpoints[0].headers.Authorization[0]", "<redacted>"));
    assertThat(loaded.warnings())
        .extracting(w -> w.substring(0, w.indexOf(' ')))
        .contains(
            "log.hooks",
            "storage.tag",
            "storage.cache.blobdescriptorsize",
            "auth",
            "middleware",
            "http.prefix",
            "http.tls",
            "health.file",
            "health.http",
            "health.tcp",
            "http.headers",
            "http.http2",
            "notifications",
            "proxy",
            "validation");
  }
}
