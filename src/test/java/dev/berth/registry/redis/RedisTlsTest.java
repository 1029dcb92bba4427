package dev.berth.registry.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.CacheStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code redis.tls}: a TLS-only {@code redis-server} with a certificate from a test CA. */
@Timeout(60)
class RedisTlsTest {
  @RegisterExtension static final RedisServer redis = RedisServer.withTls();

  @Test
  void tlsWithTheServersCa_fillsAndFinds() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (CacheStore store =
        RedisCaches.connect(redis.tlsSettings(List.of(redis.caFile().toString())), meters)) {
      store.fill("berth:tls:a", "1", Duration.ofSeconds(30), store.get("berth:tls:a"));

      assertThat(store.get("berth:tls:a").value()).isEqualTo("1");
    }
  }

  @Test
  void tlsTrustingOnlyTheJvmsCas_refusesTheServerAndMisses() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (CacheStore store = RedisCaches.connect(redis.tlsSettings(List.of()), meters)) {
      CacheStore.Lookup lookup = store.get("berth:tls:b");

      assertThat(lookup.value()).isNull();
      assertThat(
              meters
                  .get("berth.cache.errors")
                  .tag("cache", "redis")
                  .tag("operation", "get")
                  .counter()
                  .count())
          .isEqualTo(1);
    }
  }

  @Test
  void plainTcpToATlsServer_misses() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (CacheStore store = RedisCaches.connect(redis.settings(), meters)) {
      assertThat(store.get("berth:tls:c").value()).isNull();
    }
  }
}
