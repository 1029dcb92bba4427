package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import dev.berth.it.support.AccessLog;
import dev.berth.it.support.BerthServer;
import dev.berth.it.support.Http;
import dev.berth.it.support.OciLayout;
import dev.berth.it.support.Skopeo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds images with jib-core on a base image that lives in Berth, and checks that the second image
 * mounts the base layer instead of uploading it again.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class JibIT {
  private static final int BASE_LAYER_SIZE = 2 * 1024 * 1024;

  @TempDir Path temp;

  private final List<String> jibLog = Collections.synchronizedList(new ArrayList<>());

  @Test
  void containerize_twoImagesOnOneBase_mountBaseLayerAndPullBack() throws Exception {
    try (BerthServer berth = BerthServer.start(temp.resolve("root"), false)) {
      JibContainer base = buildBase(berth);
      String baseRef = berth.host() + "/jib/base:1";
      List<String> baseLayers = layerDigests(berth, "jib/base", base.getDigest().toString());
      assertThat(baseLayers).hasSize(1);

      JibContainer one = buildApp(berth, baseRef, "jib/app-one", "one");
      JibContainer two = buildApp(berth, baseRef, "jib/app-two", "two");

      List<AccessLog.Entry> accessLog = berth.accessLog();
      for (String repository : List.of("jib/app-one", "jib/app-two")) {
        List<AccessLog.Entry> posts = uploadStarts(accessLog, repository);
        // A mount answers 201 Created at once; a new upload session answers 202 Accepted.
        assertThat(posts)
            .as("mounts into %s; jib said: %s", repository, jibLog)
            .filteredOn(entry -> entry.status() == 201)
            .hasSize(baseLayers.size());
        assertThat(posts)
            .as("uploads into %s (application layer and config)", repository)
            .filteredOn(entry -> entry.status() == 202)
            .hasSize(2);
        assertThat(bytesSent(accessLog, repository))
            .as("bytes uploaded into %s", repository)
            .isLessThan(BASE_LAYER_SIZE / 2);
      }

      Path pulled = temp.resolve("pulled");
      Skopeo.copy(false, "docker://" + berth.host() + "/jib/app-two:1", "oci:" + pulled + ":1");
      JsonNode tagged = OciLayout.tagged(pulled, "1");
      assertThat(tagged.path("digest").asText()).isEqualTo(two.getDigest().toString());
      assertThat(tagged.path("mediaType").asText()).isEqualTo(OciLayout.MANIFEST);

      Map<String, byte[]> blobs = OciLayout.blobs(pulled);
      JsonNode manifest = OciLayout.json(blobs.get(two.getDigest().toString()));
      List<String> layers = manifest.path("layers").findValuesAsText("digest");
      assertThat(layers).hasSize(2);
      assertThat(layers.get(0)).isEqualTo(baseLayers.get(0));
      assertThat(entryNames(blobs.get(layers.get(1))))
          .anySatisfy(name -> assertThat(name).endsWith("app/message.txt"));

      JsonNode config = OciLayout.json(blobs.get(manifest.path("config").path("digest").asText()));
      assertThat(config.path("architecture").asText()).isEqualTo("amd64");
      assertThat(config.path("os").asText()).isEqualTo("linux");
      assertThat(texts(config.path("config").path("Entrypoint")))
          .containsExactly("/app/run", "two");
      assertThat(config.path("rootfs").path("diff_ids")).hasSize(2);
      assertThat(one.getDigest()).isNotEqualTo(two.getDigest());
    }
  }

  private JibContainer buildBase(BerthServer berth) throws Exception {
    byte[] content = new byte[BASE_LAYER_SIZE];
    new Random(21).nextBytes(content);
    Path file = Files.write(temp.resolve("base.bin"), content);
    JibContainerBuilder builder =
        Jib.fromScratch()
            .addFileEntriesLayer(
                FileEntriesLayer.builder()
                    .setName("base")
                    .addEntry(file, AbsoluteUnixPath.get("/base/data.bin"))
                    .build());
    return builder.containerize(containerizer(berth, "jib/base"));
  }

  private JibContainer buildApp(BerthServer berth, String base, String repository, String message)
      throws Exception {
    Path file = Files.writeString(temp.resolve(message + ".txt"), "hello from " + message);
    JibContainerBuilder builder =
        Jib.from(RegistryImage.named(ImageReference.parse(base)))
            .setFormat(ImageFormat.OCI)
            .addFileEntriesLayer(
                FileEntriesLayer.builder()
                    .setName("app")
                    .addEntry(file, AbsoluteUnixPath.get("/app/message.txt"))
                    .build())
            .setEntrypoint("/app/run", message);
    return builder.containerize(containerizer(berth, repository));
  }

  private Containerizer containerizer(BerthServer berth, String repository) throws Exception {
    RegistryImage target =
        RegistryImage.named(ImageReference.parse(berth.host() + "/" + repository + ":1"));
    return Containerizer.to(target)
        .setAllowInsecureRegistries(true)
        .setToolName("berth-it")
        // Fresh caches: nothing from an earlier run (or the user's home) can stand in for a pull.
        .setBaseImageLayersCache(temp.resolve("jib-cache/base"))
        .setApplicationLayersCache(temp.resolve("jib-cache/app-" + repository.replace('/', '-')))
        .addEventHandler(LogEvent.class, event -> jibLog.add(event.getMessage()));
  }

  private static List<AccessLog.Entry> uploadStarts(
      List<AccessLog.Entry> accessLog, String repository) {
    String path = "/v2/" + repository + "/blobs/uploads/";
    return accessLog.stream()
        .filter(entry -> entry.method().equals("POST") && entry.path().equals(path))
        .toList();
  }

  private static long bytesSent(List<AccessLog.Entry> accessLog, String repository) {
    String prefix = "/v2/" + repository + "/";
    return accessLog.stream()
        .filter(entry -> entry.path().startsWith(prefix))
        .mapToLong(AccessLog.Entry::requestBodyBytes)
        .sum();
  }

  private static List<String> layerDigests(BerthServer berth, String repository, String digest)
      throws Exception {
    Http.Response response =
        Http.get(berth.url() + "/v2/" + repository + "/manifests/" + digest, Http.MANIFEST_TYPES);
    assertThat(response.status()).isEqualTo(200);
    return OciLayout.json(response.body()).path("layers").findValuesAsText("digest");
  }

  /** The names of the entries of a gzipped tar layer. */
  private static List<String> entryNames(byte[] layer) throws IOException {
    List<String> names = new ArrayList<>();
    try (InputStream tar = new GZIPInputStream(new ByteArrayInputStream(layer))) {
      byte[] header = new byte[512];
      for (int entries = 0; entries < 1000; entries++) {
        if (tar.readNBytes(header, 0, 512) < 512 || header[0] == 0) {
          break;
        }
        int nameLength = 0;
        while (nameLength < 100 && header[nameLength] != 0) {
          nameLength++;
        }
        names.add(new String(header, 0, nameLength, StandardCharsets.US_ASCII));
        long size =
            Long.parseLong(new String(header, 124, 11, StandardCharsets.US_ASCII).trim(), 8);
        tar.skipNBytes((size + 511) / 512 * 512);
      }
    }
    return names;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }
}
