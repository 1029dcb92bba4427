package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.it.support.OciLayout;
import dev.berth.it.support.OneRequest;
import dev.berth.it.support.PushSteps;
import dev.berth.it.support.ReplicaCluster;
import dev.berth.registry.redis.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * Three {@code berth.jar} replicas on one S3Proxy bucket sharing one {@code redis-server} ({@code
 * storage.cache.blobdescriptor: redis}). Each step goes to one replica directly, so that what one
 * replica changes is checked on the others, which cached the old state.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisReplicasIT {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path temp;

  private static final RedisServer redis = new RedisServer();
  private static ReplicaCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    redis.start();
    cluster = ReplicaCluster.start(temp.resolve("cluster"), 3, true, redis.address());
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      redis.close();
    }
  }

  private static PushSteps on(int replica) {
    return new PushSteps(cluster.replica(replica).port());
  }

  private static OneRequest.Response send(int replica, String method, String target)
      throws IOException {
    return OneRequest.send(cluster.replica(replica).port(), method, target, Map.of(), new byte[0]);
  }

  private static String value(String key) {
    try (RedisClient client = redis.client()) {
      return client.get(key);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  @Order(1)
  void blobDeletedThroughOneReplica_is404OnTheOthersAtOnce() throws IOException {
    byte[] blob = bytes("a layer every replica looked at");
    String digest = OciLayout.digest(blob);
    String path = "/v2/redis/delete/blobs/" + digest;
    on(0).pushBlob("redis/delete", blob, false);
    for (int replica = 0; replica < 3; replica++) {
      assertThat(send(replica, "HEAD", path).status()).isEqualTo(200);
    }
    assertThat(value("berth:layer:redis/delete:" + digest)).isEqualTo("1");
    assertThat(value("berth:blob:" + digest)).isEqualTo(Integer.toString(blob.length));

    assertThat(send(0, "DELETE", path).status()).isEqualTo(202);

    for (int replica = 1; replica < 3; replica++) {
      assertThat(send(replica, "HEAD", path).status())
          .as("HEAD on r%d", replica + 1)
          .isEqualTo(404);
      assertThat(send(replica, "GET", path).status()).as("GET on r%d", replica + 1).isEqualTo(404);
    }
  }

  @Test
  @Order(2)
  void tagMovedThroughOneReplica_isSeenByTheOthers() throws IOException {
    String first = pushImage(0, "redis/tag", "latest", "first");
    for (int replica = 1; replica < 3; replica++) {
      assertThat(on(replica).getManifest("redis/tag", "latest").header("Docker-Content-Digest"))
          .contains(first);
    }
    assertThat(value("berth:tag:redis/tag:latest")).isEqualTo(first);

    String second = pushImage(0, "redis/tag", "latest", "second");

    assertThat(second).isNotEqualTo(first);
    // Invalidation makes the move visible at once; the entries' 5 s lifetime bounds it even for a
    // writer that does not use this Redis.
    for (int replica = 1; replica < 3; replica++) {
      assertThat(on(replica).getManifest("redis/tag", "latest").header("Docker-Content-Digest"))
          .as("tag on r%d", replica + 1)
          .contains(second);
    }
  }

  @Test
  @Order(3)
  void tagDeletedThroughOneReplica_isUnknownOnTheOthers() throws IOException {
    pushImage(1, "redis/untag", "v1", "untag");
    assertThat(on(2).getManifest("redis/untag", "v1").status()).isEqualTo(200);

    assertThat(send(1, "DELETE", "/v2/redis/untag/manifests/v1").status()).isEqualTo(202);

    assertThat(on(0).getManifest("redis/untag", "v1").status()).isEqualTo(404);
    assertThat(on(2).getManifest("redis/untag", "v1").status()).isEqualTo(404);
  }

  @Test
  @Order(4)
  void cachedBlobHead_needsNoS3Request_soItAnswersWhileS3IsDown() throws IOException {
    byte[] blob = bytes("a layer a node pulls again and again");
    String path = "/v2/redis/warm/blobs/" + OciLayout.digest(blob);
    on(0).pushBlob("redis/warm", blob, false);
    assertThat(send(1, "HEAD", path).status()).isEqualTo(200);

    // Runs last: the cluster's S3 does not come back.
    cluster.s3().close();

    assertThat(send(2, "HEAD", path).status()).isEqualTo(200);
    assertThat(send(2, "GET", path).status()).as("GET reads the bytes from S3").isEqualTo(503);
  }

  private static String pushImage(int replica, String repository, String tag, String seed)
      throws IOException {
    byte[] config =
        bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":\"" + seed + "\"}");
    byte[] layer = bytes("layer " + seed);
    on(replica).pushBlob(repository, config, false);
    on(replica).pushBlob(repository, layer, true);
    byte[] manifest = PushSteps.manifest(config, List.of(layer));
    on(replica).putManifest(repository, tag, manifest);
    return OciLayout.digest(manifest);
  }
}
