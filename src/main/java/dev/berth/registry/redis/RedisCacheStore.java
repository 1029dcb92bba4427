package dev.berth.registry.redis;

import dev.berth.config.CacheSettings;
import dev.berth.registry.CacheStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The {@link CacheStore} in one Redis server, shared by every replica that names it.
 *
 * <p>Each key has a generation beside it ({@code <key>#gen}), counted up by every invalidation. A
 * lookup reads both in one round trip; a fill writes the value only while the generation is still
 * the one its lookup saw (a Lua script, atomic in Redis), so a replica that read storage before
 * another replica deleted something cannot put the deleted state back after the invalidation.
 *
 * <p>Redis failing never fails a request: a lookup that fails is a miss, a fill that fails is
 * skipped, and after a failure lookups and fills skip Redis for {@link #BACK_OFF} so that a server
 * that hangs does not slow every request by a timeout. Invalidations are always tried. Failures are
 * counted in {@code berth_cache_errors_total} and logged at most once per {@link #WARN_INTERVAL}.
 */
public final class RedisCacheStore implements CacheStore {
  private static final Logger LOG = LoggerFactory.getLogger(RedisCacheStore.class);

  /** After a failure, how long lookups and fills go straight to storage. */
  static final Duration BACK_OFF = Duration.ofSeconds(1);

  /** The least time between two warnings about failures. */
  static final Duration WARN_INTERVAL = Duration.ofSeconds(10);

  /**
   * How long a generation outlives its last invalidation. A fill whose lookup is older than {@link
   * #FILL_DEADLINE} is dropped, so a generation only has to outlive that.
   */
  static final Duration GENERATION_TTL = Duration.ofHours(1);

  /** A fill later than this after its lookup is dropped: storage may have changed meanwhile. */
  static final Duration FILL_DEADLINE = Duration.ofSeconds(10);

  /** SET the value with a lifetime if the generation is still the one the lookup saw. */
  private static final String FILL =
      "if (redis.call('GET', KEYS[2]) or '0') == ARGV[3] then"
          + " return redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end return false";

  /** Count the generation up, keep it a while, and drop the value. */
  private static final String INVALIDATE =
      "redis.call('INCR', KEYS[2]) redis.call('PEXPIRE', KEYS[2], ARGV[1])"
          + " return redis.call('DEL', KEYS[1])";

  private static final String FILL_SHA = sha1(FILL);
  private static final String INVALIDATE_SHA = sha1(INVALIDATE);

  private final RedisClient client;
  private final String address;
  private final Counter hits;
  private final Counter misses;
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();
  private final MeterRegistry meters;
  private final AtomicLong skipUntil = new AtomicLong(System.nanoTime());
  private final AtomicLong lastWarning =
      new AtomicLong(System.nanoTime() - WARN_INTERVAL.toNanos());
  private final AtomicLong suppressed = new AtomicLong();

  RedisCacheStore(RedisClient client, CacheSettings.Redis settings, MeterRegistry meters) {
    this.client = client;
    this.address = settings.address();
    this.meters = meters;
    this.hits = requests("hit");
    this.misses = requests("miss");
    for (String operation : List.of("get", "fill", "invalidate", "ping")) {
      errors(operation);
    }
  }

  @Override
  public Lookup get(String key) {
    long now = System.nanoTime();
    if (now - skipUntil.get() < 0) {
      misses.increment();
      return new Lookup(null, "", now);
    }
    try {
      List<String> found = client.mget(key, generationKey(key));
      String value = found.get(0);
      String generation = found.get(1);
      (value == null ? misses : hits).increment();
      return new Lookup(value, generation == null ? "0" : generation, now);
    } catch (RuntimeException e) {
      failed("get", e);
      misses.increment();
      return new Lookup(null, "", now);
    }
  }

  @Override
  public void fill(String key, String value, Duration ttl, Lookup miss) {
    long now = System.nanoTime();
    // A lookup that failed has no generation to compare: better not fill than fill blind.
    if (miss.generation().isEmpty()
        || now - miss.startedNanos() > FILL_DEADLINE.toNanos()
        || now - skipUntil.get() < 0) {
      return;
    }
    List<String> keys = List.of(key, generationKey(key));
    List<String> args = List.of(value, Long.toString(ttl.toMillis()), miss.generation());
    run("fill", FILL, FILL_SHA, keys, args);
  }

  @Override
  public void invalidate(String key) {
    List<String> keys = List.of(key, generationKey(key));
    run(
        "invalidate",
        INVALIDATE,
        INVALIDATE_SHA,
        keys,
        List.of(Long.toString(GENERATION_TTL.toMillis())));
  }

  /** Whether Redis answers a PING now; logs what the operator should check when it does not. */
  boolean ping() {
    try {
      client.ping();
      return true;
    } catch (RuntimeException e) {
      errors("ping").increment();
      LOG.atWarn()
          .setMessage(
              "failed to reach the redis cache; every lookup goes to storage until it answers."
                  + " Check that redis.addr (REGISTRY_REDIS_ADDR) names a running Redis reachable"
                  + " from here, and redis.username, redis.password, redis.db and redis.tls")
          .addKeyValue("redis.addr", address)
          .addKeyValue("error", oneLine(e))
          .log();
      return false;
    }
  }

  @Override
  public void close() {
    client.close();
  }

  private void run(
      String operation, String script, String sha, List<String> keys, List<String> args) {
    try {
      try {
        client.evalsha(sha, keys, args);
      } catch (JedisNoScriptException notLoaded) {
        // First use on this server, or after it restarted: EVAL loads the script.
        client.eval(script, keys, args);
      }
    } catch (RuntimeException e) {
      failed(operation, e);
    }
  }

  private void failed(String operation, RuntimeException e) {
    errors(operation).increment();
    if (e instanceof JedisConnectionException) {
      // The idle connections are likely as dead as this one (Redis restarted): drop them, so
      // that the next lookups connect afresh instead of failing one stale connection at a time.
      client.getPool().clear();
    }
    long now = System.nanoTime();
    skipUntil.set(now + BACK_OFF.toNanos());
    long last = lastWarning.get();
    if (now - last < WARN_INTERVAL.toNanos() || !lastWarning.compareAndSet(last, now)) {
      suppressed.incrementAndGet();
      return;
    }
    LOG.atWarn()
        .setMessage("failed to use the redis cache; serving from storage")
        .addKeyValue("redis.addr", address)
        .addKeyValue("cache.operation", operation)
        .addKeyValue("error", oneLine(e))
        .addKeyValue("errors.suppressed", suppressed.getAndSet(0))
        .log();
  }

  private Counter requests(String result) {
    return Counter.builder("berth.cache.requests")
        .description("Cache lookups by result")
        .tag("cache", "redis")
        .tag("result", result)
        .register(meters);
  }

  private Counter errors(String operation) {
    return errors.computeIfAbsent(
        operation,
        op ->
            Counter.builder("berth.cache.errors")
                .description("Failed cache operations; the request was served from storage")
                .tag("cache", "redis")
                .tag("operation", op)
                .register(meters));
  }

  private static String generationKey(String key) {
    return key + "#gen";
  }

  /** The failure and its cause in one line; Jedis wraps the socket's error. */
  private static String oneLine(Throwable e) {
    String message = String.valueOf(e.getMessage());
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
      message += "; caused by: " + cause.getMessage();
    }
    return message.replace('\n', ' ');
  }

  private static String sha1(String script) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
  }
}
