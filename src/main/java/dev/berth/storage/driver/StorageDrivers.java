package dev.berth.storage.driver;

import dev.berth.config.StorageSettings;
import dev.berth.storage.driver.filesystem.FilesystemDriver;
import dev.berth.storage.driver.inmemory.InMemoryDriver;

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
      case StorageSettings.S3 s3 ->
          throw new StorageException(
              "the s3 storage driver is not built in yet (bucket " + s3.bucket() + ")", null);
    };
  }
}
