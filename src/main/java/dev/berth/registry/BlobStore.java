package dev.berth.registry;

import dev.berth.oci.Digest;
import dev.berth.storage.driver.FileInfo;
import dev.berth.storage.driver.PathNotFoundException;
import dev.berth.storage.driver.StorageDriver;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The registry-wide, content-addressed store of blob bytes. Repositories reach it only through
 * their links ({@link RepositoryBlobs}); nothing here knows about repositories.
 */
public final class BlobStore {
  private final StorageDriver driver;

  /** Creates the store over a driver. */
  public BlobStore(StorageDriver driver) {
    this.driver = driver;
  }

  /** The size of the blob, or empty when the store does not hold it. */
  public Optional<Long> size(Digest digest) {
    try {
      FileInfo info = driver.stat(RegistryPaths.blobData(digest));
      return info.directory() ? Optional.empty() : Optional.of(info.size());
    } catch (PathNotFoundException missing) {
      return Optional.empty();
    }
  }

  /** Reads a whole blob; meant for manifests. */
  public byte[] read(Digest digest) {
    return driver.getContent(RegistryPaths.blobData(digest));
  }

  /** Stores bytes under their digest unless they are there already. */
  public void put(Digest digest, byte[] content) {
    if (size(digest).isEmpty()) {
      driver.putContent(RegistryPaths.blobData(digest), content);
    }
  }

  /** Opens the blob at an offset. */
  public InputStream open(Digest digest, long offset) {
    return driver.reader(RegistryPaths.blobData(digest), offset);
  }

  /** The local file of the blob when the driver keeps one. */
  public Optional<Path> localFile(Digest digest) {
    return driver.localFile(RegistryPaths.blobData(digest));
  }

  /** A URL the client may fetch the blob from directly, when the driver offers one. */
  public Optional<URI> redirectUrl(Digest digest, String method, Duration expiry) {
    return driver.redirectUrl(RegistryPaths.blobData(digest), method, expiry);
  }

  /** Deletes the blob's bytes. */
  public void delete(Digest digest) {
    driver.delete(RegistryPaths.blobDirectory(digest));
  }
}
