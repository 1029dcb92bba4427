package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationLoaderTest {

  @TempDir Path dir;

  private Path file(String yaml) throws IOException {
    Path file = dir.resolve("config.yml");
    Files.writeString(file, yaml);
    return file;
  }

  private static List<String> problems(Runnable load) {
    try {
      load.run();
    } catch (ConfigurationException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
    throw new AssertionError("expected a ConfigurationException");
  }

  private static Map<String, String> seedManifest() {
    return SeedManifest.variables();
  }

  @Test
  void withoutFile_noVariables_usesBuiltinDefaults() {
    LoadedConfiguration loaded = ConfigurationLoader.withoutFile(Map.of());

    Configuration config = loaded.configuration();
    assertThat(config.http().addr()).isEqualTo(":5000");
    assertThat(config.storage().driver())
        .isEqualTo(new StorageSettings.Filesystem(Path.of("data")));
    assertThat(config.log().level()).isEqualTo("info");
    assertThat(config.catalog().maxEntries()).isEqualTo(1000);
    assertThat(config.http().drainTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(loaded.warnings()).anyMatch(w -> w.startsWith("http.secret is not set"));
  }

  @Test
  void withoutFile_seedManifestVariables_bindsS3WithLiteralSecrets() {
    LoadedConfiguration loaded = ConfigurationLoader.withoutFile(seedManifest());

    Configuration config = loaded.configuration();
    assertThat(config.storage().driver()).isInstanceOf(StorageSettings.S3.class);
    var s3 = (StorageSettings.S3) config.storage().driver();
    assertThat(s3.accessKey()).isEqualTo("AKIAEXAMPLE");
    assertThat(s3.secretKey()).isEqualTo("0123");
    assertThat(s3.region()).isEqualTo("us-east-1");
    assertThat(s3.bucket()).isEqualTo("registry-bucket");
    assertThat(s3.encrypt()).isTrue();
    assertThat(s3.secure()).isTrue();
    assertThat(s3.v4Auth()).isTrue();
    assertThat(s3.chunkSize()).isEqualTo(5242880L);
    assertThat(s3.forcePathStyle()).isFalse();
    assertThat(config.http().secret()).isEqualTo("on");
    assertThat(config.http().addr()).isEqualTo(":5000");
    assertThat(loaded.warnings()).isEmpty();
  }

  @Test
  void withoutFile_seedManifest_effectiveSettingsNameVariablesAndRedactSecrets() {
    List<EffectiveSetting> settings = ConfigurationLoader.withoutFile(seedManifest()).settings();

    assertThat(settings)
        .contains(
            new EffectiveSetting(
                "storage.s3.secretkey",
                "<redacted>",
                new Origin.Variable("REGISTRY_STORAGE_S3_SECRETKEY", "storage.s3.secretkey"),
                true),
            new EffectiveSetting(
                "http.secret",
                "<redacted>",
                new Origin.Variable("REGISTRY_HTTP_SECRET", "http.secret"),
                true),
            new EffectiveSetting(
                "storage.s3.multipartcopychunksize", "33554432", new Origin.Default(), true));
    assertThat(settings).noneMatch(s -> s.key().startsWith("storage.filesystem"));
  }

  @Test
  void fromFile_driverChosenByVariable_keepsSiblingSettingsFromFile() throws IOException {
    Path file =
        file(
            """
            version: 0.1
            storage:
              filesystem:
                rootdirectory: /var/lib/registry
              delete:
                enabled: true
              redirect:
                disable: true
              maintenance:
                readonly:
                  enabled: true
            """);

    Configuration config =
        ConfigurationLoader.fromFile(
                file,
                Map.of(
                    "REGISTRY_STORAGE", "s3",
                    "REGISTRY_STORAGE_S3_BUCKET", "b",
                    "REGISTRY_STORAGE_S3_REGION", "eu-west-1"))
            .configuration();

    assertThat(config.storage().driver()).isInstanceOf(StorageSettings.S3.class);
    assertThat(config.storage().deleteEnabled()).isTrue();
    assertThat(config.storage().redirectDisabled()).isTrue();
    assertThat(config.storage().readOnly()).isTrue();
  }

  @Test
  void fromFile_readOnlyLeafVariable_overridesMaintenance() throws IOException {
    Path file =
        file(
            """
            version: 0.1
            storage:
              filesystem:
                rootdirectory: /srv
              maintenance:
                uploadpurging:
                  enabled: false
            """);

    Configuration config =
        ConfigurationLoader.fromFile(
                file, Map.of("REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED", "true"))
            .configuration();

    assertThat(config.storage().readOnly()).isTrue();
    assertThat(config.storage().uploadPurging().enabled()).isFalse();
    assertThat(config.storage().driver())
        .isEqualTo(new StorageSettings.Filesystem(Path.of("/srv")));
  }

  @Test
  void fromFile_fileGiven_appliesRegistryDefaults() throws IOException {
    Path file =
        file(
            """
            version: 0.1
            storage:
              filesystem: {}
            """);

    Configuration config = ConfigurationLoader.fromFile(file, Map.of()).configuration();

    assertThat(config.storage().driver())
        .isEqualTo(new StorageSettings.Filesystem(Path.of("/var/lib/registry")));
    assertThat(config.http().addr()).isEqualTo(":5000");
  }

  @Test
  void fromFile_storageShortForm_choosesDriver() throws IOException {
    Path file = file("version: 0.1\nstorage: InMemory\nhttp:\n  secret: x\n");

    LoadedConfiguration loaded = ConfigurationLoader.fromFile(file, Map.of());

    assertThat(loaded.configuration().storage().driver()).isEqualTo(new StorageSettings.InMemory());
  }

  @Test
  void fromFile_secretsWrittenAsNumbers_stayLiteral() throws IOException {
    Path file =
        file(
            """
            version: 0.1
            http:
              secret: 0123
            storage:
              s3:
                bucket: b
                region: us-east-1
                accesskey: 0x10
                secretkey: yes
            """);

    Configuration config = ConfigurationLoader.fromFile(file, Map.of()).configuration();

    var s3 = (StorageSettings.S3) config.storage().driver();
    assertThat(config.http().secret()).isEqualTo("0123");
    assertThat(s3.accessKey()).isEqualTo("0x10");
    assertThat(s3.secretKey()).isEqualTo("yes");
  }

  @Test
  void fromFile_laterVariablesInLexicalOrder_overrideSection() throws IOException {
    Path file = file("version: 0.1\nstorage: {inmemory: }\nhttp: {addr: ':6000'}\n");

    Configuration config =
        ConfigurationLoader.fromFile(
                file,
                Map.of(
                    "REGISTRY_HTTP", "{addr: ':7000', relativeurls: true}",
                    "REGISTRY_HTTP_ADDR", ":8000"))
            .configuration();

    assertThat(config.http().addr()).isEqualTo(":8000");
    assertThat(config.http().relativeUrls()).isTrue();
  }

  @Test
  void fromFile_variableWithListAndMapValues_readAsYaml() throws IOException {
    Path file = file("version: 0.1\nstorage: {inmemory: }\n");

    LoadedConfiguration loaded =
        ConfigurationLoader.fromFile(
            file,
            Map.of(
                "REGISTRY_HTTP_HEADERS_X-CONTENT-TYPE-OPTIONS", "[nosniff]",
                "REGISTRY_LOG_FIELDS", "{service: registry, env: staging}",
                "REGISTRY_LOG_FIELDS_REGION", "eu"));

    assertThat(loaded.configuration().http().headers())
        .containsEntry("x-content-type-options", List.of("nosniff"));
    assertThat(loaded.configuration().log().fields())
        .containsEntry("service", "registry")
        .containsEntry("env", "staging")
        .containsEntry("region", "eu");
  }

  @Test
  void fromFile_listIndexVariables_appendAndReplace() throws IOException {
    Path file =
        file(
            """
            version: 0.1
            storage: {inmemory: }
            notifications:
              endpoints:
                - name: first
                  url: https://a.example/events
            """);

    LoadedConfiguration loaded =
        ConfigurationLoader.fromFile(
            file,
            Map.of(
                "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL", "https://b.example/events",
                "REGISTRY_NOTIFICATIONS_ENDPOINTS_1_NAME", "second"));

    assertThat(loaded.settings())
        .extracting(EffectiveSetting::key, EffectiveSetting::value)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                "notifications.endpoints[0].url", "https://b.example/events"),
            org.assertj.core.groups.Tuple.tuple("notifications.endpoints[1].name", "second"));
    assertThat(loaded.warnings()).anyMatch(w -> w.startsWith("notifications"));
  }

  @Test
  void withoutFile_kubernetesServiceLinks_ignoredWithOneWarning() {
    LoadedConfiguration loaded =
        ConfigurationLoader.withoutFile(
            Map.of(
                "REGISTRY_PORT", "tcp://10.0.0.12:5000",
                "REGISTRY_PORT_5000_TCP", "tcp://10.0.0.12:5000",
                "REGISTRY_PORT_5000_TCP_ADDR", "10.0.0.12",
                "REGISTRY_SERVICE_HOST", "10.0.0.12",
                "REGISTRY_AUTH_PORT_5000_TCP_ADDR", "10.0.0.13",
                "REGISTRY_AUTH_SERVICE_PORT", "5000",
                "REGISTRY_HTTP_SECRET", "s"));

    assertThat(loaded.warnings()).hasSize(1);
    assertThat(loaded.warnings().get(0))
        .contains("service-link", "REGISTRY_PORT", "REGISTRY_AUTH_PORT_5000_TCP_ADDR");
    assertThat(loaded.configuration().auth()).isEqualTo(new AuthSettings.None());
  }

  @Test
  void withoutFile_seedManifestBesideServicesNamedRegistry_linksIgnoredSettingsKept() {
    // What Kubernetes injects for a Service "registry" (port 80 named registry) and a Service
    // "registry-http" in the same namespace, next to the seed manifest's own variables.
    var env = new java.util.HashMap<>(seedManifest());
    env.putAll(
        Map.of(
            "REGISTRY_SERVICE_HOST", "10.0.0.12",
            "REGISTRY_SERVICE_PORT", "80",
            "REGISTRY_SERVICE_PORT_REGISTRY", "80",
            "REGISTRY_PORT", "tcp://10.0.0.12:80",
            "REGISTRY_PORT_80_TCP", "tcp://10.0.0.12:80",
            "REGISTRY_PORT_80_TCP_PROTO", "tcp",
            "REGISTRY_PORT_80_TCP_PORT", "80",
            "REGISTRY_PORT_80_TCP_ADDR", "10.0.0.12",
            "REGISTRY_HTTP_PORT", "tcp://10.0.0.14:5000",
            "REGISTRY_HTTP_SERVICE_HOST", "10.0.0.14"));

    LoadedConfiguration loaded = ConfigurationLoader.withoutFile(env);

    assertThat(loaded.warnings())
        .singleElement()
        .asString()
        .contains("service-link", "REGISTRY_PORT_80_TCP_PROTO", "REGISTRY_HTTP_PORT");
    assertThat(loaded.configuration())
        .isEqualTo(ConfigurationLoader.withoutFile(seedManifest()).configuration());
  }

  @Test
  void withoutFile_typoInVariable_reportsNearestName() {
    assertThat(
            problems(
                () ->
                    ConfigurationLoader.withoutFile(
                        Map.of("REGISTRY_STORAGE_S3_ACCESS_KEY", "AKIA"))))
        .containsExactly(
            "REGISTRY_STORAGE_S3_ACCESS_KEY: names no configuration setting;"
                + " did you mean REGISTRY_STORAGE_S3_ACCESSKEY?");
  }

  @Test
  void withoutFile_chunkSizeTooSmall_namesVariableAndRange() {
    var env = new java.util.HashMap<>(seedManifest());
    env.put("REGISTRY_STORAGE_S3_CHUNKSIZE", "1000");

    assertThat(problems(() -> ConfigurationLoader.withoutFile(env)))
        .containsExactly(
            "REGISTRY_STORAGE_S3_CHUNKSIZE=1000: must be between 5242880 and 5368709120 bytes");
  }

  @Test
  void withoutFile_unknownDriver_listsSupportedDrivers() {
    assertThat(problems(() -> ConfigurationLoader.withoutFile(Map.of("REGISTRY_STORAGE", "ceph"))))
        .containsExactly(
            "REGISTRY_STORAGE=ceph: unknown storage driver; use one of filesystem, inmemory, s3");
  }

  @Test
  void withoutFile_emptyVariable_isAProblem() {
    assertThat(problems(() -> ConfigurationLoader.withoutFile(Map.of("REGISTRY_HTTP_ADDR", ""))))
        .containsExactly("REGISTRY_HTTP_ADDR: is empty: give it a value or unset it");
  }

  @Test
  void withoutFile_s3WithoutBucketOrRegion_listsEveryProblem() {
    assertThat(problems(() -> ConfigurationLoader.withoutFile(Map.of("REGISTRY_STORAGE", "s3"))))
        .containsExactly(
            "storage.s3.bucket: is required: the bucket to store the registry in; set it in the"
                + " file or with REGISTRY_STORAGE_S3_BUCKET",
            "storage.s3.region: is required: the bucket's AWS region (or set regionendpoint for"
                + " other stores); set it in the file or with REGISTRY_STORAGE_S3_REGION");
  }

  @Test
  void withoutFile_variableForSecondDriver_reportsBothDrivers() {
    assertThat(
            problems(
                () -> ConfigurationLoader.withoutFile(Map.of("REGISTRY_STORAGE_S3_BUCKET", "b"))))
        .singleElement()
        .asString()
        .startsWith("storage: only one storage driver may be configured, found filesystem")
        .contains("s3 (REGISTRY_STORAGE_S3_BUCKET)");
  }

  @Test
  void fromFile_malformedYaml_oneProblemWithPosition() throws IOException {
    Path file = file("version: 0.1\nstorage:\n  filesystem: [unclosed\n");

    List<String> problems = problems(() -> ConfigurationLoader.fromFile(file, Map.of()));

    assertThat(problems).singleElement().asString().contains("is not valid YAML: line ");
    assertThat(problems.get(0)).doesNotContain("\n");
  }

  @Test
  void fromFile_wrongTypes_oneProblemEachNamingFileAndKey() throws IOException {
    Path file =
        file(
            """
            version: 0.1
            log:
              level: loud
            storage:
              filesystem:
                rootdirectory: /srv
              delete:
                enabled: maybe
            http:
              draintimeout: 60
              addr: [":5000"]
            """);

    assertThat(problems(() -> ConfigurationLoader.fromFile(file, Map.of())))
        .containsExactly(
            file + ":3: log.level = loud: must be one of error, warn, info, debug",
            file + ":8: storage.delete.enabled = maybe: must be true or false",
            file
                + ":10: http.draintimeout = 60: must be a duration with a unit, such as 500ms,"
                + " 30s, 5m or 1h30m (a bare number has no unit)",
            file + ":11: http.addr: must be a single value, not a list");
  }

  @Test
  void fromFile_unknownKey_suggestsNearest() throws IOException {
    Path file =
        file("version: 0.1\nstorage:\n  s3:\n    bucket: b\n    region: r\n    acesskey: a\n");

    assertThat(problems(() -> ConfigurationLoader.fromFile(file, Map.of())))
        .contains(
            file
                + ":6: storage.s3.acesskey: is not a known setting; did you mean"
                + " storage.s3.accesskey?");
  }

  @Test
  void fromFile_missingVersionAndStorage_bothReported() throws IOException {
    Path file = file("http:\n  addr: :5000\n");

    assertThat(problems(() -> ConfigurationLoader.fromFile(file, Map.of())))
        .hasSize(2)
        .anyMatch(p -> p.startsWith("version: is required"))
        .anyMatch(p -> p.startsWith("storage: is required"));
  }

  @Test
  void fromFile_missingFile_oneProblem() {
    Path missing = dir.resolve("nope.yml");

    assertThat(problems(() -> ConfigurationLoader.fromFile(missing, Map.of())))
        .containsExactly(missing + ": the configuration file does not exist");
  }

  @Test
  void fromFile_notYetImplementedSections_warnWithoutFailing() throws IOException {
    Path file =
        file(
            """
            version: 0.1
            log:
              fields:
                service: registry
            storage:
              cache:
                blobdescriptor: inmemory
              filesystem:
                rootdirectory: /var/lib/registry
            http:
              addr: :5000
              secret: s
              headers:
                X-Content-Type-Options: [nosniff]
              http2:
                disabled: false
            health:
              storagedriver:
                enabled: true
                interval: 10s
                threshold: 3
            auth:
              htpasswd:
                realm: basic-realm
                path: /auth/htpasswd
            """);

    LoadedConfiguration loaded = ConfigurationLoader.fromFile(file, Map.of());

    // blobdescriptor: inmemory is accepted quietly: Berth caches nothing per process, on purpose.
    assertThat(loaded.configuration().cache()).isEqualTo(new CacheSettings.Off());
    assertThat(loaded.warnings())
        .hasSize(2)
        .anyMatch(w -> w.startsWith("http.headers"))
        .anyMatch(w -> w.startsWith("auth") && w.contains("refuses to start"));
    assertThat(loaded.configuration().health().storageDriver())
        .isEqualTo(new HealthSettings.StorageDriverCheck(true, Duration.ofSeconds(10), 3));
    assertThat(loaded.configuration().auth())
        .isEqualTo(new AuthSettings.Htpasswd("basic-realm", Path.of("/auth/htpasswd")));
  }

  @Test
  void fromFile_renamedKeysOf2xAnd3x_bothAccepted() throws IOException {
    Path file =
        file(
            """
            version: 0.1
            loglevel: debug
            storage:
              inmemory:
              cache:
                layerinfo: inmemory
            http:
              secret: s
            redis:
              addr: localhost:6379
              pool:
                maxidle: 16
            validation:
              enabled: true
            """);

    LoadedConfiguration loaded = ConfigurationLoader.fromFile(file, Map.of());

    assertThat(loaded.configuration().log().level()).isEqualTo("debug");
    assertThat(loaded.warnings()).anyMatch(w -> w.startsWith("loglevel is deprecated"));
  }

  @Test
  void fromFile_unsupportedDriver_isAProblem() throws IOException {
    Path file = file("version: 0.1\nstorage:\n  gcs:\n    bucket: b\n");

    assertThat(problems(() -> ConfigurationLoader.fromFile(file, Map.of())))
        .singleElement()
        .asString()
        .contains("the gcs storage driver is not supported by Berth");
  }

  @Test
  void fromFile_sameDriverChosenAgain_keepsItsSettings() throws IOException {
    Path file =
        file("version: 0.1\nstorage:\n  s3:\n    bucket: from-file\n    region: eu-west-1\n");

    Configuration config =
        ConfigurationLoader.fromFile(file, Map.of("REGISTRY_STORAGE", "S3")).configuration();

    assertThat(((StorageSettings.S3) config.storage().driver()).bucket()).isEqualTo("from-file");
  }

  @Test
  void fromFile_v4authFalse_isAProblem() throws IOException {
    Path file = file("version: 0.1\nstorage: {s3: {bucket: b, region: r, v4auth: false}}\n");

    assertThat(problems(() -> ConfigurationLoader.fromFile(file, Map.of())))
        .singleElement()
        .asString()
        .contains("storage.s3.v4auth = false: Berth signs every request");
  }

  @Test
  void withoutFile_badHostAndAddr_bothReported() {
    assertThatThrownBy(
            () ->
                ConfigurationLoader.withoutFile(
                    Map.of("REGISTRY_HTTP_ADDR", "5000", "REGISTRY_HTTP_HOST", "registry.local")))
        .isInstanceOf(ConfigurationException.class)
        .satisfies(
            e ->
                assertThat(((ConfigurationException) e).problems())
                    .extracting(Problem::toString)
                    .containsExactly(
                        "REGISTRY_HTTP_ADDR=5000: must be host:port or :port with a port from 0"
                            + " to 65535, e.g. :5000",
                        "REGISTRY_HTTP_HOST=registry.local: must be an absolute http or https"
                            + " URL such as https://registry.example.com"));
  }
}
