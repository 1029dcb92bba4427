package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.storage.driver.s3.S3ProxyServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code berth serve} on an S3 store it cannot use (S3Proxy with the wrong secret, a bucket that
 * does not exist, an endpoint nobody listens on) exits at once with one line that names the bucket,
 * the endpoint and the problem, and prints no stack trace and no secret.
 */
@Timeout(120)
class ServeStartupFailureTest {
  @RegisterExtension static final S3ProxyServer s3 = S3ProxyServer.filesystem();

  @TempDir Path dir;

  private String run(String endpoint, String bucket, String secretKey) throws IOException {
    Path config = dir.resolve("config.yml");
    // No log section: the command applies it to the JVM's logging, which other tests share.
    Files.writeString(
        config,
        String.join(
            "\n",
            "version: 0.1",
            "storage:",
            "  s3:",
            "    accesskey: " + S3ProxyServer.ACCESS_KEY,
            "    secretkey: " + secretKey,
            "    regionendpoint: " + endpoint,
            "    bucket: " + bucket,
            "http:",
            "  addr: 127.0.0.1:0",
            "  secret: startup-test-secret",
            ""));
    CommandLine commandLine = new CommandLine(new ServeCommand(Map.of(), path -> false));
    StringWriter err = new StringWriter();
    commandLine.setErr(new PrintWriter(err));

    int status = commandLine.execute(config.toString());

    assertThat(status).as(err.toString()).isEqualTo(ServeCommand.FAILED_TO_START);
    assertThat(err.toString())
        .startsWith("berth: failed to start: s3 start-up check failed")
        .contains("bucket " + bucket + " at " + endpoint)
        .doesNotContain("\tat ", "Caused by", secretKey, "software.amazon", "Exception");
    assertThat(err.toString().strip().lines()).hasSize(1);
    return err.toString();
  }

  @Test
  void serve_wrongSecretKey_exitsNamingTheDenial() throws IOException {
    s3.createBucket("guarded");

    assertThat(run(s3.endpoint().toString(), "guarded", "not-the-secret-key"))
        .contains("HeadBucket")
        .contains("denied");
  }

  @Test
  void serve_missingBucket_exitsSayingItDoesNotExist() throws IOException {
    assertThat(run(s3.endpoint().toString(), "never-created", S3ProxyServer.SECRET_KEY))
        .contains("does not exist");
  }

  @Test
  void serve_unreachableEndpoint_exitsSayingItCannotReachIt() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }

    assertThat(run("http://127.0.0.1:" + closedPort, "any", S3ProxyServer.SECRET_KEY))
        .contains("cannot reach", "Connection refused", "check regionendpoint");
  }
}
