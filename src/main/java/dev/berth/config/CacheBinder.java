package dev.berth.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Binds {@code storage.cache} and the {@code redis} section into {@link CacheSettings}. */
final class CacheBinder {

  private static final Pattern HOST_PORT = Pattern.compile("(\\[[^\\]]+]|[^:\\[\\]]+):(\\d{1,5})");

  /** The default pool size of registry 3's Redis client: 10 connections per CPU. */
  private static final int CONNECTIONS_PER_CPU = 10;

  private final TreeReader reader;
  private final List<Problem> problems;
  private final List<String> warnings;

  CacheBinder(TreeReader reader, List<Problem> problems, List<String> warnings) {
    this.reader = reader;
    this.problems = problems;
    this.warnings = warnings;
  }

  CacheSettings bind() {
    String kind =
        reader
            .text("storage.cache.blobdescriptor")
            .or(() -> reader.text("storage.cache.layerinfo"))
            .orElse("")
            .strip()
            .toLowerCase(Locale.ROOT);
    List<String> addrs = reader.strings("redis.addrs");
    String addrKey = addrs.isEmpty() ? "redis.addr" : "redis.addrs";
    String addr = addrs.isEmpty() ? reader.string("redis.addr") : addrs.get(0);
    if (!kind.equals("redis")) {
      if (addr != null) {
        warnings.add(
            "redis is configured ("
                + addrKey
                + ") but storage.cache.blobdescriptor is not redis, so Berth does not use"
                + " Redis (as registry:2); set storage.cache.blobdescriptor: redis"
                + " (REGISTRY_STORAGE_CACHE_BLOBDESCRIPTOR=redis) to cache blob descriptors and"
                + " tags in it");
      }
      return new CacheSettings.Off();
    }
    if (addr == null || addr.isBlank()) {
      problems.add(
          new Problem(
              "redis.addr",
              "is required when storage.cache.blobdescriptor is redis: set redis.addr"
                  + " (REGISTRY_REDIS_ADDR) to the server's host:port, e.g. redis:6379, or"
                  + " redis.addrs"));
      return new CacheSettings.Off();
    }
    Matcher matcher = HOST_PORT.matcher(addr.strip());
    int port = matcher.matches() ? Integer.parseInt(matcher.group(2)) : 0;
    if (port < 1 || port > 65535) {
      problems.add(
          new Problem(
              reader.subject(addrKey),
              "must be host:port with a port from 1 to 65535, e.g. redis:6379"));
      return new CacheSettings.Off();
    }
    if (addrs.size() > 1) {
      warnings.add(
          "redis.addrs lists "
              + addrs.size()
              + " servers: Berth uses only the first, "
              + addr.strip()
              + ", as a single Redis server (Redis Cluster and Sentinel are not supported)");
    }
    String host = matcher.group(1).replaceAll("^\\[|]$", "");
    Duration readTimeout = reader.duration("redis.readtimeout");
    int poolSize = (int) first("redis.poolsize", "redis.pool.maxactive", 0);
    if (poolSize <= 0) {
      poolSize = CONNECTIONS_PER_CPU * Runtime.getRuntime().availableProcessors();
    }
    int maxIdle = (int) first("redis.maxidleconns", "redis.pool.maxidle", poolSize);
    return new CacheSettings.Redis(
        host,
        port,
        reader.string("redis.username"),
        reader.string("redis.password"),
        (int) Math.min(Integer.MAX_VALUE, reader.number("redis.db")),
        reader.duration("redis.dialtimeout"),
        readTimeout,
        reader.isSet("redis.writetimeout") ? reader.duration("redis.writetimeout") : readTimeout,
        poolSize,
        Math.min(maxIdle, poolSize),
        idleTimeout(),
        reader.bool("redis.tls.enabled"),
        reader.strings("redis.tls.clientcas"));
  }

  /** The 3.x key when set, else its 2.x spelling, else {@code fallback}. */
  private long first(String threeX, String twoX, long fallback) {
    long value = Math.min(Integer.MAX_VALUE, fallback);
    if (reader.isSet(threeX)) {
      value = reader.number(threeX);
    } else if (reader.isSet(twoX)) {
      value = reader.number(twoX);
    }
    return Math.min(Integer.MAX_VALUE, value);
  }

  private Duration idleTimeout() {
    if (reader.isSet("redis.connmaxidletime")) {
      return reader.duration("redis.connmaxidletime");
    }
    if (reader.isSet("redis.pool.idletimeout")) {
      return reader.duration("redis.pool.idletimeout");
    }
    return Duration.ofMinutes(30);
  }
}
