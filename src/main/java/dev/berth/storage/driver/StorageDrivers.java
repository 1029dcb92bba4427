package dev.berth.storage.driver;

import dev.berth.config.StorageSettings;
import dev.berth.storage.driver.filesystem.FilesystemDriver;
import dev.berth.storage.driver.inmemory.InMemoryDriver;
import dev.berth.storage.driver.s3.S3Driver;

/** Creates the storage driver the configuration chose. */
public final class StorageDrivers {

  private StorageDrivers() {}

  /**
   * Creates the driver for {@code settings}. The caller owns it and closes it at shutdown.
   *
   * @throws StorageException when the driver cannot be created or is not available in this build
   */
  public static StorageDriver create(StorageSettings.Driver settings) {
    return switch (settings) {
      case StorageSettings.Filesystem filesystem ->
          new FilesystemDriver(filesystem.rootDirectory());
      case StorageSettings.InMemory inMemory -> new InMemoryDriver();
      // The caller runs S3Driver.checkBucket() at start-up, so that a wrong bucket, endpoint or
      // credentials fail before the first request rather than on it.
      case StorageSettings.S3 s3 -> S3Driver.create(s3);
    };
  }
}
