package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
