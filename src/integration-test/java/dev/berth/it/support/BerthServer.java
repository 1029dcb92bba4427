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
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A Berth registry for one test, serving a filesystem tree on 127.0.0.1 and a free port, with its
 * configuration written as a registry:2 {@code config.yml}.
 *
 * <p>It runs {@code java -jar berth.jar serve config.yml} as a separate process when the system
 * property {@code berth.jar} names a built jar (as under {@code ./mvnw verify}), and inside the
 * test JVM otherwise (an IDE run without a package step). Tests see only {@link #url()}, {@link
 * #host()}, {@link #root()} and {@link #accessLog()}, the same in both modes.
 */
public final class BerthServer implements AutoCloseable {
  private static final int START_ATTEMPTS = 3;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final AtomicInteger STARTS = new AtomicInteger();

  private final Path root;
  private final int port;
  private final @Nullable BackgroundProcess process;
  private final ServeCommand.@Nullable Running inJvm;
  private final @Nullable AccessLog capture;

  private BerthServer(
      Path root,
      int port,
      @Nullable BackgroundProcess process,
      ServeCommand.@Nullable Running inJvm,
      @Nullable AccessLog capture) {
    this.root = root;
    this.port = port;
    this.process = process;
    this.inJvm = inJvm;
    this.capture = capture;
  }

  /**
   * How to run one Berth process.
   *
   * @param storage the {@code storage} section's driver lines, indented by four spaces under {@code
   *     storage:} (for example {@code " filesystem:\n rootdirectory: /x"})
   * @param deleteEnabled {@code storage.delete.enabled}
   * @param secret {@code http.secret}
   * @param port the port to bind, or 0 for a free one
   * @param jvmOptions options for the {@code java} command, such as {@code -Xmx128m}
   * @param drainTimeout {@code http.draintimeout}, such as {@code 2s}
   * @param topLevel more top-level sections of the configuration (such as {@code redis:}), each
   *     line ending in a newline; empty for none
   */
  public record Options(
      String storage,
      boolean deleteEnabled,
      String secret,
      int port,
      List<String> jvmOptions,
      String drainTimeout,
      String topLevel) {
    /** Options without further top-level sections. */
    public Options(
        String storage,
        boolean deleteEnabled,
        String secret,
        int port,
        List<String> jvmOptions,
        String drainTimeout) {
      this(storage, deleteEnabled, secret, port, jvmOptions, drainTimeout, "");
    }

    /** A filesystem root with the default secret on a free port. */
    public static Options filesystem(Path root, boolean deleteEnabled) {
      return new Options(
          "  filesystem:\n    rootdirectory: " + root, deleteEnabled, SECRET, 0, List.of(), "2s");
    }

    /** The same options on a fixed port (to restart a replica where a load balancer expects it). */
    public Options onPort(int fixedPort) {
      return new Options(
          storage, deleteEnabled, secret, fixedPort, jvmOptions, drainTimeout, topLevel);
    }

    /** The same options with another {@code http.secret}. */
    public Options withSecret(String otherSecret) {
      return new Options(
          storage, deleteEnabled, otherSecret, port, jvmOptions, drainTimeout, topLevel);
    }
  }

  /** The {@code http.secret} every test server shares unless told otherwise. */
  public static final String SECRET = "integration-test-secret";

  /**
   * Starts Berth on a filesystem root and waits until {@code /v2/} answers.
   *
   * @param root the {@code storage.filesystem.rootdirectory}
   * @param deleteEnabled {@code storage.delete.enabled}
   */
  public static BerthServer start(Path root, boolean deleteEnabled) throws Exception {
    Path workDir = Files.createDirectories(root.resolveSibling(root.getFileName() + "-berth"));
    Options options = Options.filesystem(root, deleteEnabled);
    String jar = System.getProperty("berth.jar", "");
    if (!jar.isEmpty() && Files.isRegularFile(Path.of(jar))) {
      return startProcess(Path.of(jar), root, options, workDir);
    }
    return startInJvm(root, options, workDir);
  }

  /**
   * Starts Berth on any storage, written as in registry:2's file ({@link Storage}), and waits until
   * {@code /v2/} answers; {@link #root()} is then the work directory.
   *
   * @param storage the storage section's driver
   * @param workDir where the configuration and the process log go
   * @param deleteEnabled {@code storage.delete.enabled}
   */
  public static BerthServer start(Storage storage, Path workDir, boolean deleteEnabled)
      throws Exception {
    Files.createDirectories(workDir);
    Options options =
        new Options(storage.yaml().stripTrailing(), deleteEnabled, SECRET, 0, List.of(), "2s");
    String jar = System.getProperty("berth.jar", "");
    if (!jar.isEmpty() && Files.isRegularFile(Path.of(jar))) {
      return startProcess(Path.of(jar), workDir, options, workDir);
    }
    return startInJvm(workDir, options, workDir);
  }

  /**
   * Starts {@code java -jar berth.jar serve} as a process, which a test may also {@link #kill()} or
   * {@link #terminate()}; needs the {@code berth.jar} system property (set by failsafe).
   *
   * @param workDir where the configuration and the log go
   * @param options the storage and settings
   */
  public static BerthServer startProcess(Path workDir, Options options) throws Exception {
    return startProcess(workDir, options, Map.of());
  }

  /**
   * Like {@link #startProcess(Path, Options)}, with environment variables for the process, such as
   * the AWS SDK's credential sources.
   *
   * @param environment variables to set; an empty value removes the variable
   */
  public static BerthServer startProcess(
      Path workDir, Options options, Map<String, String> environment) throws Exception {
    return startProcess(
        requireJar(), workDir, options, Files.createDirectories(workDir), environment);
  }

  /**
   * Runs {@code java -jar berth.jar serve} as a process that is expected to fail at start-up, and
   * waits (bounded) until it exits.
   *
   * @param environment variables to set; an empty value removes the variable
   * @return the exit status and what the process printed
   */
  public static Processes.Result serveExpectingFailure(
      Path workDir, Options options, Map<String, String> environment, Duration timeout)
      throws Exception {
    Files.createDirectories(workDir);
    Path config = workDir.resolve("config-failing-" + STARTS.incrementAndGet() + ".yml");
    Files.writeString(config, config(options, FreePort.find()));
    List<String> command = new ArrayList<>(List.of(javaCommand()));
    command.addAll(options.jvmOptions());
    command.addAll(List.of("-jar", requireJar().toString(), "serve", config.toString()));
    return Processes.run(timeout, processEnvironment(environment), command);
  }

  private static Path requireJar() {
    String jar = System.getProperty("berth.jar", "");
    if (jar.isEmpty() || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException(
          "the berth.jar system property must name the packaged jar (run ./mvnw verify): " + jar);
    }
    return Path.of(jar);
  }

  /** The java launcher of the JVM that runs the tests. */
  public static String javaCommand() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * The environment for a Berth process: no REGISTRY_* variable of the machine leaks in, so that
   * only the file configures it; {@code extra} is added.
   */
  public static Map<String, String> processEnvironment(Map<String, String> extra) {
    Map<String, String> environment = new HashMap<>();
    System.getenv().keySet().stream()
        .filter(name -> name.startsWith("REGISTRY_"))
        .forEach(name -> environment.put(name, ""));
    environment.putAll(extra);
    return environment;
  }

  private static BerthServer startProcess(Path jar, Path root, Options options, Path workDir)
      throws Exception {
    return startProcess(jar, root, options, workDir, Map.of());
  }

  private static BerthServer startProcess(
      Path jar, Path root, Options options, Path workDir, Map<String, String> extraEnvironment)
      throws Exception {
    String java = javaCommand();
    Map<String, String> environment = processEnvironment(extraEnvironment);
    String lastOutput = "";
    // A free port can be taken between the probe and the bind: then try another one. A fixed
    // port is retried as it is, after the previous process released it.
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int port = options.port() == 0 ? FreePort.find() : options.port();
      String name = "-" + port + "-" + STARTS.incrementAndGet();
      Path config = workDir.resolve("config" + name + ".yml");
      Files.writeString(config, config(options, port));
      List<String> command = new ArrayList<>(List.of(java));
      command.addAll(options.jvmOptions());
      command.addAll(List.of("-jar", jar.toString(), "serve", config.toString()));
      BackgroundProcess process =
          BackgroundProcess.start(workDir.resolve("berth" + name + ".log"), environment, command);
      if (awaitReady(port, process)) {
        return new BerthServer(root, port, process, null, null);
      }
      lastOutput = process.output();
      process.close();
    }
    throw new AssertionError("berth.jar did not start; its last output:\n" + lastOutput);
  }

  private static BerthServer startInJvm(Path root, Options options, Path workDir) throws Exception {
    Path config = workDir.resolve("config.yml");
    Files.writeString(config, config(options, 0));
    Configuration configuration = ConfigurationLoader.fromFile(config, Map.of()).configuration();
    AccessLog capture = AccessLog.attach();
    try {
      ServeCommand.Running running = ServeCommand.start(configuration);
      BerthServer server = new BerthServer(root, running.server().port(), null, running, capture);
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

  private static String config(Options options, int port) {
    return String.join(
        "\n",
        "version: 0.1",
        "log:",
        "  level: info",
        // JSON lines, so the test can read the access log back from the output.
        "  formatter: json",
        "storage:",
        options.storage(),
        "  delete:",
        "    enabled: " + options.deleteEnabled(),
        "http:",
        "  addr: 127.0.0.1:" + port,
        "  secret: " + options.secret(),
        "  draintimeout: " + options.drainTimeout(),
        options.topLevel());
  }

  /** The base URL, {@code http://127.0.0.1:port}. */
  public String url() {
    return "http://" + host();
  }

  /** The registry host as image references spell it, {@code 127.0.0.1:port}. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  /** The filesystem root Berth serves. */
  public Path root() {
    return root;
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

  /** The port it listens on. */
  public int port() {
    return port;
  }

  /** Sends SIGTERM and returns at once: the server drains in the background, then exits. */
  public void terminate() {
    requireProcess().terminate();
  }

  /** Sends SIGKILL and waits until the process is gone. */
  public void kill() throws InterruptedException {
    requireProcess().killForcibly();
  }

  /** Waits (bounded) for the process to end; empty when it still runs. */
  public OptionalInt awaitExit(Duration timeout) throws InterruptedException {
    return requireProcess().awaitExit(timeout);
  }

  /** Whether the server process still runs. */
  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  private BackgroundProcess requireProcess() {
    if (process == null) {
      throw new IllegalStateException("only a server started as a process can be signalled");
    }
    return process;
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
