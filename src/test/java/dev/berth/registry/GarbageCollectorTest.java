package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import dev.berth.oci.Reference;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.storage.driver.PathNotFoundException;
import dev.berth.storage.driver.StorageDriver;
import dev.berth.storage.driver.inmemory.InMemoryDriver;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Garbage collection scenarios on the in-memory store, each named after what it protects. */
class GarbageCollectorTest {
  private static final RepositoryName APP = RepositoryName.of("team/app");
  private static final RepositoryName TOOLS = RepositoryName.of("team/tools");
  private static final Duration HOUR = Duration.ofHours(1);
  private static final String BY_DIGEST = "";

  /** A clock the test moves forward, shared by the store (write times) and the collector. */
  private static final class SteppingClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private final SteppingClock clock = new SteppingClock();
  private final StorageDriver driver = new InMemoryDriver(clock);
  private final Registry registry = Registry.over(driver);

  private Digest blob(RepositoryName name, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    Digest digest = Digest.sha256Of(bytes);
    registry.blobs().store().put(digest, bytes);
    registry.blobs().link(name, digest);
    return digest;
  }

  private static String descriptor(String mediaType, Digest digest) {
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":1}";
  }

  /** Pushes an image manifest over a new config and the given layers. */
  private Digest image(RepositoryName name, String reference, Digest... layers) {
    Digest config = blob(name, "{\"config\":\"" + reference + "\"}");
    String layerList =
        List.of(layers).stream()
            .map(d -> descriptor("application/vnd.oci.image.layer.v1.tar", d))
            .collect(Collectors.joining(","));
    String json =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":"
            + descriptor("application/vnd.oci.image.config.v1+json", config)
            + ",\"layers\":["
            + layerList
            + "]}";
    return put(name, reference, json);
  }

  /** Pushes a manifest by tag, or by its digest when {@code reference} is {@link #BY_DIGEST}. */
  private Digest put(RepositoryName name, String reference, String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    if (reference.equals(BY_DIGEST)) {
      reference = Digest.sha256Of(bytes).toString();
    }
    return registry
        .manifests()
        .put(name, Reference.parse(reference), bytes, Optional.empty())
        .digest();
  }

  private GarbageCollector.Result collect(boolean dryRun, boolean deleteUntagged) {
    return new GarbageCollector(
            driver, new GarbageCollector.Options(dryRun, deleteUntagged, HOUR), clock)
        .collect();
  }

  private boolean blobExists(Digest digest) {
    return registry.blobs().store().size(digest).isPresent();
  }

  private boolean linked(RepositoryName name, Digest digest) {
    try {
      driver.stat(RegistryPaths.layerLink(name, digest));
      return true;
    } catch (PathNotFoundException e) {
      return false;
    }
  }

  @Test
  void collect_blobOfDeletedManifest_isDeletedWithItsLinks() {
    Digest shared = blob(APP, "shared layer");
    Digest onlyOld = blob(APP, "layer of the deleted image");
    Digest old = image(APP, "old", shared, onlyOld);
    image(APP, "new", shared);
    registry.manifests().delete(APP, old);
    clock.advance(HOUR.multipliedBy(2));

    GarbageCollector.Result result = collect(false, false);

    assertThat(blobExists(onlyOld)).isFalse();
    assertThat(linked(APP, onlyOld)).as("link to a deleted blob").isFalse();
    assertThat(blobExists(old)).as("the deleted manifest's own bytes").isFalse();
    assertThat(blobExists(shared)).isTrue();
    assertThat(linked(APP, shared)).isTrue();
    assertThat(result.blobsDeleted()).isEqualTo(3); // the layer, the config, the manifest
    assertThat(result.manifestsDeleted()).isZero();
    assertThat(result.repositories()).isEqualTo(1);
  }

  @Test
  void collect_blobUsedInAnotherRepository_isKept() {
    Digest layer = blob(APP, "base layer");
    blob(TOOLS, "base layer");
    Digest app = image(APP, "v1", layer);
    image(TOOLS, "v1", layer);
    registry.manifests().delete(APP, app);
    clock.advance(HOUR.multipliedBy(2));

    collect(false, false);

    assertThat(blobExists(layer)).isTrue();
    assertThat(linked(TOOLS, layer)).isTrue();
  }

  @Test
  void collect_pushInProgress_youngUnreferencedBlobIsKept() {
    Digest old = blob(APP, "abandoned long ago");
    clock.advance(HOUR.multipliedBy(2));
    Digest fresh = blob(APP, "uploaded a minute ago, manifest not pushed yet");
    clock.advance(Duration.ofMinutes(1));

    collect(false, false);

    assertThat(blobExists(fresh)).isTrue();
    assertThat(blobExists(old)).isFalse();
  }

  @Test
  void collect_dryRun_reportsButDeletesNothing() {
    Digest orphan = blob(APP, "orphan");
    clock.advance(HOUR.multipliedBy(2));

    GarbageCollector.Result result = collect(true, false);

    assertThat(result.blobsDeleted()).isEqualTo(1);
    assertThat(result.bytesDeleted()).isEqualTo("orphan".length());
    assertThat(result.dryRun()).isTrue();
    assertThat(blobExists(orphan)).isTrue();
    assertThat(linked(APP, orphan)).isTrue();
  }

  @Test
  void collect_deleteUntagged_keepsTaggedIndexChildrenAndReferrers() {
    Digest layer = blob(APP, "platform layer");
    Digest amd64 = image(APP, BY_DIGEST, layer);
    String index =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
            + "\"manifests\":["
            + descriptor("application/vnd.oci.image.manifest.v1+json", amd64)
            + "]}";
    Digest tagged = put(APP, "latest", index);
    Digest signatureLayer = blob(APP, "signature");
    Digest signature =
        put(
            APP,
            "sig",
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"artifactType\":\"application/example.signature\","
                + "\"config\":"
                + descriptor("application/vnd.oci.empty.v1+json", blob(APP, "{}"))
                + ",\"layers\":["
                + descriptor("application/example.signature", signatureLayer)
                + "],\"subject\":"
                + descriptor("application/vnd.oci.image.index.v1+json", tagged)
                + "}");
    registry.tags().delete(APP, Tag.of("sig"));
    Digest untaggedLayer = blob(APP, "layer of an untagged image");
    Digest untagged = image(APP, "nightly", untaggedLayer);
    registry.tags().delete(APP, Tag.of("nightly"));
    clock.advance(HOUR.multipliedBy(2));

    GarbageCollector.Result result = collect(false, true);

    assertThat(result.manifestsDeleted()).isEqualTo(1);
    assertThat(registry.manifests().resolve(APP, Reference.parse(amd64.toString())))
        .isEqualTo(amd64);
    assertThat(registry.manifests().resolve(APP, Reference.parse(signature.toString())))
        .as("a referrer of a tagged manifest")
        .isEqualTo(signature);
    assertThat(blobExists(layer)).isTrue();
    assertThat(blobExists(signatureLayer)).isTrue();
    assertThat(blobExists(untaggedLayer)).isFalse();
    assertThat(blobExists(untagged)).isFalse();
    assertThat(registry.referrers().list(APP, tagged, Optional.empty())).hasSize(1);
  }

  @Test
  void collect_deleteUntagged_youngUntaggedManifestIsKept() {
    Digest layer = blob(APP, "child of an index being pushed");
    Digest child = image(APP, BY_DIGEST, layer);
    clock.advance(Duration.ofMinutes(5));

    GarbageCollector.Result result = collect(false, true);

    assertThat(result.manifestsDeleted()).isZero();
    assertThat(registry.manifests().resolve(APP, Reference.parse(child.toString())))
        .isEqualTo(child);
    assertThat(blobExists(layer)).isTrue();
  }

  @Test
  void collect_emptyStore_findsNothing() {
    assertThat(collect(false, true))
        .isEqualTo(new GarbageCollector.Result(0, 0, 0, 0, 0, 0, false));
  }
}
