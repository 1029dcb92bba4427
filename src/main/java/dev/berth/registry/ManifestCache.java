package dev.berth.registry;

import dev.berth.oci.Digest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps recently used manifests in memory by digest. A manifest named by its digest never changes,
 * so an entry is never stale; the cache only has to bound its size. Whether a repository may serve
 * the manifest is still checked in storage on every request.
 */
public final class ManifestCache {
  private final long maxBytes;
  private long bytes;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LinkedHashMap<Digest, ManifestService.StoredManifest> entries =
      new LinkedHashMap<>(256, 0.75f, true);

  /** Creates a cache holding at most {@code maxBytes} of manifest content. */
  public ManifestCache(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The cached manifest with this digest. */
  public synchronized Optional<ManifestService.StoredManifest> get(Digest digest) {
    ManifestService.StoredManifest entry = entries.get(digest);
    (entry == null ? misses : hits).increment();
    return Optional.ofNullable(entry);
  }

  /** How many lookups found their manifest, since the start. */
  public long hits() {
    return hits.sum();
  }

  /** How many lookups did not find their manifest, since the start. */
  public long misses() {
    return misses.sum();
  }

  /** Adds a manifest, evicting the least recently used ones beyond the size bound. */
  public synchronized void put(ManifestService.StoredManifest manifest) {
    long size = manifest.content().length;
    if (size > maxBytes / 4 || entries.containsKey(manifest.digest())) {
      return;
    }
    entries.put(manifest.digest(), manifest);
    bytes += size;
    var iterator = entries.entrySet().iterator();
    while (bytes > maxBytes && iterator.hasNext()) {
      Map.Entry<Digest, ManifestService.StoredManifest> eldest = iterator.next();
      bytes -= eldest.getValue().content().length;
      iterator.remove();
    }
  }
}
