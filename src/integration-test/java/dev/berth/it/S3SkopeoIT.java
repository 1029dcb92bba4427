package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.it.support.AccessLog;
import dev.berth.it.support.BerthServer;
import dev.berth.it.support.OciLayout;
import dev.berth.it.support.Skopeo;
import dev.berth.it.support.Storage;
import dev.berth.storage.driver.s3.S3ProxyServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * skopeo pushes and pulls through Berth (the jar as a process) on an S3 bucket (S3Proxy): with
 * redirects on, skopeo follows each blob GET's 307 to a presigned S3Proxy URL; with {@code
 * storage.redirect.disable: true}, Berth serves the bytes itself. Either way the image and the
 * index come back byte for byte.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class S3SkopeoIT {
  private static final String BUCKET = "skopeo";

  @RegisterExtension static final S3ProxyServer s3 = S3ProxyServer.filesystem();

  @TempDir Path temp;

  @BeforeAll
  static void bucket() {
    s3.createBucket(BUCKET);
  }

  @ParameterizedTest(name = "redirect.disable={0}")
  @ValueSource(booleans = {false, true})
  void copy_imageAndIndexOnS3_pullBackByteIdentical(boolean redirectDisabled) throws Exception {
    OciLayout source = OciLayout.create(temp.resolve("source"), redirectDisabled ? 41 : 42);
    // One layer above the 10 MiB chunk size, so that its upload is a multipart upload.
    OciLayout.Blob image = source.addImage("amd64", 60_000, 11 * 1024 * 1024, 250_000);
    OciLayout.Blob amd64 = source.addImage("amd64", 40_000);
    OciLayout.Blob arm64 = source.addImage("arm64", 30_000, 20_000);
    OciLayout.Blob index = source.addIndex(List.of(amd64, arm64));
    source.tag(image, "v1");
    source.tag(index, "multi");
    Storage storage =
        Storage.s3(
            s3.endpoint(), BUCKET, "/redirect-disable-" + redirectDisabled, redirectDisabled);

    try (BerthServer berth = BerthServer.start(storage, temp.resolve("berth"), false)) {
      String repository = "docker://" + berth.host() + "/s3/app";
      Skopeo.copy(false, "oci:" + source.dir() + ":v1", repository + ":v1");
      Skopeo.copy(true, "oci:" + source.dir() + ":multi", repository + ":multi");
      Path pulled = temp.resolve("pulled");
      Skopeo.copy(false, repository + ":v1", "oci:" + pulled + ":v1");
      Skopeo.copy(true, repository + ":multi", "oci:" + pulled + ":multi");

      assertThat(OciLayout.tagged(pulled, "v1").path("digest").asText()).isEqualTo(image.digest());
      assertThat(OciLayout.tagged(pulled, "multi").path("digest").asText())
          .isEqualTo(index.digest());
      assertThat(OciLayout.contentDigests(pulled))
          .isEqualTo(OciLayout.contentDigests(source.dir()));
      List<Integer> blobGets =
          berth.accessLog().stream()
              .filter(entry -> entry.method().equals("GET") && entry.path().contains("/blobs/"))
              .map(AccessLog.Entry::status)
              .toList();
      assertThat(blobGets)
          .as("statuses of the blob GETs")
          .isNotEmpty()
          .containsOnly(redirectDisabled ? 200 : 307);
    }
  }
}
