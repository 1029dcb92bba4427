package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GarbageCollectCommandTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private Path config;

  @BeforeEach
  void writeConfig() throws IOException {
    config = dir.resolve("config.yml");
    // No log section: the command applies it to the JVM's logging, which other tests share.
    Files.writeString(
        config,
        "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: " + dir.resolve("store") + "\n");
  }

  private int run(String... args) {
    CommandLine commandLine = new CommandLine(new GarbageCollectCommand(Map.of(), path -> false));
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    return commandLine.execute(args);
  }

  /** Writes an unreferenced blob into the registry:2 layout, last modified {@code age} ago. */
  private Path orphan(String content, Duration age) throws IOException {
    Digest digest = Digest.sha256Of(content.getBytes(StandardCharsets.UTF_8));
    Path data =
        dir.resolve("store/docker/registry/v2/blobs/sha256")
            .resolve(digest.hex().substring(0, 2))
            .resolve(digest.hex())
            .resolve("data");
    Files.createDirectories(data.getParent());
    Files.writeString(data, content);
    Files.setLastModifiedTime(data, FileTime.from(Instant.now().minus(age)));
    return data;
  }

  @Test
  void garbageCollect_oldAndFreshOrphans_deletesOnlyTheOldOne() throws IOException {
    Path old = orphan("left over from a deleted image", Duration.ofDays(2));
    Path fresh = orphan("uploaded while the collection runs", Duration.ofMinutes(5));

    int status = run("--min-age", "1h", config.toString());

    assertThat(status).as(err::toString).isZero();
    assertThat(old.getParent()).doesNotExist();
    assertThat(fresh).exists();
    assertThat(out.toString().strip())
        .isEqualTo("deleted 1 of 2 blobs (30 bytes) and 0 of 0 manifests in 0 repositories");
  }

  @Test
  void garbageCollect_dryRun_deletesNothing() throws IOException {
    Path old = orphan("left over", Duration.ofDays(2));

    int status = run("-d", config.toString());

    assertThat(status).as(err::toString).isZero();
    assertThat(old).exists();
    assertThat(out.toString()).startsWith("would delete 1 of 1 blobs");
  }

  @Test
  void garbageCollect_badMinimumAge_saysHowToWriteIt() {
    int status = run("--min-age", "soon", config.toString());

    assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("'soon' is no duration; write it as 30m, 1h30m or 0");
  }
}
