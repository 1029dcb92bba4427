package dev.berth.registry.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import dev.berth.oci.Reference;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.CacheStore;
import dev.berth.registry.GarbageCollector;
import dev.berth.registry.LookupCache;
import dev.berth.registry.Registry;
import dev.berth.storage.driver.inmemory.InMemoryDriver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/** Garbage collection drops what it deletes from the replicas' Redis cache. */
@Timeout(60)
class GarbageCollectorRedisTest {
  @RegisterExtension static final RedisServer redis = new RedisServer();

  private static final Instant PUSHED = Instant.parse("2026-01-01T00:00:00Z");

  private final InMemoryDriver driver = new InMemoryDriver(Clock.fixed(PUSHED, ZoneOffset.UTC));
  private CacheStore store;
  private Registry registry;

  @BeforeEach
  void start() throws Exception {
    try (RedisClient client = redis.client()) {
      client.flushAll();
    }
    store = RedisCaches.connect(redis.settings(), new SimpleMeterRegistry());
    registry = Registry.over(driver, new LookupCache(store));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private Digest blob(RepositoryName name, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    Digest digest = Digest.sha256Of(bytes);
    registry.blobs().store().put(digest, bytes);
    registry.blobs().link(name, digest);
    return digest;
  }

  private void collect(boolean deleteUntagged) {
    new GarbageCollector(
            driver,
            new GarbageCollector.Options(false, deleteUntagged, Duration.ofHours(1)),
            Clock.fixed(PUSHED.plus(Duration.ofHours(2)), ZoneOffset.UTC),
            new LookupCache(store))
        .collect();
  }

  private static byte[] manifest(Digest config) {
    return ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
            + "\"digest\":\""
            + config
            + "\",\"size\":12},\"layers\":[]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String value(String key) {
    try (RedisClient client = redis.client()) {
      return client.get(key);
    }
  }

  @Test
  void unreferencedBlob_cachedByAReplica_isGoneFromTheCacheAfterCollection() {
    RepositoryName name = RepositoryName.of("gc/blob");
    // A tagged image keeps the repository (and its config) alive; the other blob no manifest needs.
    registry
        .manifests()
        .put(name, Reference.parse("v1"), manifest(blob(name, "{\"config\":0}")), Optional.empty());
    Digest digest = blob(name, "nobody needs me");
    assertThat(registry.blobs().contains(name, digest)).isTrue();
    assertThat(value("berth:blob:" + digest)).isNotNull();
    assertThat(value("berth:layer:gc/blob:" + digest)).isEqualTo("1");

    collect(false);

    assertThat(value("berth:blob:" + digest)).isNull();
    assertThat(value("berth:layer:gc/blob:" + digest)).isNull();
    assertThat(registry.blobs().contains(name, digest)).isFalse();
  }

  @Test
  void untaggedManifest_cachedByAReplica_isUnknownAfterCollection() {
    RepositoryName name = RepositoryName.of("gc/manifest");
    byte[] manifest = manifest(blob(name, "{\"config\":1}"));
    Digest digest = Digest.sha256Of(manifest);
    Reference byDigest = new Reference.ByDigest(digest);
    registry.manifests().put(name, byDigest, manifest, Optional.empty());
    assertThat(registry.manifests().resolve(name, byDigest)).isEqualTo(digest);
    assertThat(value("berth:revision:gc/manifest:" + digest)).isEqualTo("1");

    collect(true);

    assertThat(value("berth:revision:gc/manifest:" + digest)).isNull();
  }
}
