package dev.berth.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Runs Debian's {@code skopeo} against plain-HTTP registries on 127.0.0.1. Every call has a time
 * limit and is killed when it overruns; no policy file is needed thanks to {@code
 * --insecure-policy}.
 */
public final class Skopeo {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private static @Nullable Path authFile;

  private Skopeo() {}

  /** Runs {@code skopeo --insecure-policy ARGS...} and fails unless it exits 0. */
  public static Processes.Result run(String... args) throws IOException, InterruptedException {
    return attempt(args).requireSuccess();
  }

  /** Runs {@code skopeo --insecure-policy ARGS...} and returns the result whatever the status. */
  public static Processes.Result attempt(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
    command.addAll(List.of(args));
    // No credentials from the machine's environment reach the registries under test.
    return Processes.run(TIMEOUT, Map.of("REGISTRY_AUTH_FILE", emptyAuthFile()), command);
  }

  private static synchronized String emptyAuthFile() throws IOException {
    if (authFile == null) {
      Path file = Files.createTempFile("berth-it-auth-", ".json");
      file.toFile().deleteOnExit();
      Files.writeString(file, "{\"auths\":{}}");
      authFile = file;
    }
    return authFile.toString();
  }

  /**
   * {@code skopeo copy} with TLS checks off, failing if skopeo would rewrite a manifest.
   *
   * @param all whether to copy every image of an index ({@code --all})
   * @param source the source image ({@code oci:DIR:TAG}, {@code docker://HOST/NAME:TAG})
   * @param destination the destination image
   */
  public static void copy(boolean all, String source, String destination)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("copy", "--preserve-digests"));
    if (all) {
      args.add("--all");
    }
    args.addAll(List.of("--src-tls-verify=false", "--dest-tls-verify=false", source, destination));
    run(args.toArray(String[]::new));
  }
}
