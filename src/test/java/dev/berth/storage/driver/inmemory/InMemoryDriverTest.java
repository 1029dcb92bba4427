package dev.berth.storage.driver.inmemory;

import dev.berth.storage.driver.StorageDriver;
import dev.berth.storage.driver.StorageDriverContract;

/** Runs the driver contract against the {@code inmemory} driver. */
class InMemoryDriverTest extends StorageDriverContract {

  @Override
  protected StorageDriver createDriver() {
    return new InMemoryDriver();
  }
}
