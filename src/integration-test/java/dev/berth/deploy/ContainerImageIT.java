package dev.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cli.ConfigCheckCommand;
import dev.berth.config.ConfigurationLoader;
import dev.berth.config.StorageSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The container image as the Maven build makes it. Jib's {@code image-verify} execution builds the
 * image of {@code pom.xml} on the empty {@code scratch} base into a tar, because a public base
 * image cannot be fetched everywhere the build runs; everything Berth adds to the base is in that
 * tar. This test reads the image's configuration and layers, runs the jar the image contains with
 * the configuration the Kubernetes manifests give it, and compares the Dockerfile with the image.
 */
class ContainerImageIT {

  private static final String JAR = "opt/berth/berth.jar";
  private static final String CONFIG = "etc/docker/registry/config.yml";
  private static final String STORAGE = "var/lib/registry/";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private static JsonNode config;
  private static final Map<String, TarArchiveEntry> ENTRIES = new HashMap<>();
  private static Path jar;
  private static Path defaultConfig;

  @TempDir static Path extracted;

  @TempDir Path dir;

  @BeforeAll
  static void readImage() throws IOException {
    Path tar =
        Path.of(System.getProperty("berth.image.tar", "target/image-verify/berth-image.tar"));
    assertThat(tar).as("the image-verify execution of jib-maven-plugin writes it").isRegularFile();
    Map<String, byte[]> files = new HashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        files.put(entry.getName(), in.readAllBytes());
      }
    }
    ObjectMapper json = new ObjectMapper();
    JsonNode manifest = json.readTree(files.get("manifest.json")).path(0);
    config = json.readTree(files.get(manifest.path("Config").asText()));
    for (JsonNode layer : manifest.path("Layers")) {
      readLayer(files.get(layer.asText()));
    }
  }

  private static void readLayer(byte[] layer) throws IOException {
    try (InputStream gzip = new GZIPInputStream(new ByteArrayInputStream(layer));
        TarArchiveInputStream in = new TarArchiveInputStream(gzip)) {
      for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        ENTRIES.put(entry.getName(), entry);
        if (entry.getName().equals(JAR)) {
          jar = extracted.resolve("berth.jar");
          Files.write(jar, in.readAllBytes());
        } else if (entry.getName().equals(CONFIG)) {
          defaultConfig = extracted.resolve("config.yml");
          Files.write(defaultConfig, in.readAllBytes());
        }
      }
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }

  /** The numeric user the image runs as. */
  private static String uid() {
    String user = config.path("config").path("User").asText();
    int colon = user.indexOf(':');
    return colon < 0 ? user : user.substring(0, colon);
  }

  private static String environment(String name) {
    for (String variable : strings(config.path("config").path("Env"))) {
      if (variable.startsWith(name + "=")) {
        return variable.substring(name.length() + 1);
      }
    }
    return "";
  }

  @Test
  void image_config_runsJarAsNonRootWithRegistryLayout() {
    JsonNode container = config.path("config");

    assertThat(container.path("User").asText()).matches("[1-9][0-9]*:[0-9]+");
    assertThat(strings(container.path("Entrypoint"))).containsExactly("java", "-jar", "/" + JAR);
    assertThat(strings(container.path("Cmd"))).containsExactly("serve", Rendered.IMAGE_CONFIG_PATH);
    assertThat(container.path("ExposedPorts").has("5000/tcp")).isTrue();
    assertThat(container.path("ExposedPorts").size()).isEqualTo(1);
    assertThat(container.path("Volumes").has("/" + STORAGE.replaceAll("/$", ""))).isTrue();
    assertThat(environment("JAVA_TOOL_OPTIONS"))
        .containsPattern("-XX:MaxRAMPercentage=[0-9]+")
        .contains("-Djava.io.tmpdir=/tmp");
  }

  @Test
  void image_layers_holdTheBuiltJarTheDefaultConfigAndAWritableStorageDirectory()
      throws IOException {
    Path built = Path.of(System.getProperty("berth.jar", "target/berth.jar"));

    assertThat(jar).isNotNull();
    assertThat(Files.mismatch(jar, built)).as("the image's jar is target/berth.jar").isEqualTo(-1);
    assertThat(defaultConfig).hasSameTextualContentAs(Path.of("src/main/image/" + CONFIG));
    TarArchiveEntry storage = ENTRIES.get(STORAGE);
    assertThat(storage).isNotNull();
    assertThat(storage.isDirectory()).isTrue();
    String uid = uid();
    boolean writable =
        (storage.getMode() & 0002) != 0
            || (String.valueOf(storage.getLongUserId()).equals(uid)
                && (storage.getMode() & 0200) != 0);
    assertThat(writable).as("the image's user can write " + STORAGE).isTrue();
    // Jib's class and library layers would duplicate the shaded jar; the filter drops them.
    assertThat(ENTRIES.keySet()).noneMatch(name -> name.startsWith("app/"));
    assertThat(ENTRIES.keySet()).noneMatch(name -> name.endsWith(".gitkeep"));
  }

  @Test
  void image_defaultConfig_isValidAndStoresInTheVolume() {
    CommandLine check = new CommandLine(new ConfigCheckCommand(Map.of(), path -> false));
    check.setOut(new java.io.PrintWriter(java.io.Writer.nullWriter()));

    assertThat(check.execute(defaultConfig.toString())).isZero();
    StorageSettings.Driver driver =
        ConfigurationLoader.fromFile(defaultConfig, Map.of()).configuration().storage().driver();
    assertThat(driver).isInstanceOf(StorageSettings.Filesystem.class);
    assertThat(((StorageSettings.Filesystem) driver).rootDirectory().toString() + "/")
        .isEqualTo("/" + STORAGE);
  }

  @Test
  void image_jar_servesTheFilesystemOverlaysConfigurationAndItsProbes() throws Exception {
    assumeTrue(Kustomize.available(), Kustomize.MISSING);
    Rendered rendered = Kustomize.render(Kustomize.ROOT.resolve("overlays/filesystem"));
    Path configFile = rendered.writeMountedConfig(dir);
    int port = freePort();
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            jar.toString(),
            "serve",
            configFile.toString());
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> name.startsWith("REGISTRY_"));
    environment.putAll(rendered.environment());
    // Only the address and the directory change: loopback on a free port, a temporary store.
    environment.put("REGISTRY_HTTP_ADDR", "127.0.0.1:" + port);
    environment.put("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", dir.resolve("store").toString());
    environment.put("JAVA_TOOL_OPTIONS", environment("JAVA_TOOL_OPTIONS"));
    Path log = dir.resolve("berth.log");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());

    Process process = builder.start();
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      URI base = URI.create("http://127.0.0.1:" + port);
      assertThat(awaitStatus(client, base.resolve("/v2/"), process))
          .as(() -> "GET /v2/; log:\n" + read(log))
          .isEqualTo(200);
      JsonNode container = rendered.container();
      Map<String, Integer> probes = new java.util.LinkedHashMap<>();
      for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
        String path = container.path(probe).path("httpGet").path("path").asText();
        probes.put(probe + " " + path, get(client, base.resolve(path)));
      }
      assertThat(probes)
          .as(() -> "log:\n" + read(log))
          .allSatisfy((probe, status) -> assertThat(status).as(probe).isEqualTo(200));
    } finally {
      // SIGTERM, as the kubelet sends after preStop; Berth must stop within its drain timeout.
      process.destroy();
      boolean stopped = process.waitFor(40, TimeUnit.SECONDS);
      if (!stopped) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      assertThat(stopped).as(() -> "stopped on SIGTERM; log:\n" + read(log)).isTrue();
    }
  }

  @Test
  void dockerfile_describesTheSameImageAsJib() throws IOException {
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    String pom = Files.readString(Path.of("pom.xml"));
    JsonNode container = config.path("config");
    ObjectMapper json = new ObjectMapper();

    assertThat(instruction(dockerfile, "FROM")).isEqualTo(property(pom, "image.base"));
    assertThat(instruction(dockerfile, "USER")).isEqualTo(container.path("User").asText());
    assertThat(instruction(dockerfile, "WORKDIR")).isEqualTo(container.path("WorkingDir").asText());
    assertThat(instruction(dockerfile, "EXPOSE") + "/tcp")
        .isEqualTo(container.path("ExposedPorts").fieldNames().next());
    assertThat(strings(json.readTree(instruction(dockerfile, "VOLUME"))))
        .containsExactly(container.path("Volumes").fieldNames().next());
    assertThat(strings(json.readTree(instruction(dockerfile, "ENTRYPOINT"))))
        .isEqualTo(strings(container.path("Entrypoint")));
    assertThat(strings(json.readTree(instruction(dockerfile, "CMD"))))
        .isEqualTo(strings(container.path("Cmd")));
    assertThat(instruction(dockerfile, "ENV"))
        .isEqualTo("JAVA_TOOL_OPTIONS=\"" + environment("JAVA_TOOL_OPTIONS") + "\"");
    assertThat(dockerfile)
        .contains("COPY target/berth.jar /" + JAR + "\n")
        .contains("COPY src/main/image/" + CONFIG + " /" + CONFIG + "\n")
        .contains("-o " + uid())
        .contains(" /" + STORAGE.replaceAll("/$", "") + "\n");
  }

  /** The argument of the one instruction of this name in a Dockerfile. */
  private static String instruction(String dockerfile, String name) {
    Matcher matcher = Pattern.compile("(?m)^" + name + " (.+)$").matcher(dockerfile);
    assertThat(matcher.find()).as(name).isTrue();
    String argument = matcher.group(1).strip();
    assertThat(matcher.find()).as("a second " + name).isFalse();
    return argument;
  }

  private static String property(String pom, String name) {
    Matcher matcher = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
    assertThat(matcher.find()).as(name).isTrue();
    return matcher.group(1);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static int get(HttpClient client, URI uri) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build();
    return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Polls until the server answers, it exits, or the start timeout passes; -1 when no answer. */
  private static int awaitStatus(HttpClient client, URI uri, Process process)
      throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        return get(client, uri);
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    return -1;
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
