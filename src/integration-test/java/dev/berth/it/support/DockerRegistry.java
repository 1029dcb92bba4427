package dev.berth.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CNCF Distribution ({@code registry:2}, Debian's {@code docker-registry} package) serving a
 * filesystem root or an S3 bucket ({@link Storage}) on 127.0.0.1 and a free port, with deletes
 * enabled.
 */
public final class DockerRegistry implements AutoCloseable {
  private static final int START_ATTEMPTS = 3;

  private final BackgroundProcess process;
  private final int port;

  private DockerRegistry(BackgroundProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Writes a {@code config.yml} into {@code workDir}, starts {@code docker-registry serve} on it
   * and waits until {@code /v2/} answers.
   *
   * @param root the {@code storage.filesystem.rootdirectory}
   * @param workDir where the configuration and the process log go
   */
  public static DockerRegistry start(Path root, Path workDir)
      throws IOException, InterruptedException {
    return start(Storage.filesystem(root), workDir);
  }

  /**
   * Writes a {@code config.yml} for any storage into {@code workDir}, starts {@code docker-registry
   * serve} on it and waits until {@code /v2/} answers.
   */
  public static DockerRegistry start(Storage storage, Path workDir)
      throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    String lastOutput = "";
    // A free port can be taken between the probe and the bind: then try another one.
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int port = FreePort.find();
      Path config = workDir.resolve("config-" + attempt + ".yml");
      Files.writeString(config, config(storage, port));
      BackgroundProcess process =
          BackgroundProcess.start(
              workDir.resolve("registry-" + attempt + ".log"),
              // The Debian build reads AWS_CA_BUNDLE at start even with the filesystem driver, and
              // its S3 SDK refuses to start when the variable is set; an empty value unsets it.
              Map.of("AWS_CA_BUNDLE", "", "REGISTRY_HTTP_SECRET", "integration-test-secret"),
              List.of("docker-registry", "serve", config.toString()));
      String base = "http://127.0.0.1:" + port + "/v2/";
      boolean ready =
          Http.await(Duration.ofSeconds(20), () -> !process.isAlive() || Http.answers200(base));
      if (ready && process.isAlive()) {
        return new DockerRegistry(process, port);
      }
      lastOutput = process.output();
      process.close();
    }
    throw new AssertionError("docker-registry did not start; its last output:\n" + lastOutput);
  }

  private static String config(Storage storage, int port) {
    return String.join(
        "\n",
        "version: 0.1",
        "log:",
        "  level: warn",
        "  accesslog:",
        "    disabled: true",
        "storage:",
        storage.yaml() + "  delete:",
        "    enabled: true",
        "http:",
        "  addr: 127.0.0.1:" + port,
        "");
  }

  /**
   * Writes a minimal {@code config.yml} for a filesystem root, as {@code garbage-collect} reads it.
   *
   * @return the file
   */
  public static Path gcConfig(Path root, Path file) throws IOException {
    Files.writeString(
        file,
        "version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: "
            + root
            + "\n");
    return file;
  }

  /**
   * Runs {@code docker-registry garbage-collect [FLAGS] CONFIG} (bounded) and fails unless it exits
   * 0.
   */
  public static Processes.Result garbageCollect(Path config, String... flags)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("docker-registry", "garbage-collect"));
    command.addAll(List.of(flags));
    command.add(config.toString());
    // The Debian build reads AWS_CA_BUNDLE at start even with the filesystem driver.
    return Processes.run(Duration.ofSeconds(60), Map.of("AWS_CA_BUNDLE", ""), command)
        .requireSuccess();
  }

  /** The base URL, {@code http://127.0.0.1:port}. */
  public String url() {
    return "http://" + host();
  }

  /** The registry host as image references spell it. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  /** What the registry printed so far. */
  public String output() {
    return process.output();
  }

  /** Stops the process, bounded in time. */
  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
