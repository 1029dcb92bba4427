package dev.berth.cli;

import dev.berth.config.CacheSettings;
import dev.berth.config.Configuration;
import dev.berth.registry.CacheStore;
import dev.berth.registry.redis.RedisCaches;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;

/**
 * Opens the shared cache the configuration chose, for {@code serve} and {@code garbage-collect}.
 */
final class Caches {
  private Caches() {}

  /**
   * The configured cache; {@link CacheStore#none()} without one. Jedis's classes are loaded only on
   * the Redis branch.
   *
   * @throws IOException when the Redis TLS files cannot be read
   */
  static CacheStore open(Configuration configuration, MeterRegistry meters) throws IOException {
    return switch (configuration.cache()) {
      case CacheSettings.Off off -> CacheStore.none();
      case CacheSettings.Redis redis -> RedisCaches.connect(redis, meters);
    };
  }

  /** How the start-up log names the cache. */
  static String describe(Configuration configuration) {
    return switch (configuration.cache()) {
      case CacheSettings.Off off -> "none";
      case CacheSettings.Redis redis -> "redis " + redis.address();
    };
  }
}
