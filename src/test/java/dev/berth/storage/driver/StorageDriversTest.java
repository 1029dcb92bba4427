package dev.berth.storage.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.StorageSettings;
import dev.berth.storage.driver.filesystem.FilesystemDriver;
import dev.berth.storage.driver.s3.S3Driver;
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

  @Test
  void create_s3_givesS3DriverWithoutContactingS3() {
    StorageSettings.S3 s3 =
        new StorageSettings.S3(
            "ak",
            "sk",
            null,
            null,
            "http://127.0.0.1:9",
            true,
            "registry",
            false,
            null,
            false,
            false,
            true,
            10 << 20,
            32 << 20,
            100,
            32 << 20,
            "/",
            "STANDARD",
            "private",
            null,
            false,
            false,
            "off");

    try (StorageDriver driver = StorageDrivers.create(s3)) {
      assertThat(driver).isInstanceOf(S3Driver.class);
      assertThat(driver.name()).isEqualTo("s3");
    }
  }
}
