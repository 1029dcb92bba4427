package dev.berth.registry;

import dev.berth.oci.Digest;
import dev.berth.oci.RegistryException;
import dev.berth.storage.driver.PathNotFoundException;
import dev.berth.storage.driver.StorageDriver;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reads and writes {@code link} files: a digest string without a trailing newline. */
final class Links {
  private final StorageDriver driver;

  Links(StorageDriver driver) {
    this.driver = driver;
  }

  /** The digest a link holds, or empty when the link does not exist. */
  Optional<Digest> read(String path) {
    byte[] content;
    try {
      content = driver.getContent(path);
    } catch (PathNotFoundException missing) {
      return Optional.empty();
    }
    String text = new String(content, StandardCharsets.US_ASCII).strip();
    try {
      return Optional.of(Digest.parse(text));
    } catch (RegistryException corrupt) {
      throw new CorruptStorageException("link " + path + " does not hold a digest", corrupt);
    }
  }

  /** Whether a link exists. */
  boolean exists(String path) {
    try {
      driver.stat(path);
      return true;
    } catch (PathNotFoundException missing) {
      return false;
    }
  }

  /** Writes a link atomically. */
  void write(String path, Digest digest) {
    driver.putContent(path, digest.toString().getBytes(StandardCharsets.US_ASCII));
  }
}
