package dev.berth.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Renders the kustomize trees under {@code deploy/kubernetes} with {@code kubectl kustomize}. */
final class Kustomize {

  /** The manifests, relative to the project directory the tests run in. */
  static final Path ROOT = Path.of("deploy", "kubernetes");

  /** Why rendering tests are skipped on a machine without kubectl. */
  static final String MISSING =
      "kubectl is not on the PATH: the Kubernetes manifests cannot be rendered here"
          + " (.ci/run installs Debian's kubernetes-client)";

  private static final long TIMEOUT_SECONDS = 60;

  private Kustomize() {}

  /** Whether {@code kubectl} can be run. */
  static boolean available() {
    try {
      Process process =
          new ProcessBuilder("kubectl", "version", "--client")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return false;
      }
      return process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The overlay directories, each one installation a user can apply. */
  static List<Path> overlays() throws IOException {
    try (Stream<Path> children = Files.list(ROOT.resolve("overlays"))) {
      return children.filter(Files::isDirectory).sorted().toList();
    }
  }

  /** Renders one kustomization and parses every object it produces. */
  static Rendered render(Path directory) throws IOException, InterruptedException {
    Path stdout = Files.createTempFile("kustomize", ".yaml");
    Path stderr = Files.createTempFile("kustomize", ".err");
    try {
      Process process =
          new ProcessBuilder("kubectl", "kustomize", directory.toString())
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile())
              .start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException("kubectl kustomize " + directory + " did not finish");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "kubectl kustomize "
                + directory
                + " failed: "
                + Files.readString(stderr, StandardCharsets.UTF_8));
      }
      String yaml = Files.readString(stdout, StandardCharsets.UTF_8);
      List<JsonNode> objects =
          new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll();
      return new Rendered(directory.getFileName().toString(), objects);
    } finally {
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    }
  }
}
