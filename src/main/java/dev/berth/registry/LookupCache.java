package dev.berth.registry;

import dev.berth.oci.Digest;
import dev.berth.oci.RegistryException;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The registry's lookups that a shared {@link CacheStore} may answer instead of storage: blob sizes
 * by digest, whether a repository links a blob or a manifest revision, and the digest a tag points
 * at. Only what storage said exists is cached; a miss always asks storage.
 *
 * <p>The keys, all under {@code berth:} (a repository name holds no {@code :}):
 *
 * <pre>
 * berth:blob:&lt;digest&gt;                      the blob's size           lives 10 minutes
 * berth:layer:&lt;repository&gt;:&lt;digest&gt;        "1": the repository links the blob
 * berth:revision:&lt;repository&gt;:&lt;digest&gt;     "1": the repository holds the manifest
 * berth:tag:&lt;repository&gt;:&lt;tag&gt;             the digest the tag points at   lives 5 seconds
 * &lt;key&gt;#gen                                 invalidations of the key       lives 1 hour
 * </pre>
 *
 * <p>Every change goes to storage first and invalidates the key after, so a replica sharing the
 * cache sees it at once. The lifetimes bound what a change made without this cache (registry:2 on
 * the same bucket, a replica that could not reach Redis during the change) can leave behind: a tag
 * at most {@link #TAG_TTL}, a blob or link at most {@link #DESCRIPTOR_TTL}. Garbage collection
 * reads storage directly and never this cache.
 */
public final class LookupCache {

  /** How long a blob's size or a link's existence is kept. */
  public static final Duration DESCRIPTOR_TTL = Duration.ofMinutes(10);

  /** How long a tag's digest is kept: the bound on a moved tag served by a stale entry. */
  public static final Duration TAG_TTL = Duration.ofSeconds(5);

  private static final String LINKED = "1";

  private final CacheStore store;

  /** False over {@link CacheStore#none()}: lookups then go to storage without making keys. */
  private final boolean caching;

  /** A cache over a store; {@link CacheStore#none()} makes every lookup go to storage. */
  public LookupCache(CacheStore store) {
    this.store = store;
    this.caching = !(store instanceof CacheStore.NoCache);
  }

  /** The cache that caches nothing. */
  public static LookupCache none() {
    return new LookupCache(CacheStore.none());
  }

  /** The size of a blob by digest, from the cache or else {@code storage}. */
  Optional<Long> blobSize(Digest digest, Supplier<Optional<Long>> storage) {
    if (!caching) {
      return storage.get();
    }
    return through(blobKey(digest), DESCRIPTOR_TTL, LookupCache::parseSize, storage);
  }

  /** Whether the repository links the blob, from the cache or else {@code storage}. */
  boolean layerLinked(RepositoryName name, Digest digest, BooleanSupplier storage) {
    return caching ? exists(layerKey(name, digest), storage) : storage.getAsBoolean();
  }

  /** Whether the repository holds the manifest revision, from the cache or else {@code storage}. */
  boolean revisionLinked(RepositoryName name, Digest digest, BooleanSupplier storage) {
    return caching ? exists(revisionKey(name, digest), storage) : storage.getAsBoolean();
  }

  /** The digest a tag points at, from the cache or else {@code storage}. */
  Optional<Digest> tag(RepositoryName name, Tag tag, Supplier<Optional<Digest>> storage) {
    if (!caching) {
      return storage.get();
    }
    return through(tagKey(name, tag), TAG_TTL, LookupCache::parseDigest, storage);
  }

  /** After the blob's bytes were deleted from storage. */
  void blobDeleted(Digest digest) {
    store.invalidate(blobKey(digest));
  }

  /** After the repository's link to a blob was deleted from storage. */
  void layerUnlinked(RepositoryName name, Digest digest) {
    store.invalidate(layerKey(name, digest));
  }

  /** After a manifest revision of the repository was deleted from storage. */
  void revisionDeleted(RepositoryName name, Digest digest) {
    store.invalidate(revisionKey(name, digest));
  }

  /** After a tag was moved or deleted in storage. */
  void tagChanged(RepositoryName name, Tag tag) {
    store.invalidate(tagKey(name, tag));
  }

  private boolean exists(String key, BooleanSupplier storage) {
    // Only "linked" is cached: a link that does not exist yet may be pushed any moment.
    Supplier<Optional<Boolean>> linked =
        () -> storage.getAsBoolean() ? Optional.of(true) : Optional.empty();
    Function<String, Optional<Boolean>> parse =
        v -> LINKED.equals(v) ? Optional.of(true) : Optional.empty();
    return through(key, DESCRIPTOR_TTL, parse, linked).isPresent();
  }

  /**
   * The cached value when it parses, else what storage says, filled into the cache when storage has
   * it. A value that does not parse was not written by Berth: storage answers, the fill replaces
   * it.
   */
  private <T> Optional<T> through(
      String key,
      Duration ttl,
      Function<String, Optional<T>> parse,
      Supplier<Optional<T>> storage) {
    CacheStore.Lookup lookup = store.get(key);
    String cached = lookup.value();
    Optional<T> value = cached == null ? Optional.empty() : parse.apply(cached);
    if (value.isPresent()) {
      return value;
    }
    Optional<T> stored = storage.get();
    stored.ifPresent(
        v -> store.fill(key, v instanceof Boolean ? LINKED : v.toString(), ttl, lookup));
    return stored;
  }

  private static Optional<Long> parseSize(String text) {
    try {
      return Optional.of(Long.parseLong(text));
    } catch (NumberFormatException foreign) {
      return Optional.empty();
    }
  }

  private static Optional<Digest> parseDigest(String text) {
    try {
      return Optional.of(Digest.parse(text));
    } catch (RegistryException foreign) {
      return Optional.empty();
    }
  }

  static String blobKey(Digest digest) {
    return "berth:blob:" + digest;
  }

  static String layerKey(RepositoryName name, Digest digest) {
    return "berth:layer:" + name.value() + ":" + digest;
  }

  static String revisionKey(RepositoryName name, Digest digest) {
    return "berth:revision:" + name.value() + ":" + digest;
  }

  static String tagKey(RepositoryName name, Tag tag) {
    return "berth:tag:" + name.value() + ":" + tag.value();
  }
}
