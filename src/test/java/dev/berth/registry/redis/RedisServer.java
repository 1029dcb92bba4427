package dev.berth.registry.redis;

import dev.berth.config.CacheSettings;
import dev.berth.testing.ChildProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
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

  private final boolean tls;
  private @Nullable Process process;
  private @Nullable Path log;
  private @Nullable Path certificates;
  private int port;

  /** A server that speaks plain TCP. */
  public RedisServer() {
    this(false);
  }

  private RedisServer(boolean tls) {
    this.tls = tls;
  }

  /**
   * A server that speaks only TLS, with a certificate for 127.0.0.1 signed by a CA made for it with
   * {@code openssl} ({@link #caFile()}); clients need no certificate.
   */
  public static RedisServer withTls() {
    return new RedisServer(true);
  }

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
    List<String> command =
        new ArrayList<>(
            List.of("redis-server", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
    if (tls) {
      Path dir = certificates();
      command.addAll(
          List.of(
              "--port",
              "0",
              "--tls-port",
              Integer.toString(port),
              "--tls-cert-file",
              dir.resolve("server.pem").toString(),
              "--tls-key-file",
              dir.resolve("server.key").toString(),
              "--tls-ca-cert-file",
              dir.resolve("ca.pem").toString(),
              "--tls-auth-clients",
              "no"));
    } else {
      command.addAll(List.of("--port", Integer.toString(port)));
    }
    process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    awaitListening();
  }

  /** The PEM file of the CA that signed a TLS server's certificate. */
  public Path caFile() throws IOException, InterruptedException {
    return certificates().resolve("ca.pem");
  }

  private Path certificates() throws IOException, InterruptedException {
    if (certificates != null) {
      return certificates;
    }
    Path dir = Files.createTempDirectory("redis-tls-");
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=berth test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem");
    openssl(
        dir,
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "server.key",
        "-out",
        "server.csr");
    openssl(
        dir,
        "x509",
        "-req",
        "-days",
        "2",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-extfile",
        "san.ext",
        "-out",
        "server.pem");
    certificates = dir;
    return dir;
  }

  private static void openssl(Path dir, String... arguments)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(arguments));
    Process openssl =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("openssl.log").toFile())
            .start();
    if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
      openssl.destroyForcibly();
      throw new IllegalStateException(
          "openssl "
              + String.join(" ", arguments)
              + " failed:\n"
              + Files.readString(dir.resolve("openssl.log")));
    }
  }

  /** {@code 127.0.0.1:port}, as {@code redis.addr} names it. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  /** Cache settings for this server: database 0, one-second timeouts, a small pool. */
  public CacheSettings.Redis settings() {
    return settings(false, List.of());
  }

  /** {@link #settings()} with TLS on, trusting {@code clientCas} (empty: the JVM's CAs). */
  public CacheSettings.Redis tlsSettings(List<String> clientCas) {
    return settings(true, clientCas);
  }

  private CacheSettings.Redis settings(boolean withTls, List<String> clientCas) {
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
        withTls,
        clientCas);
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
    if (certificates != null) {
      try (var files = Files.list(certificates)) {
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
        Files.deleteIfExists(certificates);
      } catch (IOException ignored) {
        // a temporary directory left behind is harmless
      }
      certificates = null;
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
