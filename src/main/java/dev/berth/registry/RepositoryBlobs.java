package dev.berth.registry;

import dev.berth.oci.Digest;
import dev.berth.oci.ErrorCode;
import dev.berth.oci.RegistryException;
import dev.berth.oci.RepositoryName;
import dev.berth.storage.driver.PathNotFoundException;
import dev.berth.storage.driver.StorageDriver;
import java.util.Map;

/**
 * The blobs a repository may serve: a blob is in a repository when the repository links it and the
 * blob store holds it.
 */
public final class RepositoryBlobs {
  private final StorageDriver driver;
  private final BlobStore blobs;
  private final Links links;
  private final LookupCache cache;

  /** Creates the service without a shared cache. */
  public RepositoryBlobs(StorageDriver driver, BlobStore blobs) {
    this(driver, blobs, LookupCache.none());
  }

  /** Creates the service; reads ({@link #size}, {@link #contains}) may be answered by the cache. */
  public RepositoryBlobs(StorageDriver driver, BlobStore blobs, LookupCache cache) {
    this.driver = driver;
    this.blobs = blobs;
    this.links = new Links(driver);
    this.cache = cache;
  }

  /**
   * The size of a blob of the repository, from the cache when it holds the answer.
   *
   * @throws RegistryException {@code BLOB_UNKNOWN} when the repository does not hold it
   */
  public long size(RepositoryName name, Digest digest) {
    if (!linked(name, digest)) {
      throw unknown(name, digest);
    }
    return cache
        .blobSize(digest, () -> blobs.size(digest))
        .orElseThrow(() -> unknown(name, digest));
  }

  /** Whether the repository holds the blob, from the cache when it holds the answer. */
  public boolean contains(RepositoryName name, Digest digest) {
    return linked(name, digest) && cache.blobSize(digest, () -> blobs.size(digest)).isPresent();
  }

  /**
   * Whether the repository holds the blob, asking storage: for writes such as a mount, which must
   * not link a blob on the word of a cache.
   */
  public boolean containsInStorage(RepositoryName name, Digest digest) {
    return links.exists(RegistryPaths.layerLink(name, digest)) && blobs.size(digest).isPresent();
  }

  /**
   * Drops what the cache says about a blob of the repository, after storage turned out not to hold
   * it (its bytes were deleted behind the cache's back).
   */
  public void forget(RepositoryName name, Digest digest) {
    cache.blobDeleted(digest);
    cache.layerUnlinked(name, digest);
  }

  /** Links a blob that the store holds into the repository. */
  public void link(RepositoryName name, Digest digest) {
    links.write(RegistryPaths.layerLink(name, digest), digest);
  }

  /**
   * Removes the repository's link to a blob. The bytes stay until garbage collection.
   *
   * @throws RegistryException {@code BLOB_UNKNOWN} when the repository does not link it
   */
  public void unlink(RepositoryName name, Digest digest) {
    try {
      driver.delete(RegistryPaths.layerLink(name, digest).replaceFirst("/link$", ""));
    } catch (PathNotFoundException missing) {
      throw unknown(name, digest);
    } finally {
      // Storage first, then the cache: a replica that looks after this sees the link gone.
      cache.layerUnlinked(name, digest);
    }
  }

  private boolean linked(RepositoryName name, Digest digest) {
    return cache.layerLinked(
        name, digest, () -> links.exists(RegistryPaths.layerLink(name, digest)));
  }

  /** The store behind the links. */
  public BlobStore store() {
    return blobs;
  }

  private static RegistryException unknown(RepositoryName name, Digest digest) {
    return new RegistryException(
        ErrorCode.BLOB_UNKNOWN,
        "blob " + digest + " is not in repository " + name,
        Map.of("repository", name.value(), "digest", digest.toString()),
        null);
  }
}
