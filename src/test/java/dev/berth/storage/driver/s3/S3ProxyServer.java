package dev.berth.storage.driver.s3;

import dev.berth.config.StorageSettings;
import dev.berth.testing.ChildProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests: S3Proxy ({@code org.gaul:s3proxy}, its self-contained jar copied to
 * {@code target/s3proxy/s3proxy.jar} by the build) started as a separate {@code java -jar} process
 * on 127.0.0.1 and a free port, with SigV4 authentication and path-style addressing.
 *
 * <p>Use it as a JUnit extension, one server per test class (S3Proxy takes seconds to start):
 *
 * <pre>{@code
 * @RegisterExtension static final S3ProxyServer s3 = S3ProxyServer.filesystem();
 * ...
 * s3.createBucket("registry");
 * S3Driver driver = S3Driver.create(s3.settings("registry", "/root"));
 * }</pre>
 *
 * <p>Integration tests in {@code src/integration-test/java} may also {@link #start()} and {@link
 * #close()} it themselves. The jar's location is the {@code s3proxy.jar} system property, which
 * surefire and failsafe set, or {@code target/s3proxy/s3proxy.jar}. The process (and any child) is
 * destroyed on {@link #close()}, also when a test failed; its data lives in a temporary directory
 * that is removed with it.
 *
 * <p>The {@code filesystem} backend refuses server-side encryption (501), so encryption tests use
 * {@link #transientStore()}, which keeps objects in S3Proxy's memory.
 */
public final class S3ProxyServer implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

  /** The access key the server accepts. */
  public static final String ACCESS_KEY = "berth-test-access";

  /** The secret key the server accepts. */
  public static final String SECRET_KEY = "berth-test-secret-0123456789";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final String backend;
  private @Nullable Process process;
  private @Nullable Path directory;
  private int port;

  private S3ProxyServer(String backend) {
    this.backend = backend;
  }

  /** A server that stores objects in a temporary directory. */
  public static S3ProxyServer filesystem() {
    return new S3ProxyServer("filesystem");
  }

  /** A server that stores objects in its memory; it accepts server-side encryption headers. */
  public static S3ProxyServer transientStore() {
    return new S3ProxyServer("transient");
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
   * Starts the server and waits (at most a minute) until it answers.
   *
   * @throws IllegalStateException when it does not come up; its output is in the message
   */
  public void start() throws IOException, InterruptedException {
    directory = Files.createTempDirectory("s3proxy-");
    Path data = Files.createDirectories(directory.resolve("data"));
    port = ChildProcesses.freePort();
    Properties properties = new Properties();
    properties.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
    properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
    properties.setProperty("s3proxy.identity", ACCESS_KEY);
    properties.setProperty("s3proxy.credential", SECRET_KEY);
    properties.setProperty("jclouds.provider", backend);
    properties.setProperty("jclouds.identity", ACCESS_KEY);
    properties.setProperty("jclouds.credential", SECRET_KEY);
    properties.setProperty("jclouds.filesystem.basedir", data.toString());
    Path config = directory.resolve("s3proxy.properties");
    try (Writer out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
      properties.store(out, "S3Proxy for Berth's tests");
    }
    Path log = directory.resolve("s3proxy.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx256m",
                    "-XX:TieredStopAtLevel=1",
                    "-jar",
                    jar().toString(),
                    "--properties",
                    config.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    awaitListening(log);
  }

  /** The endpoint URL, such as {@code http://127.0.0.1:34567}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** A plain SDK client for the server, for test setup and for looking behind the driver. */
  public S3Client client() {
    return S3Client.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
  }

  /** Creates a bucket. */
  public void createBucket(String bucket) {
    try (S3Client client = client()) {
      client.createBucket(b -> b.bucket(bucket));
    }
  }

  /**
   * Driver settings for this server with registry:2's defaults: SigV4, path-style, the test keys.
   */
  public StorageSettings.S3 settings(String bucket, String rootDirectory) {
    return S3Settings.forEndpoint(
        endpoint().toString(), bucket, rootDirectory, ACCESS_KEY, SECRET_KEY);
  }

  /**
   * Like {@link #settings}, with {@code loglevel: debug}: the driver logs every S3 request (its
   * operation and status) through {@code S3RequestLogger}, for tests that count requests.
   */
  public StorageSettings.S3 loggingSettings(String bucket, String rootDirectory) {
    return S3Settings.withLogLevel(settings(bucket, rootDirectory), "debug");
  }

  /** Stops the server and its children and removes its data. */
  @Override
  public void close() {
    Process running = process;
    process = null;
    if (running != null) {
      ChildProcesses.stop(running);
    }
    if (directory != null) {
      deleteTree(directory);
      directory = null;
    }
  }

  private void awaitListening(Path log) throws IOException, InterruptedException {
    Process running = process;
    if (running != null && ChildProcesses.awaitListening(running, port, START_TIMEOUT)) {
      return;
    }
    String output = Files.exists(log) ? Files.readString(log) : "";
    close();
    throw new IllegalStateException(
        "S3Proxy did not start within " + START_TIMEOUT.toSeconds() + " s:\n" + output);
  }

  private static Path jar() {
    Path jar = Path.of(System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: run the build's generate-test-resources phase to copy S3Proxy");
    }
    return jar;
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(S3ProxyServer::deleteQuietly);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // A leftover in the temporary directory does no harm.
    }
  }
}
