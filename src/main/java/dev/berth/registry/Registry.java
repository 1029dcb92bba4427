package dev.berth.registry;

import dev.berth.storage.driver.StorageDriver;

/**
 * The registry's services over one storage driver, wired together.
 *
 * @param driver the storage driver
 * @param blobs the blobs of repositories
 * @param uploads blob upload sessions
 * @param manifests manifests and their revisions
 * @param tags tag listing and deletion
 * @param catalog the repository catalog
 * @param referrers the referrers API
 */
public record Registry(
    StorageDriver driver,
    RepositoryBlobs blobs,
    UploadService uploads,
    ManifestService manifests,
    TagService tags,
    CatalogService catalog,
    ReferrerService referrers) {

  /** The manifest cache size: manifests are small, and pulls read the same few again and again. */
  private static final long MANIFEST_CACHE_BYTES = 32L * 1024 * 1024;

  /** Builds every service over the driver, without a shared cache. */
  public static Registry over(StorageDriver driver) {
    return over(driver, LookupCache.none());
  }

  /** Builds every service over the driver, with lookups a shared cache may answer. */
  public static Registry over(StorageDriver driver, LookupCache lookups) {
    RepositoryBlobs blobs = new RepositoryBlobs(driver, new BlobStore(driver), lookups);
    ManifestService manifests =
        new ManifestService(driver, blobs, new ManifestCache(MANIFEST_CACHE_BYTES), lookups);
    return new Registry(
        driver,
        blobs,
        new UploadService(driver, blobs),
        manifests,
        new TagService(driver, lookups),
        new CatalogService(driver),
        new ReferrerService(driver, manifests));
  }
}
