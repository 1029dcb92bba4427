package dev.berth.http;

import static dev.berth.http.TestRegistry.OCI_MANIFEST;
import static dev.berth.http.TestRegistry.assertError;
import static dev.berth.http.TestRegistry.bytes;
import static dev.berth.http.TestRegistry.header;
import static dev.berth.http.TestRegistry.location;
import static dev.berth.http.TestRegistry.sha256;
import static dev.berth.http.TestRegistry.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A core subset of the API on the filesystem driver, checking that what lands on disk is
 * registry:2's layout exactly and that no upload leaves its directory behind.
 */
@Timeout(60)
class FilesystemLayoutTest {
  private static final String REPO = "fs/app";
  private static final List<Pattern> LAYOUT =
      List.of(
          Pattern.compile("blobs/sha(256|512)/[0-9a-f]{2}/[0-9a-f]+/data"),
          Pattern.compile("repositories/.+/_layers/sha(256|512)/[0-9a-f]+/link"),
          Pattern.compile("repositories/.+/_manifests/revisions/sha256/[0-9a-f]{64}/link"),
          Pattern.compile("repositories/.+/_manifests/tags/[^/]+/current/link"),
          Pattern.compile("repositories/.+/_manifests/tags/[^/]+/index/sha256/[0-9a-f]{64}/link"),
          Pattern.compile(
              "repositories/.+/_referrers/sha256/[0-9a-f]{64}/sha256/[0-9a-f]{64}/link"),
          // Berth only, outside blobs/ and repositories/: the replicas' secret fingerprint.
          Pattern.compile("_berth/http-secret-fingerprint"));

  @TempDir static Path root;
  private static Path tree;
  private static TestRegistry registry;

  @BeforeAll
  static void start() {
    assumeTrue(
        TestRegistry.target().equals("inmemory"),
        "the filesystem layout is checked on disk, in the default run only; the s3 run's object"
            + " keys are checked by S3DriverTest and the interop tests");
    registry = TestRegistry.filesystem(root, false);
    tree = root.resolve("docker/registry/v2");
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  private static Path blobData(String digest) {
    String[] parts = digest.split(":", 2);
    return tree.resolve("blobs/" + parts[0] + "/" + parts[1].substring(0, 2) + "/" + parts[1])
        .resolve("data");
  }

  private static Path link(String repository, String rest, String digest) {
    String[] parts = digest.split(":", 2);
    return tree.resolve("repositories/" + repository + "/" + rest + "/" + parts[0] + "/" + parts[1])
        .resolve("link");
  }

  private static void assertLink(Path link, String digest) throws IOException {
    assertThat(link).isRegularFile();
    assertThat(Files.readAllBytes(link)).isEqualTo(digest.getBytes(StandardCharsets.US_ASCII));
  }

  private static void assertNoUploadsLeft(String repository) throws IOException {
    Path uploads = tree.resolve("repositories/" + repository + "/_uploads");
    if (Files.exists(uploads)) {
      try (Stream<Path> left = Files.list(uploads)) {
        assertThat(left.toList()).isEmpty();
      }
    }
  }

  @Test
  void monolithicAndChunkedUploads_writeBlobDataAndLayerLinks() throws IOException {
    byte[] small = bytes(5000, 1);
    String smallDigest = registry.pushBlob(REPO, small);
    byte[] large = bytes(300_000, 2);
    String largeDigest = sha256(large);
    String location = registry.startUpload(REPO);
    HttpResponse<byte[]> chunk =
        registry.patch(
            location, Arrays.copyOfRange(large, 0, 200_000), "Content-Range", "0-199999");
    HttpResponse<byte[]> done =
        registry.put(
            location(chunk) + "&digest=" + largeDigest,
            Arrays.copyOfRange(large, 200_000, large.length));
    assertThat(done.statusCode()).isEqualTo(201);

    assertThat(blobData(smallDigest)).hasBinaryContent(small);
    assertThat(blobData(largeDigest)).hasBinaryContent(large);
    assertLink(link(REPO, "_layers", smallDigest), smallDigest);
    assertLink(link(REPO, "_layers", largeDigest), largeDigest);
    assertNoUploadsLeft(REPO);
  }

  @Test
  void sha512Upload_writesItsOwnBlobDirectory() throws IOException {
    byte[] content = bytes(7000, 3);
    String digest = TestRegistry.sha512(content);
    HttpResponse<byte[]> response =
        registry.post("/v2/fs/sha512/blobs/uploads/?digest=" + digest, content);
    assertThat(response.statusCode()).isEqualTo(201);

    assertThat(blobData(digest)).hasBinaryContent(content);
    assertLink(link("fs/sha512", "_layers", digest), digest);
    assertNoUploadsLeft("fs/sha512");
  }

  @Test
  void cancelledAndFailedUploads_leaveNoUploadDirectory() throws IOException {
    String cancelled = registry.startUpload("fs/uploads");
    HttpResponse<byte[]> chunk = registry.patch(cancelled, bytes(1000, 4));
    assertThat(tree.resolve("repositories/fs/uploads/_uploads")).isDirectory();
    assertThat(registry.delete(location(chunk)).statusCode()).isEqualTo(204);

    String failed = registry.startUpload("fs/uploads");
    byte[] content = bytes(1000, 5);
    HttpResponse<byte[]> wrong =
        registry.put(failed + "&digest=" + sha256(utf8("something else")), content);
    assertError(wrong, 400, "DIGEST_INVALID");
    HttpResponse<byte[]> monolithicWrong =
        registry.post("/v2/fs/uploads/blobs/uploads/?digest=" + sha256(utf8("other")), content);
    assertError(monolithicWrong, 400, "DIGEST_INVALID");

    assertNoUploadsLeft("fs/uploads");
    assertThat(blobData(sha256(content))).doesNotExist();
    assertThat(tree.resolve("repositories/fs/uploads/_layers")).doesNotExist();
  }

  @Test
  void manifestPush_writesRevisionAndTagLinks_andSurvivesRestart() throws IOException {
    TestRegistry.Image image = registry.pushImage("fs/image", "v1", "fs");
    String digest = image.digest();

    assertThat(blobData(digest)).hasBinaryContent(image.manifest());
    assertLink(link("fs/image", "_manifests/revisions", digest), digest);
    assertLink(tree.resolve("repositories/fs/image/_manifests/tags/v1/current/link"), digest);
    assertLink(link("fs/image", "_manifests/tags/v1/index", digest), digest);
    assertLink(link("fs/image", "_layers", sha256(image.config())), sha256(image.config()));
    assertLink(link("fs/image", "_layers", sha256(image.layer())), sha256(image.layer()));

    try (TestRegistry restarted = TestRegistry.filesystem(root, false)) {
      HttpResponse<byte[]> manifest = restarted.get("/v2/fs/image/manifests/v1");
      assertThat(manifest.statusCode()).isEqualTo(200);
      assertThat(manifest.body()).isEqualTo(image.manifest());
      assertThat(header(manifest, "Content-Type")).isEqualTo(OCI_MANIFEST);
      assertThat(restarted.get("/v2/fs/image/blobs/" + sha256(image.layer())).body())
          .isEqualTo(image.layer());
    }
  }

  @Test
  void wholeTree_holdsOnlyRegistry2LayoutFiles() throws IOException {
    registry.pushImage("fs/tree", "v1", "tree");
    String location = registry.startUpload("fs/tree");
    registry.delete(location);

    List<String> files;
    try (Stream<Path> walk = Files.walk(tree)) {
      files =
          walk.filter(Files::isRegularFile)
              .map(path -> tree.relativize(path).toString().replace('\\', '/'))
              .toList();
    }

    assertThat(files).isNotEmpty();
    assertThat(files)
        .allSatisfy(
            file ->
                assertThat(LAYOUT.stream().anyMatch(p -> p.matcher(file).matches()))
                    .as(file)
                    .isTrue());
    assertNoUploadsLeft("fs/tree");
  }
}
