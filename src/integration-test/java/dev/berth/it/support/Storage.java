package dev.berth.it.support;

import dev.berth.storage.driver.s3.S3ProxyServer;
import java.net.URI;
import java.nio.file.Path;

/**
 * The storage lines of a registry:2 {@code config.yml} (the driver, and whether blob GETs
 * redirect), written alike for Berth and for {@code docker-registry} so that both serve the same
 * tree.
 *
 * @param yaml the lines below {@code storage:}, indented by two spaces, each ending in a newline
 * @param description what the storage is, for messages
 */
public record Storage(String yaml, String description) {

  /** A filesystem tree. */
  public static Storage filesystem(Path root) {
    return new Storage("  filesystem:\n    rootdirectory: " + root + "\n", "filesystem " + root);
  }

  /**
   * A prefix of an S3Proxy bucket, with the test keys, SigV4 and path-style addressing.
   *
   * @param endpoint the S3Proxy endpoint, {@code http://127.0.0.1:port}
   * @param bucket the bucket, which must exist
   * @param rootDirectory the key prefix, such as {@code /registry}
   * @param redirectDisabled {@code storage.redirect.disable}: whether blob GETs are served by the
   *     registry instead of a 307 to a presigned S3Proxy URL
   */
  public static Storage s3(
      URI endpoint, String bucket, String rootDirectory, boolean redirectDisabled) {
    String yaml =
        String.join(
            "\n",
            "  s3:",
            "    accesskey: " + S3ProxyServer.ACCESS_KEY,
            "    secretkey: " + S3ProxyServer.SECRET_KEY,
            // registry:2 2.8 wants a region even with a custom endpoint; Berth does not.
            "    region: us-east-1",
            "    regionendpoint: " + endpoint,
            "    forcepathstyle: true",
            "    secure: false",
            "    v4auth: true",
            "    bucket: " + bucket,
            "    rootdirectory: " + rootDirectory,
            "  redirect:",
            "    disable: " + redirectDisabled,
            "");
    return new Storage(yaml, "s3 bucket " + bucket + rootDirectory + " at " + endpoint);
  }
}
