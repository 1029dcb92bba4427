package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.Configuration;
import dev.berth.config.ConfigurationLoader;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperationsEndpointsTest {

  @TempDir Path dir;

  private Configuration config(String extra) throws IOException {
    return config("", extra);
  }

  private Configuration config(String storageExtra, String extra) throws IOException {
    Files.createDirectories(dir.resolve("data/docker/registry/v2"));
    Path file = dir.resolve("config.yml");
    Files.writeString(
        file,
        """
        version: 0.1
        storage:
          filesystem:
            rootdirectory: %s
        %s
        http:
          addr: 127.0.0.1:0
          secret: test-secret
          debug:
            addr: 127.0.0.1:0
        %s
        """
            .formatted(dir.resolve("data"), storageExtra.indent(2).stripTrailing(), extra));
    return ConfigurationLoader.fromFile(file, Map.of()).configuration();
  }

  @Test
  void probes_runningRegistry_liveAndReady() throws Exception {
    try (ServeCommand.Running running = ServeCommand.start(config(""))) {
      int port = running.server().port();

      assertThat(Http.get(port, "/healthz").statusCode()).isEqualTo(200);
      assertThat(Http.get(port, "/readyz").statusCode()).isEqualTo(200);
      assertThat(Http.get(port, "/").statusCode()).isEqualTo(200);
      HttpResponse<String> debug = Http.get(running.debugPort().getAsInt(), "/debug/health");
      assertThat(debug.statusCode()).isEqualTo(200);
      assertThat(debug.body().strip()).isEqualTo("{}");
    }
  }

  @Test
  void metrics_afterTraffic_countersMove() throws Exception {
    try (ServeCommand.Running running = ServeCommand.start(config(""))) {
      int port = running.server().port();
      String before = Http.get(port, "/metrics").body();

      assertThat(Http.get(port, "/v2/").statusCode()).isEqualTo(200);
      assertThat(Http.get(port, "/v2/").statusCode()).isEqualTo(200);
      byte[] blob = "some layer bytes".getBytes(StandardCharsets.UTF_8);
      push(port, "team/app", blob);
      assertThat(Http.get(port, "/v2/team/app/blobs/" + digest(blob)).body())
          .isEqualTo("some layer bytes");
      byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
      push(port, "team/app", empty);
      String manifest =
          """
          {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
           "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": "%s", "size": 2},
           "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": "%s",
                       "size": %d}]}
          """
              .formatted(digest(empty), digest(blob), blob.length);
      HttpResponse<String> put =
          Http.send(
              port,
              "PUT",
              "/v2/team/app/manifests/v1",
              HttpRequest.BodyPublishers.ofString(manifest),
              "application/vnd.oci.image.manifest.v1+json");
      assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
      for (int i = 0; i < 2; i++) {
        assertThat(Http.get(port, "/v2/team/app/manifests/v1").statusCode()).isEqualTo(200);
      }
      assertThat(Http.get(port, "/v2/team/app/manifests/missing").statusCode()).isEqualTo(404);

      String after = Http.get(port, "/metrics").body();
      String baseGets =
          "http_server_requests_seconds_count{method=\"GET\",route=\"base\",status=\"200\"}";
      assertThat(Http.sample(after, baseGets) - Http.sample(before, baseGets)).isEqualTo(2.0);
      assertThat(
              Http.sample(
                  after,
                  "http_server_requests_seconds_count{method=\"GET\",route=\"manifest\",status=\"404\"}"))
          .isEqualTo(1.0);
      assertThat(Http.sample(after, "berth_http_request_body_bytes_total{route=\"upload\"}"))
          .isEqualTo(blob.length + empty.length);
      assertThat(Http.sample(after, "berth_http_response_body_bytes_total{route=\"blob\"}"))
          .isEqualTo(blob.length);
      assertThat(
              Http.sample(after, "berth_cache_requests_total{cache=\"manifest\",result=\"hit\"}"))
          .isPositive();
      assertThat(
              Http.sample(
                  after,
                  "berth_storage_operations_seconds_count{driver=\"filesystem\",operation=\"move\"}"))
          .isPositive();
      assertThat(after)
          .contains("http_server_requests_seconds_bucket{method=\"GET\",route=\"base\"")
          .contains("berth_uploads_in_progress 0")
          .contains("berth_cache_requests_total{cache=\"manifest\",result=\"miss\"}")
          .contains("berth_storage_errors_total{driver=\"filesystem\",operation=\"move\"} 0.0")
          .contains("jvm_memory_used_bytes")
          .contains("process_cpu_usage")
          // The route label is the endpoint kind: no repository name leaks into a series.
          .doesNotContain("team/app");
      assertThat(Http.get(running.debugPort().getAsInt(), "/metrics").body())
          .contains("http_server_requests_seconds_count");
    }
  }

  @Test
  void readOnly_writes_refusedWhileReadsGoOn() throws Exception {
    try (ServeCommand.Running running = ServeCommand.start(config(""))) {
      push(
          running.server().port(), "team/app", "before read-only".getBytes(StandardCharsets.UTF_8));
    }
    Configuration readOnly = config("maintenance:\n  readonly:\n    enabled: true", "");
    assertThat(readOnly.storage().readOnly()).isTrue();
    try (ServeCommand.Running running = ServeCommand.start(readOnly)) {
      int port = running.server().port();

      HttpResponse<String> post =
          Http.send(
              port, "POST", "/v2/team/app/blobs/uploads/", HttpRequest.BodyPublishers.noBody());
      HttpResponse<String> delete =
          Http.send(
              port,
              "DELETE",
              "/v2/team/app/manifests/sha256:" + "a".repeat(64),
              HttpRequest.BodyPublishers.noBody());
      String digest = digest("before read-only".getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> get = Http.get(port, "/v2/team/app/blobs/" + digest);

      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.body())
          .contains("UNSUPPORTED")
          .contains("storage.maintenance.readonly.enabled");
      assertThat(delete.statusCode()).isEqualTo(405);
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.body()).isEqualTo("before read-only");
    }
  }

  /** Pushes a blob with a POST and a PUT carrying the bytes. */
  static void push(int port, String repository, byte[] blob) throws Exception {
    HttpResponse<String> start =
        Http.send(
            port,
            "POST",
            "/v2/" + repository + "/blobs/uploads/",
            HttpRequest.BodyPublishers.noBody());
    assertThat(start.statusCode()).isEqualTo(202);
    String location = start.headers().firstValue("Location").orElseThrow();
    String path = location.replaceFirst("^https?://[^/]+", "");
    String separator = path.contains("?") ? "&" : "?";
    HttpResponse<String> put =
        Http.send(
            port,
            "PUT",
            path + separator + "digest=" + digest(blob),
            HttpRequest.BodyPublishers.ofByteArray(blob));
    assertThat(put.statusCode()).isEqualTo(201);
  }

  static String digest(byte[] bytes) throws NoSuchAlgorithmException {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
