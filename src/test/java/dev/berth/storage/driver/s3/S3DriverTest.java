package dev.berth.storage.driver.s3;

import static dev.berth.storage.driver.StorageTestData.bytes;
import static dev.berth.storage.driver.StorageTestData.sha256;
import static dev.berth.storage.driver.StorageTestData.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.StorageSettings;
import dev.berth.storage.driver.FileWriter;
import dev.berth.storage.driver.PathNotFoundException;
import dev.berth.storage.driver.StorageDriver;
import dev.berth.storage.driver.StorageDriverContract;
import dev.berth.storage.driver.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Runs the driver contract on the {@code s3} driver against a real S3 server (S3Proxy, SigV4,
 * path-style), plus what only S3 has: multipart uploads of many parts resumed by other driver
 * instances, part-size growth, multipart copies, aborts, the key layout, and presigned URLs.
 */
class S3DriverTest extends StorageDriverContract {

  @RegisterExtension static final S3ProxyServer s3 = S3ProxyServer.filesystem();

  private static final String BUCKET = "berth-contract";
  private static final AtomicInteger roots = new AtomicInteger();
  private static final long KIB = 1024;

  /**
   * Small parts for tests of uploads that are never completed: S3Proxy accepts parts below AWS's 5
   * MiB and refuses them only when the upload is completed.
   */
  private static final S3Limits SMALL_PARTS = new S3Limits(16 * KIB, 20);

  private String rootDirectory = "";

  @Override
  protected StorageDriver createDriver() {
    if (roots.get() == 0) {
      synchronized (S3DriverTest.class) {
        if (roots.get() == 0) {
          s3.createBucket(BUCKET);
        }
      }
    }
    // A fresh root per test: an empty key space without a bucket per test.
    rootDirectory = "/test-" + roots.incrementAndGet();
    StorageSettings.S3 settings =
        S3Settings.withSizes(
            s3.settings(BUCKET, rootDirectory), 5 * S3Settings.MIB, 5 * S3Settings.MIB, 32 * KIB);
    return S3Driver.create(settings);
  }

  @Override
  protected void assertNoHiddenLeftovers(Set<String> expectedObjects) {
    String prefix = rootDirectory.substring(1) + "/";
    assertThat(rawKeys(prefix))
        .as("keys in the bucket, pending tails included")
        .containsExactlyInAnyOrderElementsOf(
            expectedObjects.stream().map(path -> prefix + path.substring(1)).toList());
    assertThat(uploads(prefix)).as("multipart uploads in progress").isEmpty();
  }

  @Test
  void keys_rootDirectory_matchRegistry2Layout() {
    try (S3Driver rooted =
        S3Driver.create(s3.settings(BUCKET, "/" + rootDirectory.substring(1) + "/nested//"))) {
      rooted.putContent("/docker/registry/v2/repositories/a/_layers/link", text("sha256:x"));

      assertThat(rawKeys(rootDirectory.substring(1) + "/"))
          .containsExactly(
              rootDirectory.substring(1)
                  + "/nested/docker/registry/v2/repositories/a/_layers/link");
      assertThat(rooted.list("/docker/registry/v2/repositories"))
          .containsExactly("/docker/registry/v2/repositories/a");
      rooted.delete("/docker");
    }
  }

  @Test
  void writer_partsAcrossDrivers_growPartSizeAndRoundTrip() throws IOException {
    long mib = S3Settings.MIB;
    byte[] content = bytes((int) (21 * mib) + 777, 11);
    int[] cuts = {0, 100_000, (int) (7 * mib), (int) (7 * mib), (int) (16 * mib), content.length};
    StorageSettings.S3 settings =
        S3Settings.withSizes(s3.settings(BUCKET, rootDirectory), 5 * mib, 5 * mib, 0);
    // With at most 10 parts, the part size doubles as soon as it is below what is uploaded.
    S3Limits fewParts = new S3Limits(5 * mib, 10);

    for (int i = 0; i + 1 < cuts.length; i++) {
      // Each step in a new driver, as when every PATCH lands on another replica.
      try (S3Driver replica = S3Driver.create(settings, fewParts);
          FileWriter writer = replica.writer("/_uploads/u/data", i > 0)) {
        assertThat(writer.size()).isEqualTo(cuts[i]);
        writer.write(ByteBuffer.wrap(content, cuts[i], cuts[i + 1] - cuts[i]));
        assertThat(writer.size()).isEqualTo(cuts[i + 1]);
        if (i + 2 == cuts.length) {
          assertThat(partSizes(rootDirectory.substring(1) + "/_uploads/u/data"))
              .as("part sizes, grown from the 5 MiB chunk size")
              .containsExactly(5 * mib, 5 * mib, 10 * mib);
          assertThatThrownBy(() -> driver.stat("/_uploads/u/data"))
              .as("nothing visible at the key before commit")
              .isInstanceOf(PathNotFoundException.class);
          writer.commit();
        }
      }
    }

    assertThat(driver.stat("/_uploads/u/data").size()).isEqualTo(content.length);
    assertThat(sha256(readAll("/_uploads/u/data"))).isEqualTo(sha256(content));
    expectRemaining("/_uploads/u/data");
  }

  @Test
  void writer_closedHoldingAtLeastAMinimumPart_uploadsItAsAPartInsteadOfATail() throws IOException {
    // A client pushing 8 MiB chunks with the default 10 MiB chunk size: each chunk must become a
    // part of its own, written once, instead of a tail object stored, read back and written again.
    long mib = S3Settings.MIB;
    byte[] content = bytes((int) (17 * mib), 19);
    int[] cuts = {0, (int) (8 * mib), (int) (16 * mib), content.length};
    StorageSettings.S3 settings =
        S3Settings.withSizes(s3.settings(BUCKET, rootDirectory), 10 * mib, 5 * mib, 0);
    String key = rootDirectory.substring(1) + "/_uploads/c/data";
    List<List<Long>> partsAfterEachClose = new ArrayList<>();
    List<Boolean> tailAfterEachClose = new ArrayList<>();

    for (int i = 0; i + 1 < cuts.length; i++) {
      try (S3Driver replica = S3Driver.create(settings);
          FileWriter writer = replica.writer("/_uploads/c/data", i > 0)) {
        assertThat(writer.size()).isEqualTo(cuts[i]);
        writer.write(ByteBuffer.wrap(content, cuts[i], cuts[i + 1] - cuts[i]));
      }
      partsAfterEachClose.add(partSizes(key));
      tailAfterEachClose.add(rawKeys(key).stream().anyMatch(k -> k.endsWith("~pending")));
    }

    assertThat(partsAfterEachClose)
        .containsExactly(List.of(8 * mib), List.of(8 * mib, 8 * mib), List.of(8 * mib, 8 * mib));
    assertThat(tailAfterEachClose)
        .as("a tail object only for the last MiB, below S3's 5 MiB minimum part")
        .containsExactly(false, false, true);
    try (S3Driver replica = S3Driver.create(settings);
        FileWriter writer = replica.writer("/_uploads/c/data", true)) {
      assertThat(writer.size()).isEqualTo(content.length);
      writer.commit();
    }
    assertThat(sha256(readAll("/_uploads/c/data"))).isEqualTo(sha256(content));
    expectRemaining("/_uploads/c/data");
  }

  @Test
  void writer_blobBeyondChunkSizeTimesPartLimit_growsPartsAndRoundTrips() throws IOException {
    // The 10,000-part limit scaled down to 10: at a fixed 5 MiB part size a blob above 50 MiB
    // could not be stored, as a blob above 10 MiB x 10,000 could not on AWS with the defaults.
    long mib = S3Settings.MIB;
    S3Limits tenParts = new S3Limits(5 * mib, 10);
    byte[] content = bytes((int) (51 * mib) + 3, 18);
    StorageSettings.S3 settings =
        S3Settings.withSizes(s3.settings(BUCKET, rootDirectory), 5 * mib, 5 * mib, 64 * mib);

    try (S3Driver small = S3Driver.create(settings, tenParts);
        FileWriter writer = small.writer("/_uploads/g/data", false)) {
      for (int offset = 0; offset < content.length; offset += (int) mib) {
        writer.write(
            ByteBuffer.wrap(content, offset, Math.min((int) mib, content.length - offset)));
      }
      List<Long> parts = partSizes(rootDirectory.substring(1) + "/_uploads/g/data");
      assertThat(parts)
          .as("parts uploaded before the commit, growing from the 5 MiB chunk size")
          .containsExactly(5 * mib, 5 * mib, 10 * mib, 20 * mib);
      assertThat(content.length).isGreaterThan((int) (5 * mib * tenParts.maximumParts()));
      writer.commit();
    }

    assertThat(driver.stat("/_uploads/g/data").size()).isEqualTo(content.length);
    assertThat(sha256(readAll("/_uploads/g/data"))).isEqualTo(sha256(content));
    expectRemaining("/_uploads/g/data");
  }

  @Test
  void writer_cancelAfterParts_abortsMultipartUpload() {
    StorageSettings.S3 settings =
        S3Settings.withSizes(s3.settings(BUCKET, rootDirectory), 16 * KIB, 16 * KIB, 0);
    try (S3Driver small = S3Driver.create(settings, SMALL_PARTS)) {
      try (FileWriter writer = small.writer("/_uploads/c/data", false)) {
        writer.write(ByteBuffer.wrap(bytes(100_000, 12)));
      }
      assertThat(uploads(rootDirectory.substring(1) + "/")).hasSize(1);

      try (FileWriter writer = small.writer("/_uploads/c/data", true)) {
        assertThat(writer.size()).isEqualTo(100_000);
        writer.cancel();
      }
    }
    // The contract's after-test check finds no objects, tails or multipart uploads left.
  }

  @Test
  void delete_uploadDirectory_abortsMultipartUploadAndRemovesTail() {
    StorageSettings.S3 settings =
        S3Settings.withSizes(s3.settings(BUCKET, rootDirectory), 16 * KIB, 16 * KIB, 0);
    try (S3Driver small = S3Driver.create(settings, SMALL_PARTS)) {
      small.putContent("/_uploads/d/startedat", text("2026-01-01T00:00:00Z"));
      try (FileWriter writer = small.writer("/_uploads/d/data", false)) {
        writer.write(ByteBuffer.wrap(bytes(40_000, 13)));
      }
      assertThat(small.list("/_uploads/d"))
          .as("the pending tail is not listed")
          .containsExactly("/_uploads/d/startedat");

      small.delete("/_uploads/d");
    }
  }

  @Test
  void writer_previousWriterDiedAfterUploadingTail_refusesToResume() {
    StorageSettings.S3 settings =
        S3Settings.withSizes(s3.settings(BUCKET, rootDirectory), 16 * KIB, 16 * KIB, 0);
    try (S3Driver small = S3Driver.create(settings, SMALL_PARTS)) {
      try (FileWriter writer = small.writer("/_uploads/x/data", false)) {
        writer.write(ByteBuffer.wrap(bytes(20_000, 14)));
      }
      FileWriter dying = small.writer("/_uploads/x/data", true);
      dying.write(ByteBuffer.wrap(bytes(20_000, 15))); // uploads a part holding the stored tail
      // ...and the process dies here, without close().

      assertThatThrownBy(() -> small.writer("/_uploads/x/data", true))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("must be restarted");
      small.delete("/_uploads/x");
    }
  }

  @Test
  void move_aboveThreshold_copiesInPartsServerSide() throws IOException {
    long mib = S3Settings.MIB;
    StorageSettings.S3 settings =
        S3Settings.withSizes(s3.settings(BUCKET, rootDirectory), 5 * mib, 5 * mib, 32 * KIB);
    byte[] content = bytes((int) (11 * mib), 16);
    try (S3Driver small = S3Driver.create(settings)) {
      small.putContent("/staging/blob", content);

      small.move("/staging/blob", "/blobs/sha256/ab/abcd/data");

      assertThat(small.getContent("/blobs/sha256/ab/abcd/data")).isEqualTo(content);
      assertThat(small.list("/")).containsExactly("/blobs");
    }
    assertThat(uploads(rootDirectory.substring(1) + "/")).isEmpty();
    expectRemaining("/blobs/sha256/ab/abcd/data");
  }

  @Test
  void redirectUrl_get_servesObjectAndRanges() throws Exception {
    byte[] content = bytes(5000, 17);
    driver.putContent("/blobs/data", content);

    URI get = driver.redirectUrl("/blobs/data", "GET", Duration.ofMinutes(20)).orElseThrow();
    URI head = driver.redirectUrl("/blobs/data", "HEAD", Duration.ofMinutes(20)).orElseThrow();

    assertThat(get.getRawQuery()).contains("X-Amz-Expires=1200");
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<byte[]> whole =
        http.send(HttpRequest.newBuilder(get).build(), HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<byte[]> range =
        http.send(
            HttpRequest.newBuilder(get).header("Range", "bytes=100-199").build(),
            HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<Void> headResponse =
        http.send(
            HttpRequest.newBuilder(head)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.body()).isEqualTo(content);
    assertThat(range.statusCode()).isEqualTo(206);
    assertThat(range.body()).isEqualTo(Arrays.copyOfRange(content, 100, 200));
    assertThat(headResponse.statusCode()).isEqualTo(200);
    assertThat(driver.redirectUrl("/blobs/data", "DELETE", Duration.ofMinutes(1))).isEmpty();
    expectRemaining("/blobs/data");
  }

  private byte[] readAll(String path) throws IOException {
    try (InputStream in = driver.reader(path, 0)) {
      return in.readAllBytes();
    }
  }

  private static List<String> rawKeys(String prefix) {
    try (S3Client client = s3.client()) {
      return client.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
          .map(S3Object::key)
          .toList();
    }
  }

  private static List<Long> partSizes(String key) {
    try (S3Client client = s3.client()) {
      String uploadId =
          client
              .listMultipartUploads(b -> b.bucket(BUCKET).prefix(key))
              .uploads()
              .get(0)
              .uploadId();
      return client.listParts(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)).parts().stream()
          .map(Part::size)
          .toList();
    }
  }

  private static List<MultipartUpload> uploads(String prefix) {
    try (S3Client client = s3.client()) {
      return client.listMultipartUploads(b -> b.bucket(BUCKET).prefix(prefix)).uploads();
    }
  }
}
