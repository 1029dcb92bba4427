package dev.berth.http;

import static dev.berth.http.TestRegistry.OCI_MANIFEST;
import static dev.berth.http.TestRegistry.assertError;
import static dev.berth.http.TestRegistry.bytes;
import static dev.berth.http.TestRegistry.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.StorageSettings;
import dev.berth.registry.redis.RedisServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * The Redis cache ({@code storage.cache.blobdescriptor: redis}) with a real {@code redis-server}:
 * two registries on one filesystem tree share it, as replicas on one bucket do. What one registry
 * fills, the other reads; what one deletes, neither serves again.
 */
@Timeout(120)
class RedisCacheTest {
  @RegisterExtension static final RedisServer redis = new RedisServer();

  @TempDir static Path root;

  private static TestRegistry first;
  private static TestRegistry second;

  @BeforeAll
  static void start() {
    first = TestRegistry.withCache(new StorageSettings.Filesystem(root), redis.settings());
    second = TestRegistry.withCache(new StorageSettings.Filesystem(root), redis.settings());
  }

  @AfterAll
  static void stop() {
    first.close();
    second.close();
  }

  @BeforeEach
  void redisRunningAndEmpty() throws Exception {
    redis.start();
    try (RedisClient client = redis.client()) {
      client.flushAll();
    }
  }

  private static String value(String key) {
    try (RedisClient client = redis.client()) {
      return client.get(key);
    }
  }

  @Test
  void headBlob_fillsTheCacheWithItsSizeAndLink() {
    byte[] content = bytes(3000, 1);
    String digest = first.pushBlob("cache/fill", content);

    HttpResponse<byte[]> head = first.head("/v2/cache/fill/blobs/" + digest);

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(value("berth:blob:" + digest)).isEqualTo("3000");
    assertThat(value("berth:layer:cache/fill:" + digest)).isEqualTo("1");
  }

  @Test
  void deleteBlob_throughOneRegistry_isGoneOnTheOtherThatCachedIt() {
    String digest = first.pushBlob("cache/delete", bytes(2000, 2));
    assertThat(second.head("/v2/cache/delete/blobs/" + digest).statusCode()).isEqualTo(200);
    assertThat(value("berth:layer:cache/delete:" + digest)).isEqualTo("1");

    assertThat(first.delete("/v2/cache/delete/blobs/" + digest).statusCode()).isEqualTo(202);

    assertThat(value("berth:layer:cache/delete:" + digest)).isNull();
    assertError(second.head("/v2/cache/delete/blobs/" + digest), 404, "BLOB_UNKNOWN");
    assertError(second.get("/v2/cache/delete/blobs/" + digest), 404, "BLOB_UNKNOWN");
  }

  @Test
  void getBlob_cachedButDeletedBehindTheCache_answers404AndForgetsIt() throws Exception {
    String digest = first.pushBlob("cache/behind", bytes(1500, 3));
    assertThat(first.head("/v2/cache/behind/blobs/" + digest).statusCode()).isEqualTo(200);
    String hex = digest.substring("sha256:".length());
    // As registry:2's garbage-collect would, without telling the cache.
    java.nio.file.Files.delete(
        root.resolve(
            "docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data"));

    assertError(second.get("/v2/cache/behind/blobs/" + digest), 404, "BLOB_UNKNOWN");

    assertThat(value("berth:blob:" + digest)).isNull();
    assertError(second.head("/v2/cache/behind/blobs/" + digest), 404, "BLOB_UNKNOWN");
  }

  @Test
  void pushTag_movedThroughOneRegistry_theOtherServesTheNewDigestAtOnce() {
    TestRegistry.Image old = first.pushImage("cache/tag", "latest", "old");
    assertThat(
            TestRegistry.header(
                second.get("/v2/cache/tag/manifests/latest"), "Docker-Content-Digest"))
        .isEqualTo(old.digest());
    assertThat(value("berth:tag:cache/tag:latest")).isEqualTo(old.digest());

    TestRegistry.Image moved = first.pushImage("cache/tag", "latest", "new");

    assertThat(value("berth:tag:cache/tag:latest")).isNull();
    HttpResponse<byte[]> got = second.get("/v2/cache/tag/manifests/latest");
    assertThat(TestRegistry.header(got, "Docker-Content-Digest")).isEqualTo(moved.digest());
  }

  @Test
  void deleteTag_throughOneRegistry_isUnknownOnTheOther() {
    first.pushImage("cache/untag", "v1", "untag");
    assertThat(second.get("/v2/cache/untag/manifests/v1").statusCode()).isEqualTo(200);

    assertThat(first.delete("/v2/cache/untag/manifests/v1").statusCode()).isEqualTo(202);

    assertError(second.get("/v2/cache/untag/manifests/v1"), 404, "MANIFEST_UNKNOWN");
  }

  @Test
  void deleteManifest_throughOneRegistry_isUnknownOnTheOtherByDigestAndTag() {
    TestRegistry.Image image = first.pushImage("cache/manifest", "v1", "manifest");
    assertThat(second.get("/v2/cache/manifest/manifests/" + image.digest()).statusCode())
        .isEqualTo(200);
    assertThat(second.get("/v2/cache/manifest/manifests/v1").statusCode()).isEqualTo(200);

    assertThat(first.delete("/v2/cache/manifest/manifests/" + image.digest()).statusCode())
        .isEqualTo(202);

    assertError(
        second.get("/v2/cache/manifest/manifests/" + image.digest()), 404, "MANIFEST_UNKNOWN");
    assertError(second.get("/v2/cache/manifest/manifests/v1"), 404, "MANIFEST_UNKNOWN");
  }

  @Test
  void redisStopped_requestsAreServedFromStorage_andTheCacheFillsAgainOnceItIsBack()
      throws Exception {
    String cached = first.pushBlob("cache/down", bytes(1000, 4));
    assertThat(first.head("/v2/cache/down/blobs/" + cached).statusCode()).isEqualTo(200);

    redis.stop();

    assertThat(first.head("/v2/cache/down/blobs/" + cached).statusCode()).isEqualTo(200);
    assertThat(second.get("/v2/cache/down/blobs/" + cached).body()).isEqualTo(bytes(1000, 4));
    TestRegistry.Image image = first.pushImage("cache/down", "v1", "down");
    assertThat(second.get("/v2/cache/down/manifests/v1").statusCode()).isEqualTo(200);
    assertThat(first.delete("/v2/cache/down/blobs/" + cached).statusCode()).isEqualTo(202);
    assertError(second.head("/v2/cache/down/blobs/" + cached), 404, "BLOB_UNKNOWN");

    redis.start();

    assertThat(fillsAgain(first, TestRegistry.sha256(image.config()))).isTrue();
    assertThat(fillsAgain(second, TestRegistry.sha256(image.layer()))).isTrue();
  }

  /**
   * Whether HEADs of a blob through the registry fill its link entry again once Redis is back. A
   * registry skips Redis for a second after a failure, so this tries a bounded number of times.
   */
  private static boolean fillsAgain(TestRegistry registry, String digest)
      throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      assertThat(registry.head("/v2/cache/down/blobs/" + digest).statusCode()).isEqualTo(200);
      if (value("berth:layer:cache/down:" + digest) != null) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  @Test
  void putManifest_referencingADeletedBlob_isRefusedThoughTheBlobWasCached() {
    byte[] config = utf8("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
    byte[] layer = bytes(500, 5);
    first.pushBlob("cache/refs", config);
    String layerDigest = first.pushBlob("cache/refs", layer);
    assertThat(second.head("/v2/cache/refs/blobs/" + layerDigest).statusCode()).isEqualTo(200);
    assertThat(first.delete("/v2/cache/refs/blobs/" + layerDigest).statusCode()).isEqualTo(202);

    byte[] manifest =
        TestRegistry.imageManifest(
            OCI_MANIFEST,
            "application/vnd.oci.image.config.v1+json",
            config,
            "application/vnd.oci.image.layer.v1.tar",
            layer);
    HttpResponse<byte[]> put =
        second.put("/v2/cache/refs/manifests/v1", manifest, "Content-Type", OCI_MANIFEST);

    assertError(put, 400, "MANIFEST_BLOB_UNKNOWN");
  }
}
