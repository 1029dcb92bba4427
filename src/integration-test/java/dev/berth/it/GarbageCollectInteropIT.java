package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.it.support.DockerRegistry;
import dev.berth.it.support.Http;
import dev.berth.it.support.OciLayout;
import dev.berth.it.support.Processes;
import dev.berth.it.support.Skopeo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth garbage-collect} and registry:2's {@code garbage-collect} agree on a store that
 * registry:2 wrote: the same blobs are eligible, and after Berth deleted them registry:2 still
 * serves every image that is left.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GarbageCollectInteropIT {
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  @TempDir Path temp;

  @Test
  void berth_storeWrittenByRegistryTwo_deletesWhatRegistryTwoWouldAndNothingElse()
      throws Exception {
    OciLayout source = OciLayout.create(temp.resolve("source"), 7);
    OciLayout.Blob kept = source.addImage("amd64", 20_000, 30_000);
    OciLayout.Blob amd64 = source.addImage("amd64", 25_000);
    OciLayout.Blob arm64 = source.addImage("arm64", 26_000);
    OciLayout.Blob dropped = source.addImage("amd64", 40_000, 50_000);
    source.tag(kept, "kept");
    source.tag(source.addIndex(List.of(amd64, arm64)), "multi");
    source.tag(dropped, "dropped");
    Path root = temp.resolve("storage");

    try (DockerRegistry registry = DockerRegistry.start(root, temp.resolve("registry"))) {
      for (String tag : List.of("kept", "multi", "dropped")) {
        Skopeo.copy(
            tag.equals("multi"),
            "oci:" + source.dir() + ":" + tag,
            "docker://" + registry.host() + "/gc/app:" + tag);
      }
      Http.Response deleted =
          Http.send("DELETE", registry.url() + "/v2/gc/app/manifests/" + dropped.digest(), "*/*");
      assertThat(deleted.status()).isEqualTo(202);
    }
    Path config = DockerRegistry.gcConfig(root, temp.resolve("gc.yml"));

    Processes.Result theirs = DockerRegistry.garbageCollect(config, "--dry-run");
    Set<String> eligible = digestsOnLines(theirs.stdout() + theirs.stderr(), "eligible");
    Processes.Result ours = berth(config, "--dry-run").requireSuccess();
    Set<String> wouldDelete =
        digestsOnLines(ours.stdout() + ours.stderr(), "blob would be deleted");

    assertThat(eligible).as(theirs::describe).isNotEmpty().contains(dropped.digest());
    assertThat(wouldDelete).as(ours::describe).isEqualTo(eligible);

    berth(config).requireSuccess();
    try (DockerRegistry registry = DockerRegistry.start(root, temp.resolve("registry-after"))) {
      for (String digest : eligible) {
        assertThat(Http.send("HEAD", registry.url() + "/v2/gc/app/blobs/" + digest, "*/*").status())
            .as("deleted blob %s", digest)
            .isEqualTo(404);
      }
      Path pulled = temp.resolve("pulled");
      Skopeo.copy(false, "docker://" + registry.host() + "/gc/app:kept", "oci:" + pulled + ":kept");
      Skopeo.copy(
          true, "docker://" + registry.host() + "/gc/app:multi", "oci:" + pulled + ":multi");
      assertThat(OciLayout.tagged(pulled, "multi").path("digest").asText())
          .isEqualTo(OciLayout.tagged(source.dir(), "multi").path("digest").asText());
    }
  }

  private Processes.Result berth(Path config, String... flags) throws Exception {
    String jar = System.getProperty("berth.jar", "");
    assertThat(Path.of(jar))
        .as("the berth.jar system property, set by ./mvnw verify")
        .isRegularFile();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-jar", jar, "garbage-collect", "--min-age", "0"));
    command.addAll(List.of(flags));
    command.add(config.toString());
    return Processes.run(Duration.ofSeconds(60), Map.of(), command);
  }

  /** The digests on the lines of a log that contain {@code marker}. */
  private static Set<String> digestsOnLines(String log, String marker) {
    Set<String> digests = new TreeSet<>();
    log.lines()
        .filter(line -> line.contains(marker))
        .forEach(
            line -> {
              Matcher matcher = DIGEST.matcher(line);
              while (matcher.find()) {
                digests.add(matcher.group());
              }
            });
    return digests;
  }
}
