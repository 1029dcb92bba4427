package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code storage.cache.blobdescriptor: redis} and every key of the {@code redis} section. */
class RedisSettingsTest {
  private static final String HEAD =
      "version: 0.1\nhttp: {secret: s}\nstorage:\n  inmemory:\n  cache:\n    blobdescriptor: redis\n";

  @TempDir Path dir;

  private LoadedConfiguration load(String yaml, Map<String, String> environment)
      throws IOException {
    Path file = Files.writeString(dir.resolve("config.yml"), yaml);
    return ConfigurationLoader.fromFile(file, environment);
  }

  private CacheSettings.Redis redis(String yaml) throws IOException {
    return (CacheSettings.Redis) load(HEAD + yaml, Map.of()).configuration().cache();
  }

  private List<String> problems(String yaml) {
    Path file = dir.resolve("bad.yml");
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    try {
      ConfigurationLoader.fromFile(file, Map.of());
    } catch (ConfigurationException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
    throw new AssertionError("expected a ConfigurationException");
  }

  @Test
  void addrAlone_takesRegistry3Defaults() throws IOException {
    CacheSettings.Redis redis = redis("redis:\n  addr: redis.internal:6380\n");

    assertThat(redis.host()).isEqualTo("redis.internal");
    assertThat(redis.port()).isEqualTo(6380);
    assertThat(redis.username()).isNull();
    assertThat(redis.password()).isNull();
    assertThat(redis.database()).isZero();
    assertThat(redis.dialTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(redis.readTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(redis.writeTimeout()).isEqualTo(Duration.ofSeconds(3));
    int perCpu = 10 * Runtime.getRuntime().availableProcessors();
    assertThat(redis.poolSize()).isEqualTo(perCpu);
    assertThat(redis.maxIdle()).isEqualTo(perCpu);
    assertThat(redis.idleTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(redis.tls()).isFalse();
    assertThat(redis.clientCas()).isEmpty();
  }

  @Test
  void everyKeyOf3x_isBound() throws IOException {
    CacheSettings.Redis redis =
        redis(
            """
            redis:
              addrs: ['[::1]:6379']
              username: berth
              password: '0123'
              db: 3
              dialtimeout: 100ms
              readtimeout: 200ms
              writetimeout: 300ms
              maxidleconns: 4
              poolsize: 16
              connmaxidletime: 90s
              tls:
                enabled: true
                clientcas: [/etc/ssl/redis-ca.pem]
            """);

    assertThat(redis)
        .isEqualTo(
            new CacheSettings.Redis(
                "::1",
                6379,
                "berth",
                "0123",
                3,
                Duration.ofMillis(100),
                Duration.ofMillis(200),
                Duration.ofMillis(300),
                16,
                4,
                Duration.ofSeconds(90),
                true,
                List.of("/etc/ssl/redis-ca.pem")));
    assertThat(redis.address()).isEqualTo("[::1]:6379");
    assertThat(redis.toString()).doesNotContain("0123");
  }

  @Test
  void poolOf2x_isBoundLikeItsRegistry3Spelling() throws IOException {
    String twoX =
        """
        redis:
          addr: r:6379
          pool:
            maxidle: 2
            maxactive: 5
            idletimeout: 10s
        """;
    String threeX =
        """
        redis:
          addrs: [r:6379]
          maxidleconns: 2
          poolsize: 5
          connmaxidletime: 10s
        """;

    CacheSettings.Redis old = redis(twoX);

    assertThat(old).isEqualTo(redis(threeX));
    assertThat(old.poolSize()).isEqualTo(5);
    assertThat(old.maxIdle()).isEqualTo(2);
    assertThat(old.idleTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void layerinfoOf2x_choosesRedisToo() throws IOException {
    String yaml =
        """
        version: 0.1
        http: {secret: s}
        storage:
          inmemory:
          cache:
            layerinfo: redis
        redis:
          addr: r:6379
        """;

    assertThat(load(yaml, Map.of()).configuration().cache())
        .isInstanceOf(CacheSettings.Redis.class);
  }

  @Test
  void variables_setEveryKey() throws IOException {
    LoadedConfiguration loaded =
        load(
            "version: 0.1\nhttp: {secret: s}\nstorage: {inmemory: }\n",
            Map.ofEntries(
                Map.entry("REGISTRY_STORAGE_CACHE_BLOBDESCRIPTOR", "redis"),
                Map.entry("REGISTRY_REDIS_ADDR", "10.0.0.7:6379"),
                Map.entry("REGISTRY_REDIS_USERNAME", "u"),
                Map.entry("REGISTRY_REDIS_PASSWORD", "p"),
                Map.entry("REGISTRY_REDIS_DB", "2"),
                Map.entry("REGISTRY_REDIS_DIALTIMEOUT", "1s"),
                Map.entry("REGISTRY_REDIS_READTIMEOUT", "2s"),
                Map.entry("REGISTRY_REDIS_WRITETIMEOUT", "4s"),
                Map.entry("REGISTRY_REDIS_POOL_MAXIDLE", "3"),
                Map.entry("REGISTRY_REDIS_POOL_MAXACTIVE", "6"),
                Map.entry("REGISTRY_REDIS_POOL_IDLETIMEOUT", "1m"),
                Map.entry("REGISTRY_REDIS_TLS_ENABLED", "true")));

    assertThat(loaded.configuration().cache())
        .isEqualTo(
            new CacheSettings.Redis(
                "10.0.0.7",
                6379,
                "u",
                "p",
                2,
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                Duration.ofSeconds(4),
                6,
                3,
                Duration.ofMinutes(1),
                true,
                List.of()));
    assertThat(loaded.warnings()).isEmpty();
  }

  @Test
  void maxIdleAbovePoolSize_isCappedAtThePoolSize() throws IOException {
    assertThat(redis("redis:\n  addr: r:6379\n  poolsize: 4\n  maxidleconns: 9\n").maxIdle())
        .isEqualTo(4);
  }

  @Test
  void blobdescriptorRedisWithoutAddr_isAProblemNamingTheKey() {
    assertThat(problems(HEAD))
        .singleElement()
        .asString()
        .startsWith("redis.addr: is required when storage.cache.blobdescriptor is redis")
        .contains("REGISTRY_REDIS_ADDR");
  }

  @Test
  void addrWithoutPort_isAProblem() {
    assertThat(problems(HEAD + "redis:\n  addr: redis.internal\n"))
        .singleElement()
        .asString()
        .contains("redis.addr")
        .contains("must be host:port");
  }

  @Test
  void severalAddrs_firstIsUsedWithAWarning() throws IOException {
    LoadedConfiguration loaded = load(HEAD + "redis:\n  addrs: [a:1, b:2, c:3]\n", Map.of());

    assertThat(((CacheSettings.Redis) loaded.configuration().cache()).address()).isEqualTo("a:1");
    assertThat(loaded.warnings())
        .singleElement()
        .asString()
        .startsWith("redis.addrs lists 3 servers: Berth uses only the first, a:1");
  }

  @Test
  void redisWithoutBlobdescriptorRedis_isNotUsedAndSaysSo() throws IOException {
    LoadedConfiguration loaded =
        load(
            "version: 0.1\nhttp: {secret: s}\nstorage: {inmemory: }\nredis: {addr: r:6379}\n",
            Map.of());

    assertThat(loaded.configuration().cache()).isEqualTo(new CacheSettings.Off());
    assertThat(loaded.warnings())
        .singleElement()
        .asString()
        .startsWith("redis is configured (redis.addr) but storage.cache.blobdescriptor is not");
  }

  @Test
  void clientCertificate_isAnnouncedAsNotImplemented() throws IOException {
    LoadedConfiguration loaded =
        load(
            HEAD
                + "redis:\n  addr: r:6379\n  tls:\n    enabled: true\n"
                + "    certificate: /c.pem\n    key: /k.pem\n",
            Map.of());

    assertThat(loaded.warnings())
        .hasSize(2)
        .allMatch(w -> w.contains("Berth connects without a client certificate"));
  }

  @Test
  void badValues_areProblemsNamingTheirKeys() {
    assertThat(
            problems(
                HEAD
                    + "redis:\n  addr: r:6379\n  db: -1\n  dialtimeout: 5\n  poolsize: many\n"
                    + "  tls:\n    enabled: maybe\n"))
        .hasSize(4)
        .anyMatch(p -> p.contains("redis.db"))
        .anyMatch(p -> p.contains("redis.dialtimeout") && p.contains("a bare number has no unit"))
        .anyMatch(p -> p.contains("redis.poolsize"))
        .anyMatch(p -> p.contains("redis.tls.enabled"));
  }

  @Test
  void blobdescriptorInmemory_cachesNothing() throws IOException {
    LoadedConfiguration loaded =
        load(
            """
            version: 0.1
            http: {secret: s}
            storage:
              inmemory:
              cache:
                blobdescriptor: inmemory
            """,
            Map.of());

    assertThat(loaded.configuration().cache()).isEqualTo(new CacheSettings.Off());
    assertThat(loaded.warnings()).isEmpty();
  }
}
