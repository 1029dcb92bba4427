package dev.berth.deploy;

import static dev.berth.deploy.ImageTar.CONFIG;
import static dev.berth.deploy.ImageTar.JAR;
import static dev.berth.deploy.ImageTar.STORAGE;
import static dev.berth.deploy.ImageTar.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cli.ConfigCheckCommand;
import dev.berth.config.ConfigurationLoader;
import dev.berth.config.StorageSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The container image as the Maven build makes it. Jib's {@code image-verify} execution builds the
 * image of {@code pom.xml} on the empty {@code scratch} base into a tar, because a public base
 * image cannot be fetched everywhere the build runs; everything Berth adds to the base is in that
 * tar. This test reads the image's configuration and layers and compares the Dockerfile with the
 * image; {@link ImageRunIT} runs the jar it contains.
 */
class ContainerImageIT {

  private static ImageTar image;

  @TempDir static Path extracted;

  @BeforeAll
  static void readImage() throws IOException {
    image = ImageTar.read(extracted);
  }

  @Test
  void image_config_runsJarAsNonRootWithRegistryLayout() {
    JsonNode container = image.config();

    assertThat(container.path("User").asText()).matches("[1-9][0-9]*:[0-9]+");
    assertThat(strings(container.path("Entrypoint"))).containsExactly("java", "-jar", "/" + JAR);
    assertThat(strings(container.path("Cmd"))).containsExactly("serve", Rendered.IMAGE_CONFIG_PATH);
    assertThat(container.path("ExposedPorts").has("5000/tcp")).isTrue();
    assertThat(container.path("ExposedPorts").size()).isEqualTo(1);
    assertThat(container.path("Volumes").has("/" + STORAGE.replaceAll("/$", ""))).isTrue();
    assertThat(image.environment("JAVA_TOOL_OPTIONS"))
        .containsPattern("-XX:MaxRAMPercentage=[0-9]+")
        .contains("-Djava.io.tmpdir=/tmp");
  }

  @Test
  void image_layers_holdTheBuiltJarTheDefaultConfigAndAWritableStorageDirectory()
      throws IOException {
    Path built = Path.of(System.getProperty("berth.jar", "target/berth.jar"));
    Map<String, TarArchiveEntry> entries = image.entries();

    assertThat(image.jar()).isRegularFile();
    assertThat(Files.mismatch(image.jar(), built))
        .as("the image's jar is target/berth.jar")
        .isEqualTo(-1);
    assertThat(image.defaultConfig()).hasSameTextualContentAs(Path.of("src/main/image/" + CONFIG));
    TarArchiveEntry storage = entries.get(STORAGE);
    assertThat(storage).isNotNull();
    assertThat(storage.isDirectory()).isTrue();
    boolean writable =
        (storage.getMode() & 0002) != 0
            || (String.valueOf(storage.getLongUserId()).equals(image.uid())
                && (storage.getMode() & 0200) != 0);
    assertThat(writable).as("the image's user can write " + STORAGE).isTrue();
    // Jib's class and library layers would duplicate the shaded jar; the filter drops them.
    assertThat(entries.keySet()).noneMatch(name -> name.startsWith("app/"));
    assertThat(entries.keySet()).noneMatch(name -> name.endsWith(".gitkeep"));
  }

  @Test
  void image_defaultConfig_isValidAndStoresInTheVolume() {
    CommandLine check = new CommandLine(new ConfigCheckCommand(Map.of(), path -> false));
    check.setOut(new java.io.PrintWriter(java.io.Writer.nullWriter()));

    assertThat(check.execute(image.defaultConfig().toString())).isZero();
    StorageSettings.Driver driver =
        ConfigurationLoader.fromFile(image.defaultConfig(), Map.of())
            .configuration()
            .storage()
            .driver();
    assertThat(driver).isInstanceOf(StorageSettings.Filesystem.class);
    assertThat(((StorageSettings.Filesystem) driver).rootDirectory().toString() + "/")
        .isEqualTo("/" + STORAGE);
  }

  @Test
  void dockerfile_describesTheSameImageAsJib() throws IOException {
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    String pom = Files.readString(Path.of("pom.xml"));
    JsonNode container = image.config();
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
        .isEqualTo("JAVA_TOOL_OPTIONS=\"" + image.environment("JAVA_TOOL_OPTIONS") + "\"");
    assertThat(dockerfile)
        .contains("COPY target/berth.jar /" + JAR + "\n")
        .contains("COPY src/main/image/" + CONFIG + " /" + CONFIG + "\n")
        .contains("-o " + image.uid())
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
}
