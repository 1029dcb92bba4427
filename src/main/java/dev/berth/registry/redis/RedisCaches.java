package dev.berth.registry.redis;

import dev.berth.config.CacheSettings;
import dev.berth.registry.CacheStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;

/**
 * Connects the Redis cache. The only class outside this package that names it is the command that
 * starts the registry, and only when {@code storage.cache.blobdescriptor} is {@code redis}: without
 * Redis, none of Jedis's classes is loaded.
 */
public final class RedisCaches {
  private static final Logger LOG = LoggerFactory.getLogger(RedisCaches.class);

  private RedisCaches() {}

  /**
   * A cache on the configured server. Connections are opened on first use; whether the server
   * answers is checked in the background, so a Redis that is down delays neither the start nor
   * readiness (the cache is optional, and every lookup falls back to storage).
   *
   * @throws IOException when a {@code redis.tls.clientcas} file cannot be read
   */
  public static CacheStore connect(CacheSettings.Redis settings, MeterRegistry meters)
      throws IOException {
    DefaultJedisClientConfig.Builder client =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(millis(settings.dialTimeout()))
            .socketTimeoutMillis(millis(max(settings.readTimeout(), settings.writeTimeout())))
            .database(settings.database())
            .clientName("berth");
    if (settings.username() != null) {
      client.user(settings.username());
    }
    if (settings.password() != null) {
      client.password(settings.password());
    }
    if (settings.tls()) {
      client.sslOptions(sslOptions(settings));
    }
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(settings.poolSize());
    pool.setMaxIdle(settings.maxIdle());
    pool.setMinIdle(0);
    // A request waits for a free connection no longer than for a new one.
    pool.setMaxWait(settings.dialTimeout());
    pool.setJmxEnabled(false);
    if (!settings.idleTimeout().isZero()) {
      pool.setMinEvictableIdleDuration(settings.idleTimeout());
      pool.setTimeBetweenEvictionRuns(min(settings.idleTimeout(), Duration.ofMinutes(1)));
    }
    RedisCacheStore store =
        new RedisCacheStore(
            RedisClient.builder()
                .hostAndPort(new HostAndPort(settings.host(), settings.port()))
                .clientConfig(client.build())
                .poolConfig(pool)
                .build(),
            settings,
            meters);
    LOG.atInfo()
        .setMessage("redis cache configured")
        .addKeyValue("redis.addr", settings.address())
        .addKeyValue("redis.db", settings.database())
        .addKeyValue("redis.tls.enabled", settings.tls())
        .addKeyValue("redis.poolsize", settings.poolSize())
        .log();
    Thread.ofVirtual()
        .name("berth-redis-check")
        .start(
            () -> {
              if (store.ping()) {
                LOG.atInfo()
                    .setMessage("redis cache reachable")
                    .addKeyValue("redis.addr", settings.address())
                    .log();
              }
            });
    return store;
  }

  /**
   * Full verification (the certificate chains to a trusted CA and names the server), against the
   * {@code clientcas} files when given, else the JVM's trusted CAs.
   */
  private static SslOptions sslOptions(CacheSettings.Redis settings) throws IOException {
    SslOptions.Builder options = SslOptions.builder().sslVerifyMode(SslVerifyMode.FULL);
    if (settings.clientCas().isEmpty()) {
      return options.build();
    }
    char[] password = "berth".toCharArray();
    ByteArrayOutputStream store = new ByteArrayOutputStream();
    try {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      CertificateFactory certificates = CertificateFactory.getInstance("X.509");
      int n = 0;
      for (String file : settings.clientCas()) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
          for (Certificate ca : certificates.generateCertificates(in)) {
            trusted.setCertificateEntry("ca-" + n++, ca);
          }
        } catch (IOException | GeneralSecurityException e) {
          throw new IOException(
              "failed to read redis.tls.clientcas file " + file + ": " + e.getMessage(), e);
        }
      }
      trusted.store(store, password);
    } catch (GeneralSecurityException e) {
      throw new IOException("failed to set up TLS to redis: " + e.getMessage(), e);
    }
    byte[] bytes = store.toByteArray();
    return options
        .trustStoreType("PKCS12")
        .truststore(() -> new ByteArrayInputStream(bytes), password)
        .build();
  }

  private static int millis(Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
