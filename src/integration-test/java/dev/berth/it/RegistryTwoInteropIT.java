package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.it.support.BerthServer;
import dev.berth.it.support.DockerRegistry;
import dev.berth.it.support.Http;
import dev.berth.it.support.OciLayout;
import dev.berth.it.support.Processes;
import dev.berth.it.support.RegistryContent;
import dev.berth.it.support.Skopeo;
import dev.berth.it.support.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Berth and CNCF Distribution ({@code registry:2}, Debian's {@code docker-registry}) read each
 * other's storage trees: whatever one wrote, the other serves with the same bytes, digests and
 * headers. Here on a filesystem tree; {@link S3RegistryTwoInteropIT} runs the same on S3.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RegistryTwoInteropIT {
  @TempDir Path temp;

  private OciLayout source;
  private Storage storage;

  /** The storage both registries share in one test: a fresh one for every test. */
  Storage storage(Path temp) {
    return Storage.filesystem(temp.resolve("storage"));
  }

  @BeforeEach
  void buildImages() throws Exception {
    source = OciLayout.create(temp.resolve("source"), 31);
    OciLayout.Blob single = source.addImage("amd64", 40_000, 150_000, 700_000);
    OciLayout.Blob amd64 = source.addImage("amd64", 30_000, 60_000);
    OciLayout.Blob arm64 = source.addImage("arm64", 35_000);
    source.tag(single, "v1");
    source.tag(source.addIndex(List.of(amd64, arm64)), "multi");
    storage = storage(temp);
  }

  @Test
  void berth_treeWrittenByRegistryTwo_servesEverythingIdentically() throws Exception {
    Map<String, Http.Response> expected;
    try (DockerRegistry registry = DockerRegistry.start(storage, temp.resolve("registry"))) {
      push(registry.host());
      expected = RegistryContent.walk(registry.url());
    }

    try (BerthServer berth = BerthServer.start(storage, temp.resolve("berth"), false)) {
      Map<String, Http.Response> served = RegistryContent.walk(berth.url());
      assertSameAnswers(served, expected);
      assertTagsSorted(served);
      pullAndCompare(berth.host());
    }
  }

  @Test
  void registryTwo_treeWrittenByBerth_servesEverythingIdentically() throws Exception {
    Map<String, Http.Response> written;
    try (BerthServer berth = BerthServer.start(storage, temp.resolve("berth"), false)) {
      push(berth.host());
      written = RegistryContent.walk(berth.url());
    }
    assertTagsSorted(written);

    try (DockerRegistry registry = DockerRegistry.start(storage, temp.resolve("registry"))) {
      assertSameAnswers(written, RegistryContent.walk(registry.url()));
      pullAndCompare(registry.host());
    }
  }

  @Test
  void registryTwo_secretFingerprintBerthRecorded_catalogAndGarbageCollectIgnoreIt()
      throws Exception {
    // The record is a file on disk; the S3 subclass shares every other test but not this one.
    assumeTrue(getClass() == RegistryTwoInteropIT.class, "reads the filesystem tree");
    Path root = temp.resolve("fingerprint-root");
    try (BerthServer berth = BerthServer.start(root, false)) {
      push(berth.host());
    }
    Path fingerprint = root.resolve("docker/registry/v2/_berth/http-secret-fingerprint");
    assertThat(fingerprint).exists();
    String recorded = Files.readString(fingerprint);
    Processes.Result gc =
        DockerRegistry.garbageCollect(DockerRegistry.gcConfig(root, temp.resolve("gc.yml")));

    assertThat(gc.stdout() + gc.stderr()).as(gc::describe).doesNotContain("_berth");
    assertThat(Files.readString(fingerprint)).isEqualTo(recorded);
    try (DockerRegistry registry =
        DockerRegistry.start(Storage.filesystem(root), temp.resolve("registry"))) {
      JsonNode catalog = OciLayout.json(Http.get(registry.url() + "/v2/_catalog", "").body());
      assertThat(RegistryContent.sorted(catalog.path("repositories")))
          .containsExactly("interop/app", "plain");
      pullAndCompare(registry.host());
    }
  }

  @Test
  void bothRegistries_sameTreeAtOnce_answerAlike() throws Exception {
    try (DockerRegistry registry = DockerRegistry.start(storage, temp.resolve("registry"));
        BerthServer berth = BerthServer.start(storage, temp.resolve("berth"), false)) {
      Skopeo.copy(
          false, "oci:" + source.dir() + ":v1", "docker://" + registry.host() + "/mixed/a:v1");
      Skopeo.copy(
          true, "oci:" + source.dir() + ":multi", "docker://" + berth.host() + "/mixed/b:multi");

      Map<String, Http.Response> served = RegistryContent.walk(berth.url());
      assertSameAnswers(served, RegistryContent.walk(registry.url()));
      assertTagsSorted(served);
    }
  }

  /** Pushes the image and the index into two repositories, one of them nested. */
  private void push(String host) throws Exception {
    Skopeo.copy(false, "oci:" + source.dir() + ":v1", "docker://" + host + "/interop/app:v1");
    Skopeo.copy(false, "oci:" + source.dir() + ":v1", "docker://" + host + "/interop/app:latest");
    Skopeo.copy(true, "oci:" + source.dir() + ":multi", "docker://" + host + "/interop/app:multi");
    Skopeo.copy(true, "oci:" + source.dir() + ":multi", "docker://" + host + "/plain:multi");
  }

  /** Pulls every image back with skopeo and checks it against what was pushed. */
  private void pullAndCompare(String host) throws Exception {
    Path pulled = temp.resolve("pulled-" + host.replace(':', '-'));
    Skopeo.copy(false, "docker://" + host + "/interop/app:v1", "oci:" + pulled + ":v1");
    Skopeo.copy(true, "docker://" + host + "/plain:multi", "oci:" + pulled + ":multi");

    assertThat(OciLayout.contentDigests(pulled)).isEqualTo(OciLayout.contentDigests(source.dir()));
    for (String tag : List.of("v1", "multi")) {
      assertThat(OciLayout.tagged(pulled, tag).path("digest").asText())
          .isEqualTo(OciLayout.tagged(source.dir(), tag).path("digest").asText());
    }
  }

  /**
   * Manifests and blobs must match byte for byte with the same headers. Tag lists and the catalog
   * must hold the same names: registry:2 (2.8) lists tags in directory order where Berth sorts them
   * as the spec's pagination needs, and ends its JSON with a newline that Berth does not write.
   */
  private static void assertSameAnswers(
      Map<String, Http.Response> actual, Map<String, Http.Response> expected) throws IOException {
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    assertThat(expected.keySet())
        .as("the walk reached manifests and blobs")
        .anyMatch(key -> key.contains("/manifests/sha256:"))
        .anyMatch(key -> key.contains("/blobs/sha256:"));
    SoftAssertions softly = new SoftAssertions();
    for (Map.Entry<String, Http.Response> entry : expected.entrySet()) {
      String request = entry.getKey();
      Http.Response want = entry.getValue();
      Http.Response got = actual.get(request);
      softly.assertThat(want.status()).as("%s status (expected side)", request).isEqualTo(200);
      softly.assertThat(got.status()).as("%s status", request).isEqualTo(want.status());
      softly
          .assertThat(got.contentType())
          .as("%s Content-Type", request)
          .isEqualTo(want.contentType());
      if (request.endsWith("/tags/list")) {
        JsonNode gotJson = OciLayout.json(got.body());
        JsonNode wantJson = OciLayout.json(want.body());
        softly
            .assertThat(gotJson.path("name"))
            .as("%s name", request)
            .isEqualTo(wantJson.path("name"));
        softly
            .assertThat(RegistryContent.sorted(gotJson.path("tags")))
            .as("%s tags", request)
            .isEqualTo(RegistryContent.sorted(wantJson.path("tags")));
        continue;
      }
      if (request.endsWith("/_catalog")) {
        softly
            .assertThat(OciLayout.json(got.body()))
            .as("%s repositories", request)
            .isEqualTo(OciLayout.json(want.body()));
        continue;
      }
      softly
          .assertThat(got.digest())
          .as("%s Docker-Content-Digest", request)
          .isEqualTo(want.digest());
      softly
          .assertThat(got.contentLength())
          .as("%s Content-Length", request)
          .isEqualTo(want.contentLength());
      softly.assertThat(got.body()).as("%s body", request).isEqualTo(want.body());
    }
    softly.assertAll();
  }

  /** Berth lists tags in lexical order, as the spec's {@code n}/{@code last} paging needs. */
  private static void assertTagsSorted(Map<String, Http.Response> berth) throws IOException {
    for (Map.Entry<String, Http.Response> entry : berth.entrySet()) {
      if (entry.getKey().endsWith("/tags/list")) {
        JsonNode tags = OciLayout.json(entry.getValue().body()).path("tags");
        List<String> listed = new ArrayList<>();
        tags.forEach(tag -> listed.add(tag.asText()));
        assertThat(listed).as(entry.getKey()).isNotEmpty().isSorted();
      }
    }
  }
}
