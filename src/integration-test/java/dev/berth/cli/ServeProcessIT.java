package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.berth.it.support.BackgroundProcess;
import dev.berth.it.support.BerthServer;
import dev.berth.it.support.FreePort;
import dev.berth.it.support.Processes;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code target/berth.jar} as the container runs it: started the way the registry:2 image's
 * arguments start it ({@code berth CONFIG}), stopped with SIGTERM in the middle of an upload, and
 * given bad configuration.
 */
class ServeProcessIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static Path jar;

  @TempDir Path dir;

  @BeforeAll
  static void builtJar() {
    jar = Path.of(System.getProperty("berth.jar", "target/berth.jar"));
    assertThat(jar).as("the package phase builds it").isRegularFile();
  }

  private static List<String> java(String... args) {
    List<String> command = new ArrayList<>();
    command.add(BerthServer.javaCommand());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    return command;
  }

  private static Map<String, String> environment(Map<String, String> extra) {
    return BerthServer.processEnvironment(extra);
  }

  /** The process failed to start and said why in one line of stderr, without a stack trace. */
  private static void assertFailedToStartInOneLine(Processes.Result result, String... mentions) {
    assertThat(result.exitCode()).as(result::describe).isEqualTo(1);
    assertThat(result.stderr()).as(result::describe).contains("berth: failed to start: ");
    for (String mention : mentions) {
      assertThat(result.stderr()).as(result::describe).contains(mention);
    }
    assertThat(result.stderr().lines()).as(result::describe).hasSize(1);
    assertThat(result.stdout() + result.stderr()).as(result::describe).doesNotContain("\tat ");
  }

  @Test
  void sigterm_uploadInFlight_uploadCompletesAndProcessExitsZero() throws Exception {
    int port = FreePort.find();
    int debugPort = FreePort.find();
    Path root = dir.resolve("store");
    Path config =
        Files.writeString(
            dir.resolve("config.yml"),
            """
            version: 0.1
            storage:
              filesystem:
                rootdirectory: %s
            http:
              addr: 127.0.0.1:%d
              secret: test-secret
              draintimeout: 20s
              debug:
                addr: 127.0.0.1:%d
            """
                .formatted(root, port, debugPort));
    byte[] first = "the first half of a layer, ".getBytes(StandardCharsets.UTF_8);
    byte[] second = "and the second half".getBytes(StandardCharsets.UTF_8);
    byte[] whole = new byte[first.length + second.length];
    System.arraycopy(first, 0, whole, 0, first.length);
    System.arraycopy(second, 0, whole, first.length, second.length);
    String digest = OperationsEndpointsTest.digest(whole);

    // "berth config.yml", as the registry:2 image's CMD passes the file alone.
    try (BackgroundProcess berth =
        BackgroundProcess.start(
            dir.resolve("berth.log"), environment(Map.of()), java(config.toString()))) {
      String readyz = "http://127.0.0.1:" + port + "/readyz";
      boolean answered =
          dev.berth.it.support.Http.await(
              TIMEOUT, () -> !berth.isAlive() || dev.berth.it.support.Http.answers200(readyz));
      assertThat(answered && berth.isAlive()).as(berth::output).isTrue();
      String location =
          Http.send(
                  port,
                  "POST",
                  "/v2/team/app/blobs/uploads/",
                  java.net.http.HttpRequest.BodyPublishers.noBody())
              .headers()
              .firstValue("Location")
              .orElseThrow()
              .replaceFirst("^https?://[^/]+", "");

      String status;
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        socket.setSoTimeout(30_000);
        DrainTest.ChunkedPut put = new DrainTest.ChunkedPut(socket, location, digest);
        put.chunk(first);

        berth.terminate();
        HttpResponse<String> draining =
            Http.await(debugPort, "/readyz", r -> r.statusCode() == 503, Duration.ofSeconds(15));
        assertThat(draining.statusCode()).as(berth::output).isEqualTo(503);

        put.chunk(second);
        put.finish();
        status = put.statusLine();
      }

      OptionalInt exit = berth.awaitExit(Duration.ofSeconds(40));
      assertThat(status).as(berth::output).startsWith("HTTP/1.1 201");
      assertThat(exit).as(berth::output).hasValue(0);
      assertThat(berth.output()).contains("shutting down", "stopped");
    }
    String hex = digest.substring("sha256:".length());
    Path data =
        root.resolve(
            "docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
    assertThat(data).hasBinaryContent(whole);
  }

  static Stream<Arguments> badInput() {
    String valid = "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /tmp/never\n";
    return Stream.of(
        arguments(
            "malformed YAML",
            "version: 0.1\nstorage:\n  filesystem: [unclosed\n",
            Map.of(),
            List.of("is not valid YAML: line ")),
        arguments(
            "wrong types",
            valid + "http:\n  draintimeout: 60\n  relativeurls: sometimes\n",
            Map.of(),
            List.of(
                "http.draintimeout = 60: must be a duration with a unit",
                "http.relativeurls = sometimes: must be true or false")),
        arguments(
            "unknown driver",
            valid,
            Map.of("REGISTRY_STORAGE", "ceph"),
            List.of("REGISTRY_STORAGE=ceph: unknown storage driver; use one of")),
        arguments(
            "empty variable",
            valid,
            Map.of("REGISTRY_HTTP_SECRET", " "),
            List.of("REGISTRY_HTTP_SECRET: is empty: give it a value or unset it")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInput")
  void badConfiguration_serveAndCheck_exitOneWithOneLinePerProblem(
      String what, String yaml, Map<String, String> variables, List<String> expected)
      throws Exception {
    Path config = Files.writeString(dir.resolve("config.yml"), yaml);

    for (List<String> command :
        List.of(java(config.toString()), java("config", "check", config.toString()))) {
      Processes.Result result = Processes.run(TIMEOUT, environment(variables), command);

      assertThat(result.exitCode()).as(result::describe).isEqualTo(1);
      List<String> errors =
          result.stderr().lines().filter(line -> line.startsWith("  error: ")).toList();
      assertThat(errors).as(result::describe).hasSameSizeAs(expected);
      for (int i = 0; i < expected.size(); i++) {
        assertThat(errors.get(i)).as(result::describe).contains(expected.get(i));
      }
      assertThat(result.stderr().lines())
          .as(result::describe)
          .allMatch(line -> line.startsWith("configuration ") || line.startsWith("  error: "));
      assertThat(result.stdout() + result.stderr()).doesNotContain("Exception", "\tat ", "panic");
    }
  }

  @Test
  void addressTaken_exitOneWithOneLineInsteadOfAStackTrace() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path config =
          Files.writeString(
              dir.resolve("config.yml"),
              "version: 0.1\nstorage: {inmemory: }\nhttp: {addr: '127.0.0.1:%d', secret: s}\n"
                  .formatted(taken.getLocalPort()));

      Processes.Result result =
          Processes.run(TIMEOUT, environment(Map.of()), java("serve", config.toString()));

      assertFailedToStartInOneLine(result);
    }
  }

  @Test
  void storeUnreachable_exitOneWithOneLineInsteadOfAStackTrace() throws Exception {
    int nobody = FreePort.find();
    Path config =
        Files.writeString(
            dir.resolve("config.yml"),
            """
            version: 0.1
            storage:
              s3:
                bucket: registry
                region: us-east-1
                regionendpoint: http://127.0.0.1:%d
                accesskey: a
                secretkey: b
            http:
              addr: 127.0.0.1:%d
              secret: s
            """
                .formatted(nobody, FreePort.find()));

    Processes.Result result =
        Processes.run(TIMEOUT, environment(Map.of()), java("serve", config.toString()));

    assertFailedToStartInOneLine(result, "127.0.0.1:" + nobody);
  }

  @Test
  void withoutRedis_blobLookupsLoadNoRedisClientClass() throws Exception {
    int port = FreePort.find();
    Path config =
        Files.writeString(
            dir.resolve("config.yml"),
            """
            version: 0.1
            storage:
              filesystem:
                rootdirectory: %s
            http:
              addr: 127.0.0.1:%d
              secret: test-secret
            """
                .formatted(dir.resolve("store"), port));
    Path classes = dir.resolve("classes.txt");
    List<String> command = new ArrayList<>(java(config.toString()));
    // The JVM's class-loading log, before -jar: every class the process loaded, by name.
    command.add(1, "-Xlog:class+load=info:file=" + classes);

    try (BackgroundProcess berth =
        BackgroundProcess.start(dir.resolve("berth.log"), environment(Map.of()), command)) {
      String v2 = "http://127.0.0.1:" + port + "/v2/";
      boolean answered =
          dev.berth.it.support.Http.await(
              TIMEOUT, () -> !berth.isAlive() || dev.berth.it.support.Http.answers200(v2));
      assertThat(answered && berth.isAlive()).as(berth::output).isTrue();
      String blob = "/v2/team/app/blobs/sha256:" + "0".repeat(64);
      assertThat(
              Http.send(port, "HEAD", blob, java.net.http.HttpRequest.BodyPublishers.noBody())
                  .statusCode())
          .isEqualTo(404);
      berth.terminate();
      assertThat(berth.awaitExit(TIMEOUT)).as(berth::output).hasValue(0);
    }

    assertThat(Files.readString(classes))
        .contains("dev.berth.registry.LookupCache")
        .doesNotContain("redis.clients.", "org.apache.commons.pool2.");
  }

  @Test
  void missingFile_asFirstArgument_exitOneNamingIt() throws Exception {
    Path missing = dir.resolve("config.yml");

    Processes.Result result =
        Processes.run(TIMEOUT, environment(Map.of()), java(missing.toString()));

    assertThat(result.exitCode()).as(result::describe).isEqualTo(1);
    assertThat(result.stderr())
        .as(result::describe)
        .contains("  error: " + missing + ": the configuration file does not exist")
        .doesNotContain("Exception", "Usage:");
  }

  @Test
  void configCheck_fileFromRegistryConfigurationPath_isLoaded() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("from-variable.yml"),
            "version: 0.1\nstorage: {inmemory: }\nhttp: {addr: ':6001', secret: s}\n");

    Processes.Result result =
        Processes.run(
            TIMEOUT,
            environment(Map.of("REGISTRY_CONFIGURATION_PATH", config.toString())),
            java("config", "check"));

    assertThat(result.exitCode()).as(result::describe).isZero();
    assertThat(result.stdout())
        .contains("# configuration: " + config)
        .containsPattern("http\\.addr +:6001  # " + java.util.regex.Pattern.quote(config + ":3"));
  }
}
