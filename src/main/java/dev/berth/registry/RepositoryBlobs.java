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

  /** Creates the service. */
  public RepositoryBlobs(StorageDriver driver, BlobStore blobs) {
    this.driver = driver;
    this.blobs = blobs;
    this.links = new Links(driver);
  }

  /**
   * The size of a blob of the repository.
   *
   * @throws RegistryException {@code BLOB_UNKNOWN} when the repository does not hold it
   */
  public long size(RepositoryName name, Digest digest) {
    if (!links.exists(RegistryPaths.layerLink(name, digest))) {
      throw unknown(name, digest);
    }
    return blobs.size(digest).orElseThrow(() -> unknown(name, digest));
  }

  /** Whether the repository holds the blob. */
  public boolean contains(RepositoryName name, Digest digest) {
    return links.exists(RegistryPaths.layerLink(name, digest)) && blobs.size(digest).isPresent();
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
    }
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
