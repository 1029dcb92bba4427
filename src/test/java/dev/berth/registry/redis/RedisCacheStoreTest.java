package dev.berth.registry.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.CacheStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/** The Redis cache store against a real {@code redis-server}. */
@Timeout(60)
class RedisCacheStoreTest {
  @RegisterExtension static final RedisServer redis = new RedisServer();

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private CacheStore store;

  @BeforeEach
  void connect() throws Exception {
    redis.start();
    try (RedisClient client = redis.client()) {
      client.flushAll();
    }
    store = RedisCaches.connect(redis.settings(), meters);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static long millisToLive(String key) {
    try (RedisClient client = redis.client()) {
      return client.pttl(key);
    }
  }

  private double count(String name, String tag, String value) {
    return meters.get(name).tag("cache", "redis").tag(tag, value).counter().count();
  }

  @Test
  void fill_afterAMiss_isFoundWithItsLifetime() {
    CacheStore.Lookup miss = store.get("berth:test:a");

    store.fill("berth:test:a", "42", Duration.ofSeconds(5), miss);

    assertThat(miss.value()).isNull();
    assertThat(store.get("berth:test:a").value()).isEqualTo("42");
    assertThat(millisToLive("berth:test:a")).isBetween(1L, 5000L);
    assertThat(count("berth.cache.requests", "result", "hit")).isEqualTo(1);
    assertThat(count("berth.cache.requests", "result", "miss")).isEqualTo(1);
  }

  @Test
  void fill_afterAnInvalidationSinceItsLookup_isDropped() {
    // A replica reads storage (the blob is there), another deletes it and invalidates, then the
    // first fills: the deleted state must not come back.
    CacheStore.Lookup before = store.get("berth:test:b");
    store.invalidate("berth:test:b");

    store.fill("berth:test:b", "1", Duration.ofMinutes(10), before);

    assertThat(store.get("berth:test:b").value()).isNull();
  }

  @Test
  void fill_afterALookupThatSawTheInvalidation_isKept() {
    store.invalidate("berth:test:c");
    CacheStore.Lookup after = store.get("berth:test:c");

    store.fill("berth:test:c", "1", Duration.ofMinutes(10), after);

    assertThat(store.get("berth:test:c").value()).isEqualTo("1");
  }

  @Test
  void invalidate_dropsTheValue() {
    store.fill("berth:test:d", "1", Duration.ofMinutes(10), store.get("berth:test:d"));

    store.invalidate("berth:test:d");

    assertThat(store.get("berth:test:d").value()).isNull();
  }

  @Test
  void redisDown_everyOperationFailsQuietlyAndIsCounted() {
    redis.stop();

    CacheStore.Lookup lookup = store.get("berth:test:e");
    store.fill("berth:test:e", "1", Duration.ofSeconds(5), lookup);
    store.invalidate("berth:test:e");

    assertThat(lookup.value()).isNull();
    assertThat(count("berth.cache.errors", "operation", "get")).isEqualTo(1);
    assertThat(count("berth.cache.errors", "operation", "invalidate")).isEqualTo(1);
  }
}
