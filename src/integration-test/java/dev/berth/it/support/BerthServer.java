package dev.berth.it.support;

import dev.berth.cli.ServeCommand;
import dev.berth.config.Configuration;
import dev.berth.config.ConfigurationLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A Berth registry for one test, serving a filesystem tree or an S3 bucket ({@link Storage}) on
 * 127.0.0.1 and a free port, with its configuration written as a registry:2 {@code config.yml}.
 *
 * <p>It runs {@code java -jar berth.jar serve config.yml} as a separate process when the system
 * property {@code berth.jar} names a built jar (as under {@code ./mvnw verify}), and inside the
 * test JVM otherwise (an IDE run without a package step). Tests see only {@link #url()}, {@link
 * #host()} and {@link #accessLog()}, the same in both modes.
 */
public final class BerthServer implements AutoCloseable {
  private static final int START_ATTEMPTS = 3;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final int port;
  private final @Nullable BackgroundProcess process;
  private final ServeCommand.@Nullable Running inJvm;
  private final @Nullable AccessLog capture;

  private BerthServer(
      int port,
      @Nullable BackgroundProcess process,
      ServeCommand.@Nullable Running inJvm,
      @Nullable AccessLog capture) {
    this.port = port;
    this.process = process;
    this.inJvm = inJvm;
    this.capture = capture;
  }

  /**
   * Starts Berth on a filesystem root and waits until {@code /v2/} answers.
   *
   * @param root the {@code storage.filesystem.rootdirectory}
   * @param deleteEnabled {@code storage.delete.enabled}
   */
  public static BerthServer start(Path root, boolean deleteEnabled) throws Exception {
    return start(
        Storage.filesystem(root),
        root.resolveSibling(root.getFileName() + "-berth"),
        deleteEnabled);
  }

  /**
   * Starts Berth on any storage and waits until {@code /v2/} answers.
   *
   * @param storage the storage section's driver
   * @param workDir where the configuration and the process log go
   * @param deleteEnabled {@code storage.delete.enabled}
   */
  public static BerthServer start(Storage storage, Path workDir, boolean deleteEnabled)
      throws Exception {
    Files.createDirectories(workDir);
    String jar = System.getProperty("berth.jar", "");
    if (!jar.isEmpty() && Files.isRegularFile(Path.of(jar))) {
      return startProcess(Path.of(jar), storage, deleteEnabled, workDir);
    }
    return startInJvm(storage, deleteEnabled, workDir);
  }

  private static BerthServer startProcess(
      Path jar, Storage storage, boolean deleteEnabled, Path workDir) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Map<String, String> environment = new HashMap<>();
    // Only the file configures the process: no REGISTRY_* variable of the machine leaks in.
    System.getenv().keySet().stream()
        .filter(name -> name.startsWith("REGISTRY_"))
        .forEach(name -> environment.put(name, ""));
    String lastOutput = "";
    // A free port can be taken between the probe and the bind: then try another one.
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int port = FreePort.find();
      Path config = workDir.resolve("config-" + attempt + ".yml");
      Files.writeString(config, config(storage, port, deleteEnabled));
      BackgroundProcess process =
          BackgroundProcess.start(
              workDir.resolve("berth-" + attempt + ".log"),
              environment,
              List.of(java, "-jar", jar.toString(), "serve", config.toString()));
      if (awaitReady(port, process)) {
        return new BerthServer(port, process, null, null);
      }
      lastOutput = process.output();
      process.close();
    }
    throw new AssertionError("berth.jar did not start; its last output:\n" + lastOutput);
  }

  private static BerthServer startInJvm(Storage storage, boolean deleteEnabled, Path workDir)
      throws Exception {
    Path config = workDir.resolve("config.yml");
    Files.writeString(config, config(storage, 0, deleteEnabled));
    Configuration configuration = ConfigurationLoader.fromFile(config, Map.of()).configuration();
    AccessLog capture = AccessLog.attach();
    try {
      ServeCommand.Running running = ServeCommand.start(configuration);
      BerthServer server = new BerthServer(running.server().port(), null, running, capture);
      if (!awaitReady(server.port, null)) {
        server.close();
        throw new AssertionError("Berth did not answer on " + server.url());
      }
      return server;
    } catch (Exception | AssertionError e) {
      capture.close();
      throw e;
    }
  }

  private static boolean awaitReady(int port, @Nullable BackgroundProcess process)
      throws InterruptedException {
    String base = "http://127.0.0.1:" + port + "/v2/";
    return Http.await(
            START_TIMEOUT, () -> (process != null && !process.isAlive()) || Http.answers200(base))
        && (process == null || process.isAlive());
  }

  private static String config(Storage storage, int port, boolean deleteEnabled) {
    return String.join(
        "\n",
        "version: 0.1",
        "log:",
        "  level: info",
        // JSON lines, so the test can read the access log back from the output.
        "  formatter: json",
        "storage:",
        storage.yaml() + "  delete:",
        "    enabled: " + deleteEnabled,
        "http:",
        "  addr: 127.0.0.1:" + port,
        "  secret: integration-test-secret",
        "  draintimeout: 2s",
        "");
  }

  /** The base URL, {@code http://127.0.0.1:port}. */
  public String url() {
    return "http://" + host();
  }

  /** The registry host as image references spell it, {@code 127.0.0.1:port}. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  /**
   * The requests this server has answered so far. A log line is written just after its response
   * went out, so this first sends a marker request and waits (bounded) until the marker shows up:
   * every request answered before the call is then in the list.
   */
  public List<AccessLog.Entry> accessLog() throws IOException, InterruptedException {
    String marker = "/v2/access-log-marker-" + UUID.randomUUID() + "/tags/list";
    Http.get(url() + marker, "");
    List<List<AccessLog.Entry>> latest = new ArrayList<>(List.of(List.of()));
    boolean seen =
        Http.await(
            Duration.ofSeconds(10),
            () -> {
              latest.set(0, readAccessLog());
              return latest.get(0).stream().anyMatch(entry -> entry.path().equals(marker));
            });
    if (!seen) {
      throw new AssertionError("the access log never showed " + marker + ":\n" + output());
    }
    return latest.get(0);
  }

  private List<AccessLog.Entry> readAccessLog() {
    if (process != null) {
      try {
        return AccessLog.parse(process.output());
      } catch (IOException e) {
        throw new UncheckedIOException("failed to parse Berth's output", e);
      }
    }
    return capture == null ? List.of() : capture.entries();
  }

  /** What the server process printed so far (empty in the test JVM's own mode). */
  public String output() {
    return process == null ? "" : process.output();
  }

  /** Stops the server, bounded in time. */
  @Override
  public void close() throws InterruptedException {
    try {
      if (process != null) {
        process.close();
      }
      if (inJvm != null) {
        inJvm.close();
      }
    } finally {
      if (capture != null) {
        capture.close();
      }
    }
  }
}
