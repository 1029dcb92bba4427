package dev.berth.registry.redis;

import dev.berth.config.CacheSettings;
import dev.berth.testing.ChildProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.RedisClient;

/**
 * A real Redis for tests: Debian's {@code redis-server} started as a child process on 127.0.0.1 and
 * a free port, without persistence, stopped by {@link #close()} (also after a failed test). {@link
 * #stop()} and {@link #start()} take it away and bring it back on the same port mid-test.
 *
 * <pre>{@code
 * @RegisterExtension static final RedisServer redis = new RedisServer();
 * }</pre>
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private @Nullable Process process;
  private @Nullable Path log;
  private int port;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /**
   * Starts the server (on the port it had before, if it ran already) and waits until it answers.
   */
  public void start() throws IOException, InterruptedException {
    if (process != null) {
      return;
    }
    if (port == 0) {
      port = ChildProcesses.freePort();
    }
    log = Files.createTempFile("redis-server-", ".log");
    process =
        new ProcessBuilder(
                List.of(
                    "redis-server",
                    "--port",
                    Integer.toString(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    awaitListening();
  }

  /** {@code 127.0.0.1:port}, as {@code redis.addr} names it. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  /** Cache settings for this server: database 0, one-second timeouts, a small pool. */
  public CacheSettings.Redis settings() {
    Duration second = Duration.ofSeconds(1);
    return new CacheSettings.Redis(
        "127.0.0.1",
        port,
        null,
        null,
        0,
        second,
        second,
        second,
        8,
        8,
        Duration.ZERO,
        false,
        List.of());
  }

  /** A client for looking behind the registry (its keys); close it. */
  public RedisClient client() {
    return RedisClient.create("127.0.0.1", port);
  }

  /** Every key the server holds, sorted. */
  public List<String> keys() {
    try (RedisClient client = client()) {
      return List.copyOf(new TreeSet<>(client.keys("*")));
    }
  }

  /** Stops the server; {@link #start()} brings it back, empty, on the same port. */
  public void stop() {
    Process running = process;
    process = null;
    if (running == null) {
      return;
    }
    ChildProcesses.stop(running);
  }

  @Override
  public void close() {
    stop();
    if (log != null) {
      try {
        Files.deleteIfExists(log);
      } catch (IOException ignored) {
        // a temporary file left behind is harmless
      }
      log = null;
    }
  }

  private void awaitListening() throws IOException, InterruptedException {
    Process running = process;
    if (running != null && ChildProcesses.awaitListening(running, port, START_TIMEOUT)) {
      return;
    }
    String output = log != null && Files.exists(log) ? Files.readString(log) : "";
    close();
    throw new IllegalStateException(
        "redis-server did not start within " + START_TIMEOUT.toSeconds() + " s:\n" + output);
  }
}
