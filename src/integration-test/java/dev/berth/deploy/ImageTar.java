package dev.berth.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The image Jib's {@code image-verify} execution writes as a tar (on the empty {@code scratch}
 * base, so everything in it is what Berth adds): its container configuration, the entries of its
 * layers, and the jar and default configuration extracted to files.
 *
 * @param config the image configuration's {@code config} object (User, Entrypoint, Env, ...)
 * @param entries every layer entry by path, such as {@code opt/berth/berth.jar}
 * @param jar the image's {@code /opt/berth/berth.jar}, extracted
 * @param defaultConfig the image's {@code /etc/docker/registry/config.yml}, extracted
 */
record ImageTar(
    JsonNode config, Map<String, TarArchiveEntry> entries, Path jar, Path defaultConfig) {

  static final String JAR = "opt/berth/berth.jar";
  static final String CONFIG = "etc/docker/registry/config.yml";
  static final String STORAGE = "var/lib/registry/";

  /** Reads the tar the build wrote, extracting the jar and the configuration into {@code to}. */
  static ImageTar read(Path to) throws IOException {
    Path tar =
        Path.of(System.getProperty("berth.image.tar", "target/image-verify/berth-image.tar"));
    if (!Files.isRegularFile(tar)) {
      throw new IllegalStateException(
          tar + " is missing: the image-verify execution of jib-maven-plugin writes it");
    }
    Map<String, byte[]> files = new HashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        files.put(entry.getName(), in.readAllBytes());
      }
    }
    ObjectMapper json = new ObjectMapper();
    JsonNode manifest = json.readTree(files.get("manifest.json")).path(0);
    JsonNode config = json.readTree(files.get(manifest.path("Config").asText())).path("config");
    Map<String, TarArchiveEntry> entries = new HashMap<>();
    Path jar = to.resolve("berth.jar");
    Path defaultConfig = to.resolve("config.yml");
    for (JsonNode layer : manifest.path("Layers")) {
      try (InputStream gzip =
              new GZIPInputStream(new ByteArrayInputStream(files.get(layer.asText())));
          TarArchiveInputStream in = new TarArchiveInputStream(gzip)) {
        for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
          entries.put(entry.getName(), entry);
          if (entry.getName().equals(JAR)) {
            Files.write(jar, in.readAllBytes());
          } else if (entry.getName().equals(CONFIG)) {
            Files.write(defaultConfig, in.readAllBytes());
          }
        }
      }
    }
    return new ImageTar(config, Map.copyOf(entries), jar, defaultConfig);
  }

  static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }

  /** The image's {@code User}, such as {@code 65532:65532}. */
  String user() {
    return config.path("User").asText();
  }

  /** The numeric user the image runs as. */
  String uid() {
    int colon = user().indexOf(':');
    return colon < 0 ? user() : user().substring(0, colon);
  }

  /** The numeric group the image runs as (the user when none is given). */
  String gid() {
    int colon = user().indexOf(':');
    return colon < 0 ? user() : user().substring(colon + 1);
  }

  /** A variable of the image's environment, or empty. */
  String environment(String name) {
    for (String variable : strings(config.path("Env"))) {
      if (variable.startsWith(name + "=")) {
        return variable.substring(name.length() + 1);
      }
    }
    return "";
  }
}
