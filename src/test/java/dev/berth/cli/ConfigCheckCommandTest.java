package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.SeedManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigCheckCommandTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> environment, String... args) {
    CommandLine commandLine = new CommandLine(new ConfigCheckCommand(environment, path -> false));
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    return commandLine.execute(args);
  }

  @Test
  void check_seedManifestVariables_printsOriginsAndRedactsSecrets() {
    int status =
        run(
            Map.of(
                "REGISTRY_STORAGE", "S3",
                "REGISTRY_STORAGE_S3_BUCKET", "b",
                "REGISTRY_STORAGE_S3_REGION", "us-east-1",
                "REGISTRY_STORAGE_S3_SECRETKEY", "topsecret",
                "REGISTRY_STORAGE_S3_ACCESSKEY", "AKIA",
                "REGISTRY_HTTP_SECRET", "alsosecret"));

    assertThat(status).isZero();
    assertThat(out.toString())
        .contains("# configuration: built-in (no file found)")
        .containsPattern("storage\\.s3\\.bucket +b  # REGISTRY_STORAGE_S3_BUCKET")
        .containsPattern("storage\\.s3\\.chunksize +10485760  # default")
        .containsPattern("http\\.addr +:5000  # built-in")
        .doesNotContain("topsecret", "alsosecret");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void check_exactSeedManifestVariables_showsRegistryTwosEffectiveValues() {
    int status = run(SeedManifest.variables());

    assertThat(status).as(err.toString()).isZero();
    assertThat(err.toString()).as("no warnings: the manifest sets http.secret").isEmpty();
    Map<String, String> printed = printed();
    // Every variable of the manifest, with the value registry:2 uses and the variable as origin.
    assertThat(printed)
        .containsEntry("http.addr", ":5000  # REGISTRY_HTTP_ADDR")
        .containsEntry("http.secret", "<redacted>  # REGISTRY_HTTP_SECRET")
        .containsEntry("storage.s3.accesskey", "AKIAEXAMPLE  # REGISTRY_STORAGE_S3_ACCESSKEY")
        .containsEntry("storage.s3.secretkey", "<redacted>  # REGISTRY_STORAGE_S3_SECRETKEY")
        .containsEntry("storage.s3.region", "us-east-1  # REGISTRY_STORAGE_S3_REGION")
        .containsEntry("storage.s3.bucket", "registry-bucket  # REGISTRY_STORAGE_S3_BUCKET")
        .containsEntry("storage.s3.encrypt", "true  # REGISTRY_STORAGE_S3_ENCRYPT")
        .containsEntry("storage.s3.secure", "true  # REGISTRY_STORAGE_S3_SECURE")
        .containsEntry("storage.s3.v4auth", "true  # REGISTRY_STORAGE_S3_V4AUTH")
        .containsEntry("storage.s3.chunksize", "5242880  # REGISTRY_STORAGE_S3_CHUNKSIZE");
    // What the manifest leaves out takes registry:2's documented defaults.
    assertThat(printed)
        .containsEntry("storage.s3.forcepathstyle", "false  # default")
        .containsEntry("storage.s3.multipartcopychunksize", "33554432  # default")
        .containsEntry("storage.s3.multipartcopythresholdsize", "33554432  # default")
        .containsEntry("storage.s3.multipartcopymaxconcurrency", "100  # default")
        .containsEntry("storage.s3.storageclass", "STANDARD  # default")
        .containsEntry("storage.s3.objectacl", "private  # default")
        .containsEntry("storage.delete.enabled", "false  # default")
        .containsEntry("storage.redirect.disable", "false  # default")
        .containsEntry("storage.maintenance.uploadpurging.enabled", "true  # default")
        .containsEntry("storage.maintenance.uploadpurging.age", "168h  # default")
        .containsEntry("storage.maintenance.readonly.enabled", "false  # default")
        .containsEntry("log.level", "info  # default");
    // REGISTRY_STORAGE=S3 replaced the built-in filesystem driver instead of adding a second one.
    assertThat(printed.keySet()).noneMatch(key -> key.startsWith("storage.filesystem"));
    assertThat(printed.values())
        .noneMatch(
            value ->
                value.startsWith(SeedManifest.SECRET_KEY + " ")
                    || value.startsWith(SeedManifest.HTTP_SECRET + " "));
  }

  /** The printed settings: key to the rest of the line, value and origin, spacing collapsed. */
  private Map<String, String> printed() {
    Map<String, String> settings = new java.util.LinkedHashMap<>();
    out.toString()
        .lines()
        .filter(line -> !line.startsWith("#"))
        .forEach(
            line -> {
              String[] parts = line.split(" +", 2);
              settings.put(parts[0], parts.length > 1 ? parts[1] : "");
            });
    return settings;
  }

  @Test
  void check_invalidFile_exitsOneWithOneLinePerProblem() throws IOException {
    Path file = dir.resolve("config.yml");
    Files.writeString(file, "version: 0.1\nstorage:\n  s3:\n    chunksize: 10\n");

    int status = run(Map.of("REGISTRY_HTTP_DRAINTIMEOUT", "soon"), file.toString());

    assertThat(status).isEqualTo(ConfigCheckCommand.INVALID);
    assertThat(err.toString().lines().filter(l -> l.startsWith("  error: ")))
        .containsExactly(
            "  error: "
                + file
                + ":4: storage.s3.chunksize = 10: must be between 5242880 and"
                + " 5368709120 bytes",
            "  error: REGISTRY_HTTP_DRAINTIMEOUT=soon: must be a duration with a unit, such as"
                + " 500ms, 30s, 5m or 1h30m",
            "  error: storage.s3.bucket: is required: the bucket to store the registry in; set it"
                + " in the file or with REGISTRY_STORAGE_S3_BUCKET",
            "  error: storage.s3.region: is required: the bucket's AWS region (or set"
                + " regionendpoint for other stores); set it in the file or with"
                + " REGISTRY_STORAGE_S3_REGION");
    assertThat(err.toString()).doesNotContain("Exception", "\tat ");
  }

  @Test
  void check_fileFromVariable_isLoaded() throws IOException {
    Path file = dir.resolve("registry.yml");
    Files.writeString(file, "version: 0.1\nstorage: inmemory\nhttp: {addr: ':6000'}\n");

    int status = run(Map.of("REGISTRY_CONFIGURATION_PATH", file.toString()));

    assertThat(status).isZero();
    assertThat(out.toString())
        .contains("# configuration: " + file)
        .containsPattern("http\\.addr +:6000  # " + Pattern.quote(file + ":3"));
  }

  private static final class Pattern {
    static String quote(String text) {
      return java.util.regex.Pattern.quote(text);
    }
  }
}
