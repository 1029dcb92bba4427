package dev.berth.it.support;

import dev.berth.cli.ServeCommand;
import dev.berth.config.Configuration;
import dev.berth.config.HttpSettings;
import dev.berth.config.StorageSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Berth registry for one test, serving a filesystem tree on 127.0.0.1 and a free port.
 *
 * <p>It runs inside the test JVM through {@link ServeCommand#start(Configuration)} for now.
 * Everything a test sees goes through {@link #url()}, {@link #host()}, {@link #root()} and {@link
 * #accessLog()}, so running {@code berth.jar} as a separate process instead only changes this
 * class.
 */
public final class BerthServer implements AutoCloseable {
  private final ServeCommand.Running running;
  private final Path root;
  private final AccessLog accessLog;

  private BerthServer(ServeCommand.Running running, Path root, AccessLog accessLog) {
    this.running = running;
    this.root = root;
    this.accessLog = accessLog;
  }

  /**
   * Starts Berth on a filesystem root.
   *
   * @param root the {@code storage.filesystem.rootdirectory}
   * @param deleteEnabled {@code storage.delete.enabled}
   */
  public static BerthServer start(Path root, boolean deleteEnabled) throws Exception {
    Configuration defaults = Configuration.defaults();
    Configuration configuration =
        new Configuration(
            "0.1",
            new Configuration.LogSettings("info", "text", Map.of(), false),
            new StorageSettings(new StorageSettings.Filesystem(root), deleteEnabled, false, false),
            new HttpSettings(
                "127.0.0.1:0", null, "integration-test-secret", false, Duration.ofSeconds(2)),
            defaults.catalog());
    AccessLog accessLog = AccessLog.attach();
    try {
      BerthServer server = new BerthServer(ServeCommand.start(configuration), root, accessLog);
      String base = server.url() + "/v2/";
      if (!Http.await(Duration.ofSeconds(20), () -> Http.answers200(base))) {
        server.close();
        throw new AssertionError("Berth did not answer on " + base);
      }
      return server;
    } catch (Exception | AssertionError e) {
      accessLog.close();
      throw e;
    }
  }

  /** The base URL, {@code http://127.0.0.1:port}. */
  public String url() {
    return "http://" + host();
  }

  /** The registry host as image references spell it, {@code 127.0.0.1:port}. */
  public String host() {
    return "127.0.0.1:" + running.server().port();
  }

  /** The filesystem root Berth serves. */
  public Path root() {
    return root;
  }

  /** The requests this server has answered so far. */
  public List<AccessLog.Entry> accessLog() {
    return accessLog.entries();
  }

  /** Stops the server and detaches the access-log capture. */
  @Override
  public void close() {
    try {
      running.close();
    } finally {
      accessLog.close();
    }
  }
}
