package dev.berth.storage.driver.s3;

import static dev.berth.storage.driver.StorageTestData.bytes;
import static dev.berth.storage.driver.StorageTestData.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.StorageSettings;
import dev.berth.storage.driver.FileWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Server-side encryption ({@code encrypt: true}) against a store that accepts it: S3Proxy's
 * in-memory backend. Every kind of write works: whole objects, multipart uploads with a pending
 * tail, multipart copies, and the start-up probe.
 */
class S3EncryptionTest {

  @RegisterExtension static final S3ProxyServer s3 = S3ProxyServer.transientStore();

  @Test
  void encrypt_everyKindOfWrite_succeedsAndRoundTrips() throws IOException {
    s3.createBucket("sealed");
    long mib = S3Settings.MIB;
    StorageSettings.S3 settings =
        S3Settings.withSizes(
            S3Settings.encrypted(s3.settings("sealed", "/r")), 5 * mib, 5 * mib, 1024);
    byte[] large = bytes((int) (11 * mib) + 5, 21);

    try (S3Driver driver = S3Driver.create(settings)) {
      driver.checkBucket();
      driver.putContent("/small", text("sealed"));
      try (FileWriter writer = driver.writer("/_uploads/e/data", false)) {
        writer.write(ByteBuffer.wrap(large, 0, (int) (6 * mib)));
      }
      try (FileWriter writer = driver.writer("/_uploads/e/data", true)) {
        writer.write(ByteBuffer.wrap(large, (int) (6 * mib), large.length - (int) (6 * mib)));
        writer.commit();
      }
      driver.move("/_uploads/e/data", "/blobs/data");

      assertThat(driver.getContent("/small")).isEqualTo(text("sealed"));
      try (InputStream in = driver.reader("/blobs/data", 0)) {
        assertThat(in.readAllBytes()).isEqualTo(large);
      }
      driver.delete("/small");
      driver.delete("/blobs");
    }
    try (S3Client client = s3.client()) {
      assertThat(client.listObjectsV2(b -> b.bucket("sealed")).contents()).isEmpty();
      assertThat(client.listMultipartUploads(b -> b.bucket("sealed")).uploads()).isEmpty();
    }
  }
}
