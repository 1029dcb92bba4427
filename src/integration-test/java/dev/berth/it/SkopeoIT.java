package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.it.support.BerthServer;
import dev.berth.it.support.Http;
import dev.berth.it.support.OciLayout;
import dev.berth.it.support.Processes;
import dev.berth.it.support.Skopeo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Pushes, pulls, inspects, lists and deletes images on Berth with Debian's {@code skopeo}. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SkopeoIT {
  @TempDir Path temp;

  @Test
  void copy_multiLayerImage_pullsBackByteIdentical() throws Exception {
    OciLayout source = OciLayout.create(temp.resolve("source"), 11);
    OciLayout.Blob manifest = source.addImage("amd64", 70_000, 300_000, 1_200_000);
    source.tag(manifest, "v1");

    try (BerthServer berth = BerthServer.start(temp.resolve("root"), false)) {
      String image = "docker://" + berth.host() + "/skopeo/multi-layer:v1";
      Skopeo.copy(false, "oci:" + source.dir() + ":v1", image);
      Path pulled = temp.resolve("pulled");
      Skopeo.copy(false, image, "oci:" + pulled + ":v1");

      assertThat(OciLayout.tagged(pulled, "v1").path("digest").asText())
          .isEqualTo(manifest.digest());
      assertThat(OciLayout.contentDigests(pulled))
          .isEqualTo(OciLayout.contentDigests(source.dir()));
      assertThat(OciLayout.contentDigests(pulled)).hasSize(5);
    }
  }

  @Test
  void copyAll_twoPlatformIndex_pullsBackByteIdentical() throws Exception {
    OciLayout source = OciLayout.create(temp.resolve("source"), 12);
    OciLayout.Blob amd64 = source.addImage("amd64", 50_000, 90_000);
    OciLayout.Blob arm64 = source.addImage("arm64", 60_000, 80_000);
    OciLayout.Blob index = source.addIndex(List.of(amd64, arm64));
    source.tag(index, "multi");

    try (BerthServer berth = BerthServer.start(temp.resolve("root"), false)) {
      String image = "docker://" + berth.host() + "/skopeo/index:multi";
      Skopeo.copy(true, "oci:" + source.dir() + ":multi", image);
      Path pulled = temp.resolve("pulled");
      Skopeo.copy(true, image, "oci:" + pulled + ":multi");

      assertThat(OciLayout.tagged(pulled, "multi").path("digest").asText())
          .isEqualTo(index.digest());
      assertThat(OciLayout.contentDigests(pulled))
          .isEqualTo(OciLayout.contentDigests(source.dir()));

      Http.Response served =
          Http.get(berth.url() + "/v2/skopeo/index/manifests/multi", Http.MANIFEST_TYPES);
      assertThat(served.contentType()).isEqualTo(OciLayout.INDEX);
      assertThat(served.digest()).isEqualTo(index.digest());
      assertThat(served.body()).isEqualTo(index.bytes());
    }
  }

  @Test
  void inspect_imageAndIndex_reportServedManifestsAndConfig() throws Exception {
    OciLayout source = OciLayout.create(temp.resolve("source"), 13);
    OciLayout.Blob amd64 = source.addImage("amd64", 40_000, 20_000);
    OciLayout.Blob arm64 = source.addImage("arm64", 30_000);
    OciLayout.Blob index = source.addIndex(List.of(amd64, arm64));
    source.tag(amd64, "single");
    source.tag(index, "multi");

    try (BerthServer berth = BerthServer.start(temp.resolve("root"), false)) {
      String single = "docker://" + berth.host() + "/skopeo/inspect:single";
      String multi = "docker://" + berth.host() + "/skopeo/inspect:multi";
      Skopeo.copy(false, "oci:" + source.dir() + ":single", single);
      Skopeo.copy(true, "oci:" + source.dir() + ":multi", multi);

      JsonNode inspected = json(Skopeo.run("inspect", "--tls-verify=false", single));
      assertThat(inspected.path("Digest").asText()).isEqualTo(amd64.digest());
      assertThat(inspected.path("Architecture").asText()).isEqualTo("amd64");
      assertThat(inspected.path("Os").asText()).isEqualTo("linux");
      assertThat(texts(inspected.path("Layers"))).isEqualTo(layerDigests(amd64));

      assertThat(raw(Skopeo.run("inspect", "--tls-verify=false", "--raw", single)))
          .isEqualTo(amd64.bytes());
      assertThat(raw(Skopeo.run("inspect", "--tls-verify=false", "--raw", multi)))
          .isEqualTo(index.bytes());
      byte[] config = raw(Skopeo.run("inspect", "--tls-verify=false", "--config", "--raw", single));
      assertThat(OciLayout.digest(config))
          .isEqualTo(OciLayout.json(amd64.bytes()).path("config").path("digest").asText());

      JsonNode armInspected =
          json(Skopeo.run("inspect", "--tls-verify=false", "--override-arch", "arm64", multi));
      // skopeo reports the digest of what the reference names (the index) and the details of the
      // platform's image that it picked from it.
      assertThat(armInspected.path("Digest").asText()).isEqualTo(index.digest());
      assertThat(armInspected.path("Architecture").asText()).isEqualTo("arm64");
      assertThat(texts(armInspected.path("Layers"))).isEqualTo(layerDigests(arm64));
    }
  }

  @Test
  void listTags_threeTagsOnOneImage_listsEveryTag() throws Exception {
    OciLayout source = OciLayout.create(temp.resolve("source"), 14);
    OciLayout.Blob manifest = source.addImage("amd64", 10_000);
    source.tag(manifest, "v1");

    try (BerthServer berth = BerthServer.start(temp.resolve("root"), false)) {
      String repository = berth.host() + "/skopeo/tags";
      for (String tag : List.of("v1", "v1.2", "latest")) {
        Skopeo.copy(false, "oci:" + source.dir() + ":v1", "docker://" + repository + ":" + tag);
      }

      JsonNode listed =
          json(Skopeo.run("list-tags", "--tls-verify=false", "docker://" + repository));
      assertThat(listed.path("Repository").asText()).isEqualTo(repository);
      assertThat(texts(listed.path("Tags"))).containsExactlyInAnyOrder("v1", "v1.2", "latest");
    }
  }

  @Test
  void delete_taggedImage_goneByTagAndDigestBlobsKept() throws Exception {
    OciLayout source = OciLayout.create(temp.resolve("source"), 15);
    OciLayout.Blob manifest = source.addImage("amd64", 25_000, 35_000);
    source.tag(manifest, "v1");

    try (BerthServer berth = BerthServer.start(temp.resolve("root"), true)) {
      String image = "docker://" + berth.host() + "/skopeo/delete:v1";
      Skopeo.copy(false, "oci:" + source.dir() + ":v1", image);
      String manifests = berth.url() + "/v2/skopeo/delete/manifests/";
      assertThat(Http.get(manifests + "v1", Http.MANIFEST_TYPES).status()).isEqualTo(200);

      Skopeo.run("delete", "--tls-verify=false", image);

      assertThat(Http.get(manifests + manifest.digest(), Http.MANIFEST_TYPES).status())
          .isEqualTo(404);
      assertThat(Http.get(manifests + "v1", Http.MANIFEST_TYPES).status()).isEqualTo(404);
      assertThat(Skopeo.attempt("inspect", "--tls-verify=false", "--raw", image).exitCode())
          .isNotZero();
      // Deleting a manifest leaves its layers to garbage collection.
      String layer = layerDigests(manifest).get(0);
      assertThat(Http.get(berth.url() + "/v2/skopeo/delete/blobs/" + layer, "").status())
          .isEqualTo(200);
    }
  }

  @Test
  void delete_deletesDisabled_refusedAndImageKept() throws Exception {
    OciLayout source = OciLayout.create(temp.resolve("source"), 16);
    OciLayout.Blob manifest = source.addImage("amd64", 5_000);
    source.tag(manifest, "v1");

    try (BerthServer berth = BerthServer.start(temp.resolve("root"), false)) {
      String image = "docker://" + berth.host() + "/skopeo/kept:v1";
      Skopeo.copy(false, "oci:" + source.dir() + ":v1", image);

      Processes.Result refused = Skopeo.attempt("delete", "--tls-verify=false", image);

      assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
      Http.Response kept =
          Http.get(berth.url() + "/v2/skopeo/kept/manifests/v1", Http.MANIFEST_TYPES);
      assertThat(kept.status()).isEqualTo(200);
      assertThat(kept.body()).isEqualTo(manifest.bytes());
    }
  }

  static List<String> layerDigests(OciLayout.Blob manifest) throws IOException {
    return texts(OciLayout.json(manifest.bytes()).path("layers").findValues("digest"));
  }

  private static List<String> texts(Iterable<JsonNode> nodes) {
    List<String> texts = new ArrayList<>();
    nodes.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  private static JsonNode json(Processes.Result result) throws IOException {
    return OciLayout.json(result.stdout().getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] raw(Processes.Result result) {
    // skopeo prints the raw bytes as they were served; it adds no newline for manifests.
    return result.stdout().getBytes(StandardCharsets.UTF_8);
  }
}
