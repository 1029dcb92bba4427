package dev.berth.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * An OCI image layout on disk: builds images and indexes from random layers for a test, and reads
 * back what a client wrote into a layout.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/image-layout.md">OCI image
 *     layout</a>
 */
public final class OciLayout {
  /** {@code application/vnd.oci.image.manifest.v1+json}. */
  public static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  /** {@code application/vnd.oci.image.index.v1+json}. */
  public static final String INDEX = "application/vnd.oci.image.index.v1+json";

  /** {@code application/vnd.oci.image.config.v1+json}. */
  public static final String CONFIG = "application/vnd.oci.image.config.v1+json";

  /** {@code application/vnd.oci.image.layer.v1.tar+gzip}. */
  public static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

  private static final String REF_NAME = "org.opencontainers.image.ref.name";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final Random random;
  private final Map<String, Map<String, Object>> platforms = new HashMap<>();
  private final List<Map<String, Object>> tagged = new ArrayList<>();

  private OciLayout(Path dir, Random random) {
    this.dir = dir;
    this.random = random;
  }

  /**
   * A stored blob or manifest.
   *
   * @param mediaType its media type
   * @param digest its {@code sha256:...} digest
   * @param bytes its content; test data that callers compare by content and never change
   */
  @SuppressWarnings("ArrayRecordComponent")
  public record Blob(String mediaType, String digest, byte[] bytes) {
    /** The OCI descriptor of this blob. */
    public Map<String, Object> descriptor() {
      Map<String, Object> descriptor = new LinkedHashMap<>();
      descriptor.put("mediaType", mediaType);
      descriptor.put("digest", digest);
      descriptor.put("size", bytes.length);
      return descriptor;
    }
  }

  /**
   * Creates an empty layout.
   *
   * @param dir the layout's directory, created if missing
   * @param seed seeds the random layer content, so a failing run can be repeated
   */
  public static OciLayout create(Path dir, long seed) throws IOException {
    Files.createDirectories(dir.resolve("blobs/sha256"));
    OciLayout layout = new OciLayout(dir, new Random(seed));
    layout.writeIndexJson();
    return layout;
  }

  /** The layout's directory. */
  public Path dir() {
    return dir;
  }

  /**
   * Writes an image: gzipped tar layers of random files, its config and its OCI manifest.
   *
   * @param architecture the config's and the platform's architecture
   * @param layerSizes the size of the random file in each layer, one layer per entry
   * @return the manifest
   */
  public Blob addImage(String architecture, int... layerSizes) throws IOException {
    List<Map<String, Object>> layers = new ArrayList<>();
    List<String> diffIds = new ArrayList<>();
    for (int i = 0; i < layerSizes.length; i++) {
      byte[] content = new byte[layerSizes[i]];
      random.nextBytes(content);
      byte[] tar = Tars.tar(Map.of("data/layer-" + i + "-" + random.nextInt(1 << 30), content));
      diffIds.add(digest(tar));
      layers.add(write(LAYER, Tars.gzip(tar)).descriptor());
    }
    Map<String, Object> platform = new LinkedHashMap<>();
    platform.put("architecture", architecture);
    platform.put("os", "linux");

    Map<String, Object> config = new LinkedHashMap<>(platform);
    config.put("config", Map.of("Cmd", List.of("/bin/true")));
    config.put("rootfs", Map.of("type", "layers", "diff_ids", diffIds));
    Blob configBlob = write(CONFIG, JSON.writeValueAsBytes(config));

    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MANIFEST);
    manifest.put("config", configBlob.descriptor());
    manifest.put("layers", layers);
    Blob written =
        write(MANIFEST, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
    platforms.put(written.digest(), platform);
    return written;
  }

  /** Writes an OCI index over images written by {@link #addImage}, with their platforms. */
  public Blob addIndex(List<Blob> manifests) throws IOException {
    List<Map<String, Object>> entries = new ArrayList<>();
    for (Blob manifest : manifests) {
      Map<String, Object> entry = manifest.descriptor();
      entry.put("platform", platforms.get(manifest.digest()));
      entries.add(entry);
    }
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("schemaVersion", 2);
    index.put("mediaType", INDEX);
    index.put("manifests", entries);
    return write(INDEX, JSON.writeValueAsBytes(index));
  }

  /** Names a manifest or index in {@code index.json}, so {@code oci:DIR:TAG} finds it. */
  public void tag(Blob manifest, String tag) throws IOException {
    Map<String, Object> entry = manifest.descriptor();
    entry.put("annotations", Map.of(REF_NAME, tag));
    tagged.add(entry);
    writeIndexJson();
  }

  /** Every blob of a layout by digest (manifests included), read from {@code blobs/sha256}. */
  public static Map<String, byte[]> blobs(Path layout) throws IOException {
    Map<String, byte[]> blobs = new TreeMap<>();
    try (Stream<Path> files = Files.list(layout.resolve("blobs/sha256"))) {
      for (Path file : files.toList()) {
        blobs.put("sha256:" + file.getFileName(), Files.readAllBytes(file));
      }
    }
    return blobs;
  }

  /**
   * Every blob file of a layout, by name, mapped to the digest of its content: two layouts with
   * equal maps hold the same bytes under the same names.
   */
  public static Map<String, String> contentDigests(Path layout) throws IOException {
    Map<String, String> digests = new TreeMap<>();
    blobs(layout).forEach((name, bytes) -> digests.put(name, digest(bytes)));
    return digests;
  }

  /** The descriptor {@code index.json} lists under a tag, or fails. */
  public static JsonNode tagged(Path layout, String tag) throws IOException {
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    for (JsonNode entry : index.path("manifests")) {
      if (tag.equals(entry.path("annotations").path(REF_NAME).asText())) {
        return entry;
      }
    }
    throw new AssertionError("no manifest tagged " + tag + " in " + layout + ": " + index);
  }

  /** Parses JSON bytes (manifests, skopeo output). */
  public static JsonNode json(byte[] bytes) throws IOException {
    return JSON.readTree(bytes);
  }

  /** The {@code sha256:...} digest of some bytes. */
  public static String digest(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  private Blob write(String mediaType, byte[] bytes) {
    Blob blob = new Blob(mediaType, digest(bytes), bytes);
    try {
      Files.write(dir.resolve("blobs/sha256").resolve(blob.digest().substring(7)), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("failed to write a blob into " + dir, e);
    }
    return blob;
  }

  private void writeIndexJson() throws IOException {
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("schemaVersion", 2);
    index.put("mediaType", INDEX);
    index.put("manifests", tagged);
    Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
  }
}
