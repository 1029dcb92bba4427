package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cli.ServeCommand;
import dev.berth.config.AuthSettings;
import dev.berth.config.CacheSettings;
import dev.berth.config.Configuration;
import dev.berth.config.HealthSettings;
import dev.berth.config.HttpSettings;
import dev.berth.config.StorageSettings;
import dev.berth.it.support.ReplicaCluster;
import dev.berth.storage.driver.s3.S3ProxyServer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Berth server on a free loopback port for the HTTP API tests, with a small client that
 * speaks the distribution API and asserts its error bodies.
 *
 * <p>The system property {@code berth.api.target} picks the storage that {@link #inMemory} gives
 * the suite: absent or {@code inmemory} for the in-memory driver, {@code s3} for an S3 bucket on an
 * S3Proxy process that this class starts and {@link #close()} stops. The build's second surefire
 * execution runs the suite with {@code s3}.
 */
final class TestRegistry implements AutoCloseable {
  /** The system property that picks the storage the suite runs on. */
  static final String TARGET_PROPERTY = "berth.api.target";

  static final ObjectMapper JSON = new ObjectMapper();

  /** A bound against hangs, not a speed check: S3 on a busy two-core machine takes seconds. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  /**
   * The error codes of the spec's table plus the ones registry:2 adds for ranges, paging and a
   * store that is unavailable.
   */
  static final Set<String> SPEC_CODES =
      Set.of(
          "BLOB_UNKNOWN",
          "BLOB_UPLOAD_INVALID",
          "BLOB_UPLOAD_UNKNOWN",
          "DIGEST_INVALID",
          "MANIFEST_BLOB_UNKNOWN",
          "MANIFEST_INVALID",
          "MANIFEST_UNKNOWN",
          "NAME_INVALID",
          "NAME_UNKNOWN",
          "SIZE_INVALID",
          "TAG_INVALID",
          "UNAUTHORIZED",
          "DENIED",
          "UNSUPPORTED",
          "TOOMANYREQUESTS",
          "UNAVAILABLE",
          "RANGE_INVALID",
          "PAGINATION_NUMBER_INVALID");

  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  static final String EMPTY_CONFIG = "application/vnd.oci.empty.v1+json";

  /** The bucket that {@link #s3} creates, and the root directory the registry uses in it. */
  static final String S3_BUCKET = "berth-api";

  static final String S3_ROOT = "/api";

  private final AutoCloseable running;
  private final int port;
  private final @Nullable S3ProxyServer s3;
  private final HttpClient client;
  private final URI base;

  private TestRegistry(ServeCommand.Running running, @Nullable S3ProxyServer s3) {
    this(running, running.server().port(), s3);
  }

  private TestRegistry(AutoCloseable running, int port, @Nullable S3ProxyServer s3) {
    this.running = running;
    this.port = port;
    this.s3 = s3;
    this.base = URI.create("http://127.0.0.1:" + port);
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** The value of {@code berth.api.target}, lower case; {@code inmemory} when it is not set. */
  static String target() {
    String target = System.getProperty(TARGET_PROPERTY, "").strip().toLowerCase(Locale.ROOT);
    return target.isEmpty() ? "inmemory" : target;
  }

  /**
   * Starts the registry under test as {@link #target()} says: one server in this JVM over the
   * in-memory driver ({@code inmemory}) or over an S3 bucket with redirects disabled, so that the
   * registry serves every blob itself ({@code s3}); or three {@code berth.jar} processes on one S3
   * bucket behind HAProxy, the client talking to HAProxy ({@code replicas}).
   */
  static TestRegistry inMemory(boolean deleteEnabled) {
    return switch (target()) {
      case "inmemory" -> start(new StorageSettings.InMemory(), deleteEnabled, true, null);
      case "s3" -> s3(deleteEnabled, true, server -> server.settings(S3_BUCKET, S3_ROOT));
      case "replicas" -> replicas(deleteEnabled);
      default ->
          throw new IllegalStateException(
              TARGET_PROPERTY + "=" + target() + " is not a storage the API suite knows");
    };
  }

  /** Skips the calling test against replicas behind HAProxy, stating why. */
  static void assumeDirect(String why) {
    Assumptions.assumeFalse(target().equals("replicas"), "skipped behind HAProxy: " + why);
  }

  private static TestRegistry replicas(boolean deleteEnabled) {
    try {
      Path dir = Files.createTempDirectory("berth-api-replicas-");
      ReplicaCluster cluster = ReplicaCluster.start(dir, 3, deleteEnabled);
      AutoCloseable stop =
          () -> {
            cluster.close();
            // The replicas' logs and configurations go with them.
            try (Stream<Path> paths = Files.walk(dir)) {
              paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
          };
      return new TestRegistry(stop, cluster.haProxy().port(), null);
    } catch (Exception e) {
      throw new IllegalStateException("failed to start the replicas under test", e);
    }
  }

  /** Starts a registry over the filesystem driver rooted at the directory. */
  static TestRegistry filesystem(Path root, boolean deleteEnabled) {
    return start(new StorageSettings.Filesystem(root), deleteEnabled, true, null);
  }

  /**
   * Starts a registry over the s3 driver, on a bucket of an S3Proxy process of its own (SigV4,
   * path-style, filesystem backend) that {@link #close()} stops.
   *
   * @param redirectDisabled {@code storage.redirect.disable}: false to answer blob GETs with 307 to
   *     a presigned URL
   * @param settings the driver settings for the started server and {@link #S3_BUCKET}
   */
  static TestRegistry s3(
      boolean deleteEnabled,
      boolean redirectDisabled,
      Function<S3ProxyServer, StorageSettings.S3> settings) {
    S3ProxyServer server = S3ProxyServer.filesystem();
    try {
      server.start();
      server.createBucket(S3_BUCKET);
      return start(settings.apply(server), deleteEnabled, redirectDisabled, server);
    } catch (IOException | RuntimeException e) {
      server.close();
      throw new IllegalStateException("failed to start the registry under test on S3Proxy", e);
    } catch (InterruptedException e) {
      server.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static TestRegistry start(
      StorageSettings.Driver driver,
      boolean deleteEnabled,
      boolean redirectDisabled,
      @Nullable S3ProxyServer s3) {
    return start(driver, deleteEnabled, redirectDisabled, s3, new CacheSettings.Off());
  }

  /** Starts a registry with deletes enabled over a driver and a shared cache. */
  static TestRegistry withCache(StorageSettings.Driver driver, CacheSettings cache) {
    return start(driver, true, true, null, cache);
  }

  private static TestRegistry start(
      StorageSettings.Driver driver,
      boolean deleteEnabled,
      boolean redirectDisabled,
      @Nullable S3ProxyServer s3,
      CacheSettings cache) {
    Configuration defaults = Configuration.defaults();
    Configuration configuration =
        new Configuration(
            defaults.version(),
            new Configuration.LogSettings("warn", "text", Map.of(), true),
            new StorageSettings(driver, deleteEnabled, redirectDisabled, false),
            new HttpSettings("127.0.0.1:0", null, "api-test-secret", false, Duration.ofSeconds(5)),
            new Configuration.Catalog(1000),
            new AuthSettings.None(),
            HealthSettings.defaults(),
            cache);
    try {
      return new TestRegistry(ServeCommand.start(configuration), s3);
    } catch (Exception e) {
      throw new IllegalStateException("failed to start the registry under test", e);
    }
  }

  /** The S3 server under the registry; only for registries started by {@link #s3}. */
  S3ProxyServer s3() {
    if (s3 == null) {
      throw new IllegalStateException("this registry does not run on S3");
    }
    return s3;
  }

  int port() {
    return port;
  }

  URI uri(String pathAndQuery) {
    return pathAndQuery.startsWith("http") ? URI.create(pathAndQuery) : base.resolve(pathAndQuery);
  }

  @Override
  public void close() {
    // Closing the client first closes its idle keep-alive connections, so the server's graceful
    // stop need not wait for them to time out.
    client.shutdownNow();
    try {
      running.close();
    } catch (Exception e) {
      throw new IllegalStateException("failed to stop the registry under test", e);
    } finally {
      if (s3 != null) {
        s3.close();
      }
    }
  }

  // ---- plain requests ----

  HttpResponse<byte[]> send(HttpRequest.Builder request) {
    try {
      return client.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(uri(pathAndQuery));
  }

  HttpResponse<byte[]> get(String path, String... headers) {
    HttpRequest.Builder request = request(path).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request);
  }

  HttpResponse<byte[]> head(String path, String... headers) {
    HttpRequest.Builder request = request(path).method("HEAD", HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request);
  }

  HttpResponse<byte[]> delete(String path) {
    return send(request(path).DELETE());
  }

  HttpResponse<byte[]> post(String path, byte[] body) {
    return send(request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  HttpResponse<byte[]> put(String path, byte[] body, String... headers) {
    HttpRequest.Builder request = request(path).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request);
  }

  HttpResponse<byte[]> patch(String path, byte[] body, String... headers) {
    HttpRequest.Builder request =
        request(path).method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request);
  }

  // ---- distribution API steps ----

  /** Pushes a blob in one request and checks that it was created. */
  String pushBlob(String repository, byte[] content) {
    String digest = sha256(content);
    HttpResponse<byte[]> response =
        post("/v2/" + repository + "/blobs/uploads/?digest=" + digest, content);
    assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
    return digest;
  }

  /** Opens an upload session and returns its {@code Location}. */
  String startUpload(String repository) {
    HttpResponse<byte[]> response = post("/v2/" + repository + "/blobs/uploads/", new byte[0]);
    assertThat(response.statusCode()).as(text(response)).isEqualTo(202);
    return location(response);
  }

  /** Pushes a manifest and checks that it was created; returns its digest. */
  String pushManifest(String repository, String reference, String mediaType, byte[] content) {
    HttpResponse<byte[]> response =
        put("/v2/" + repository + "/manifests/" + reference, content, "Content-Type", mediaType);
    assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
    String digest = sha256(content);
    assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest);
    return digest;
  }

  /** Pushes a small image (config and one layer) and its OCI manifest; returns the manifest. */
  Image pushImage(String repository, String reference, String seed) {
    byte[] config =
        ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":\"" + seed + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] layer = ("layer of " + seed).getBytes(StandardCharsets.UTF_8);
    pushBlob(repository, config);
    pushBlob(repository, layer);
    byte[] manifest =
        imageManifest(
            OCI_MANIFEST,
            "application/vnd.oci.image.config.v1+json",
            config,
            "application/vnd.oci.image.layer.v1.tar",
            layer);
    String digest = pushManifest(repository, reference, OCI_MANIFEST, manifest);
    return new Image(digest, manifest, config, layer);
  }

  /** A pushed image. */
  @SuppressWarnings("ArrayRecordComponent") // test values, never mutated
  record Image(String digest, byte[] manifest, byte[] config, byte[] layer) {}

  // ---- manifests ----

  static byte[] imageManifest(
      String mediaType, String configType, byte[] config, String layerType, byte[] layer) {
    return utf8(
        "{\"schemaVersion\":2,\"mediaType\":\""
            + mediaType
            + "\",\"config\":"
            + descriptor(configType, config)
            + ",\"layers\":["
            + descriptor(layerType, layer)
            + "]}");
  }

  static byte[] index(String mediaType, String childType, List<byte[]> children) {
    StringBuilder json =
        new StringBuilder(
            "{\"schemaVersion\":2,\"mediaType\":\"" + mediaType + "\",\"manifests\":[");
    for (int i = 0; i < children.size(); i++) {
      if (i > 0) {
        json.append(',');
      }
      String descriptor = descriptor(childType, children.get(i));
      json.append(descriptor, 0, descriptor.length() - 1)
          .append(",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}");
    }
    return utf8(json.append("]}").toString());
  }

  static String descriptor(String mediaType, byte[] content) {
    return "{\"mediaType\":\""
        + mediaType
        + "\",\"digest\":\""
        + sha256(content)
        + "\",\"size\":"
        + content.length
        + "}";
  }

  // ---- responses ----

  static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  static String location(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Location")
        .orElseThrow(() -> new AssertionError("no Location header"));
  }

  static String text(HttpResponse<byte[]> response) {
    return response.request().method()
        + " "
        + response.uri()
        + " -> "
        + response.statusCode()
        + " "
        + new String(response.body(), StandardCharsets.UTF_8);
  }

  static JsonNode json(HttpResponse<byte[]> response) {
    return json(response.body());
  }

  static JsonNode json(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
    }
  }

  /**
   * Asserts an error answer: the status, a JSON error body whose first code is the one expected,
   * codes only from the spec's table, a message, no stack trace, and the API version header.
   */
  static JsonNode assertError(HttpResponse<byte[]> response, int status, String code) {
    assertThat(response.statusCode()).as(text(response)).isEqualTo(status);
    assertThat(header(response, "Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
    if (response.request().method().equals("HEAD")) {
      return JSON.createObjectNode();
    }
    assertThat(header(response, "Content-Type")).startsWith("application/json");
    JsonNode body = assertErrorBody(response.body());
    assertThat(body.path("errors").get(0).path("code").asText()).as(text(response)).isEqualTo(code);
    return body;
  }

  /** Asserts that a body is the spec's error body with codes from its table and no stack trace. */
  static JsonNode assertErrorBody(byte[] raw) {
    String text = new String(raw, StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("at dev.berth", "Exception", "at org.eclipse");
    JsonNode body = json(raw);
    JsonNode errors = body.path("errors");
    assertThat(errors.isArray()).as(text).isTrue();
    assertThat(errors.size()).as(text).isPositive();
    for (JsonNode error : errors) {
      assertThat(error.path("code").asText()).as(text).isIn(SPEC_CODES);
      assertThat(error.path("message").isTextual()).as(text).isTrue();
    }
    return body;
  }

  // ---- bytes ----

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String sha256(byte[] content) {
    return "sha256:" + hex("SHA-256", content);
  }

  static String sha512(byte[] content) {
    return "sha512:" + hex("SHA-512", content);
  }

  private static String hex(String algorithm, byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deterministic test bytes. */
  static byte[] bytes(int length, int seed) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + seed);
    }
    return bytes;
  }
}
