package dev.berth.registry;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A shared key-value cache that several replicas may use at once (Redis), seen by the registry as
 * three operations: look up, fill after a miss, invalidate after a change.
 *
 * <p>A fill is conditional on the entry not having been invalidated since its lookup: a replica
 * that read storage just before another replica deleted something, and fills after that replica
 * invalidated, must not put the old state back. Implementations never throw: a cache that fails
 * behaves as a cache that misses.
 */
public interface CacheStore extends AutoCloseable {

  /**
   * What a lookup found.
   *
   * @param value the cached value, or null on a miss
   * @param generation the entry's invalidation count as the lookup saw it, for {@link #fill}
   * @param startedNanos {@link System#nanoTime()} at the lookup
   */
  record Lookup(@Nullable String value, String generation, long startedNanos) {}

  /** Looks up a key; a miss (or a failure) answers a null value. */
  Lookup get(String key);

  /**
   * Stores what storage said after a miss, unless the key was invalidated since {@code miss}.
   *
   * @param ttl how long the entry lives at most
   */
  void fill(String key, String value, Duration ttl, Lookup miss);

  /** Drops a key after storage changed, so that no replica serves the old state. */
  void invalidate(String key);

  /** Releases connections. */
  @Override
  void close();

  /** A cache that holds nothing: every lookup misses. */
  static CacheStore none() {
    return NoCache.INSTANCE;
  }

  /** The cache of {@link #none()}. */
  enum NoCache implements CacheStore {
    INSTANCE;

    @Override
    public Lookup get(String key) {
      return new Lookup(null, "", 0);
    }

    @Override
    public void fill(String key, String value, Duration ttl, Lookup miss) {
      // Nothing is cached.
    }

    @Override
    public void invalidate(String key) {
      // Nothing is cached.
    }

    @Override
    public void close() {
      // Nothing to release.
    }
  }
}
