package dev.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.it.support.FreePort;
import dev.berth.storage.driver.s3.S3ProxyServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the jar the image contains, with the image's JVM options and the configuration the
 * Kubernetes manifests give it: each overlay's mounted {@code config.yml} and environment, with
 * only the listen address, the storage location and the credentials changed for the test. Every run
 * answers its probes, takes a push and a pull, and exits 0 on SIGTERM.
 */
class ImageRunIT {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private static ImageTar image;

  @TempDir static Path extracted;

  @TempDir Path dir;

  @BeforeAll
  static void readImage() throws IOException {
    image = ImageTar.read(extracted);
  }

  @Test
  void filesystemOverlay_jar_answersProbesPushPullAndExitsZero() throws Exception {
    assumeTrue(Kustomize.available(), Kustomize.MISSING);
    Rendered rendered = Kustomize.render(Kustomize.ROOT.resolve("overlays/filesystem"));
    Map<String, String> environment = new LinkedHashMap<>(rendered.environment());
    environment.put("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", dir.resolve("store").toString());

    try (Served berth = Served.start(List.of(), image.jar(), rendered, environment, dir)) {
      berth.assertProbes(rendered.container());
      berth.assertPushAndPull("team/app");
      berth.assertStopsWithZero();
    }
  }

  @Test
  void s3Overlay_jarOnS3Proxy_answersProbesPushPullAndExitsZero() throws Exception {
    assumeTrue(Kustomize.available(), Kustomize.MISSING);
    Rendered rendered = Kustomize.render(Kustomize.ROOT.resolve("overlays/s3"));
    Map<String, String> environment = new LinkedHashMap<>(rendered.environment());
    String bucket = environment.get("REGISTRY_STORAGE_S3_BUCKET");
    assertThat(bucket).isNotBlank();

    try (S3ProxyServer s3 = S3ProxyServer.filesystem()) {
      s3.start();
      s3.createBucket(bucket);
      // The bucket, region and the other variables stay as the overlay sets them; the keys the
      // Secret would hold and the endpoint point at the local S3 server.
      environment.put("REGISTRY_STORAGE_S3_REGIONENDPOINT", s3.endpoint().toString());
      environment.put("REGISTRY_STORAGE_S3_ACCESSKEY", S3ProxyServer.ACCESS_KEY);
      environment.put("REGISTRY_STORAGE_S3_SECRETKEY", S3ProxyServer.SECRET_KEY);
      // S3Proxy answers server-side encryption with 501; AWS applies SSE-S3 to every object.
      environment.put("REGISTRY_STORAGE_S3_ENCRYPT", "false");
      try (Served berth = Served.start(List.of(), image.jar(), rendered, environment, dir)) {
        berth.assertProbes(rendered.container());
        String digest = berth.assertPushAndPull("team/app");
        berth.assertStopsWithZero();

        String hex = digest.substring("sha256:".length());
        String key = "docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data";
        try (var client = s3.client()) {
          assertThat(client.listObjectsV2(b -> b.bucket(bucket).prefix(key)).contents())
              .as("the blob is in the overlay's bucket, in registry:2's layout")
              .hasSize(1);
        }
      }
    }
  }

  /**
   * The read-only root filesystem of the manifests, approximated without a container runtime: the
   * jar runs as the image's user, in a working directory and with a home it cannot write, so the
   * only places it can write are the storage directory it owns and the world-writable {@code /tmp}
   * (the manifests' emptyDir). A push and a pull must work; any other write fails the request.
   */
  @Test
  void imageUser_writingOnlyStorageAndTmp_servesPushAndPull() throws Exception {
    assumeTrue(Kustomize.available(), Kustomize.MISSING);
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "only root can start a process as the image's user");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) is missing");
    Rendered rendered = Kustomize.render(Kustomize.ROOT.resolve("overlays/filesystem"));
    // The user must reach the jar and the configuration: world-readable copies in a fresh place.
    Path readable = Files.createTempDirectory("berth-image-user-");
    try {
      Path store = Files.createDirectory(readable.resolve("store"));
      Path jar = Files.copy(image.jar(), readable.resolve("berth.jar"));
      Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
      Files.setAttribute(store, "unix:uid", Integer.parseInt(image.uid()));
      Files.setAttribute(store, "unix:gid", Integer.parseInt(image.gid()));
      Map<String, String> environment = new LinkedHashMap<>(rendered.environment());
      environment.put("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", store.toString());
      environment.put("HOME", "/nonexistent");
      List<String> asImageUser =
          List.of(
              "/usr/bin/setpriv",
              "--reuid=" + image.uid(),
              "--regid=" + image.gid(),
              "--clear-groups",
              "--");

      try (Served berth = Served.start(asImageUser, jar, rendered, environment, readable)) {
        berth.assertProbes(rendered.container());
        berth.assertPushAndPull("team/app");
        berth.assertStopsWithZero();
        assertThat(berth.log()).doesNotContain("Exception");
      }
    } finally {
      try (var walk = Files.walk(readable)) {
        for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }

  /** The jar running as a process on a free loopback port, stopped (SIGTERM) when closed. */
  private static final class Served implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final URI base;
    private final HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    private Served(Process process, Path log, URI base) {
      this.process = process;
      this.log = log;
      this.base = base;
    }

    /**
     * Starts {@code java -jar JAR serve CONFIG} as the image's entrypoint does, in a working
     * directory of {@code /} (the image's user cannot write there), with the overlay's mounted
     * configuration written into {@code dir} world-readable.
     */
    static Served start(
        List<String> prefix, Path jar, Rendered rendered, Map<String, String> variables, Path dir)
        throws Exception {
      Path config = rendered.writeMountedConfig(dir);
      Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
      int port = FreePort.find();
      List<String> command = new ArrayList<>(prefix);
      command.addAll(
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-jar",
              jar.toString(),
              "serve",
              config.toString()));
      ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("/").toFile());
      Map<String, String> environment = builder.environment();
      environment.keySet().removeIf(name -> name.startsWith("REGISTRY_"));
      environment.putAll(variables);
      environment.put("REGISTRY_HTTP_ADDR", "127.0.0.1:" + port);
      environment.put("JAVA_TOOL_OPTIONS", image.environment("JAVA_TOOL_OPTIONS"));
      Path log = Files.createTempFile(dir, "berth-", ".log");
      builder.redirectErrorStream(true).redirectOutput(log.toFile());
      Served served = new Served(builder.start(), log, URI.create("http://127.0.0.1:" + port));
      int status = served.awaitStatus("/v2/");
      if (status != 200) {
        served.close();
      }
      assertThat(status).as(() -> "GET /v2/; log:\n" + served.log()).isEqualTo(200);
      return served;
    }

    void assertProbes(JsonNode container) throws IOException, InterruptedException {
      Map<String, Integer> probes = new LinkedHashMap<>();
      for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
        String path = container.path(probe).path("httpGet").path("path").asText();
        probes.put(probe + " " + path, status(path));
      }
      assertThat(probes)
          .as(() -> "log:\n" + log())
          .allSatisfy((probe, status) -> assertThat(status).as(probe).isEqualTo(200));
    }

    /** Pushes a blob in one request and reads it back; returns its digest. */
    String assertPushAndPull(String repository) throws Exception {
      byte[] blob = ("a layer pushed to " + base).getBytes(StandardCharsets.UTF_8);
      String digest =
          "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
      HttpResponse<String> push =
          client.send(
              HttpRequest.newBuilder(
                      base.resolve("/v2/" + repository + "/blobs/uploads/?digest=" + digest))
                  .timeout(Duration.ofSeconds(20))
                  .header("Content-Type", "application/octet-stream")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(blob))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<byte[]> pull =
          client.send(
              HttpRequest.newBuilder(base.resolve("/v2/" + repository + "/blobs/" + digest))
                  .timeout(Duration.ofSeconds(20))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());

      assertThat(push.statusCode()).as(() -> push.body() + "\nlog:\n" + log()).isEqualTo(201);
      assertThat(pull.statusCode()).as(() -> "pull; log:\n" + log()).isEqualTo(200);
      assertThat(pull.body()).isEqualTo(blob);
      return digest;
    }

    /** SIGTERM, as the kubelet sends after preStop: Berth drains and exits 0. */
    void assertStopsWithZero() throws InterruptedException {
      process.destroy();
      boolean stopped = process.waitFor(40, TimeUnit.SECONDS);
      assertThat(stopped).as(() -> "stopped on SIGTERM; log:\n" + log()).isTrue();
      // Kubernetes records a non-zero status as a failed container, also in a rolling update.
      assertThat(process.exitValue()).as(() -> "exit status; log:\n" + log()).isZero();
    }

    String log() {
      try {
        return Files.readString(log, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(no log: " + e.getMessage() + ")";
      }
    }

    private int status(String path) throws IOException, InterruptedException {
      HttpRequest request =
          HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5)).build();
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Polls until the server answers, it exits, or the start timeout passes; -1 when no answer. */
    private int awaitStatus(String path) throws InterruptedException {
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline && process.isAlive()) {
        try {
          return status(path);
        } catch (IOException notYet) {
          Thread.sleep(200);
        }
      }
      return -1;
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }
}
