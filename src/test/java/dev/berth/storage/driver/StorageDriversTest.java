package dev.berth.storage.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.StorageSettings;
import dev.berth.storage.driver.filesystem.FilesystemDriver;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageDriversTest {

  @TempDir Path temp;

  @Test
  void create_filesystem_usesRootDirectory() {
    try (StorageDriver driver =
        StorageDrivers.create(new StorageSettings.Filesystem(temp.resolve("registry")))) {
      assertThat(driver).isInstanceOf(FilesystemDriver.class);
      assertThat(driver.name()).isEqualTo("filesystem");
      assertThat(((FilesystemDriver) driver).root()).isEqualTo(temp.resolve("registry"));
    }
  }

  @Test
  void create_inMemory_givesEmptyStore() {
    try (StorageDriver driver = StorageDrivers.create(new StorageSettings.InMemory())) {
      assertThat(driver.name()).isEqualTo("inmemory");
      assertThat(driver.list(StorageKeys.ROOT)).isEmpty();
    }
  }
}
