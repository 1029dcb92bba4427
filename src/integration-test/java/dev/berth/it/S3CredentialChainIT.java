package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.cli.ServeCommand;
import dev.berth.it.support.BerthServer;
import dev.berth.it.support.OciLayout;
import dev.berth.it.support.OneRequest;
import dev.berth.it.support.Processes;
import dev.berth.it.support.PushSteps;
import dev.berth.storage.driver.s3.S3ProxyServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The s3 driver without {@code accesskey} and {@code secretkey}: {@code berth.jar} as a process
 * finds its credentials where the AWS SDK's default chain looks, and pushes and pulls on S3Proxy
 * (SigV4) with them: from the environment, from a shared credentials file's profile, and from a
 * container credentials endpoint (EKS Pod Identity, ECS), which a small HTTP server of this test on
 * 127.0.0.1 stands in for, as the Pod Identity agent would. Web identity (IRSA) is exchanged at
 * STS, which S3Proxy is not: a stand-in STS on 127.0.0.1 receives the token and refuses it, and
 * Berth's start-up error names web identity and what STS said. Without any source the error lists
 * every source and why it gave nothing.
 *
 * <p>Nothing of the build machine leaks in: every {@code AWS_*} variable is removed, {@code HOME}
 * and the profile files point into a temporary directory, and instance metadata is off ({@code
 * AWS_EC2_METADATA_DISABLED}), so no request leaves 127.0.0.1. S3Proxy refuses temporary
 * credentials (any {@code X-Amz-Security-Token}, 501), so the sources here give keys without a
 * session token.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class S3CredentialChainIT {
  private static final String BUCKET = "credential-chain";
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(90);

  @RegisterExtension static final S3ProxyServer s3 = S3ProxyServer.filesystem();

  @TempDir Path temp;

  @BeforeAll
  static void bucket() {
    s3.createBucket(BUCKET);
  }

  /** The storage section without static keys: the credentials must come from the chain. */
  private BerthServer.Options options(String rootDirectory) {
    String storage =
        String.join(
            "\n",
            "  s3:",
            "    regionendpoint: " + s3.endpoint(),
            "    bucket: " + BUCKET,
            "    rootdirectory: /" + rootDirectory,
            // Berth reads the blobs itself with the credentials, instead of presigning URLs.
            "  redirect:",
            "    disable: true");
    Path home = temp.resolve("home");
    return new BerthServer.Options(
        storage, false, BerthServer.SECRET, 0, List.of("-Xmx256m", "-Duser.home=" + home), "2s");
  }

  /** The process's environment: only the given AWS settings, no home of the machine, no IMDS. */
  private Map<String, String> isolated(Map<String, String> aws) throws IOException {
    Map<String, String> environment = new HashMap<>();
    System.getenv().keySet().stream()
        .filter(name -> name.startsWith("AWS_"))
        .forEach(name -> environment.put(name, ""));
    Path home = Files.createDirectories(temp.resolve("home"));
    environment.put("HOME", home.toString());
    environment.put("AWS_CONFIG_FILE", home.resolve("no-such-config").toString());
    environment.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("no-such-credentials").toString());
    environment.put("AWS_EC2_METADATA_DISABLED", "true");
    environment.putAll(aws);
    return environment;
  }

  /** Pushes an image, pulls it back byte for byte, and reads the blob through Berth. */
  private static void pushAndPull(BerthServer berth, String repository) throws IOException {
    byte[] config =
        "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
    byte[] layer = new byte[300_000];
    for (int i = 0; i < layer.length; i++) {
      layer[i] = (byte) (i * 31 + repository.length());
    }
    byte[] manifest = PushSteps.manifest(config, List.of(layer));
    PushSteps push = new PushSteps(berth.port());
    push.pushBlob(repository, config, false);
    push.pushBlob(repository, layer, true);
    push.putManifest(repository, "v1", manifest);

    OneRequest.Response pulled = push.getManifest(repository, "v1");
    assertThat(pulled.status()).as(pulled::text).isEqualTo(200);
    assertThat(pulled.body()).isEqualTo(manifest);
    OneRequest.Response blob = push.get("/v2/" + repository + "/blobs/" + OciLayout.digest(layer));
    assertThat(blob.status()).as(blob::text).isEqualTo(200);
    assertThat(blob.body()).isEqualTo(layer);
  }

  @Test
  void serve_keysInEnvironment_pushesAndPulls() throws Exception {
    Map<String, String> environment =
        isolated(
            Map.of(
                "AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY));

    try (BerthServer berth =
        BerthServer.startProcess(temp.resolve("env"), options("env"), environment)) {
      pushAndPull(berth, "chain/env");
      assertThat(berth.output()).contains("s3 credentials found", "environment AWS_ACCESS_KEY_ID");
    }
  }

  @Test
  void serve_profileInSharedCredentialsFile_pushesAndPullsWithThatProfile() throws Exception {
    Path credentials = temp.resolve("credentials");
    // The default profile holds a wrong secret: only AWS_PROFILE's profile can work.
    Files.writeString(
        credentials,
        String.join(
            "\n",
            "[default]",
            "aws_access_key_id = " + S3ProxyServer.ACCESS_KEY,
            "aws_secret_access_key = not-the-secret",
            "",
            "[registry-ci]",
            "aws_access_key_id = " + S3ProxyServer.ACCESS_KEY,
            "aws_secret_access_key = " + S3ProxyServer.SECRET_KEY,
            ""));
    Map<String, String> environment =
        isolated(
            Map.of(
                "AWS_SHARED_CREDENTIALS_FILE",
                credentials.toString(),
                "AWS_PROFILE",
                "registry-ci"));

    try (BerthServer berth =
        BerthServer.startProcess(temp.resolve("profile"), options("profile"), environment)) {
      pushAndPull(berth, "chain/profile");
      assertThat(berth.output()).contains("s3 credentials found", "profile registry-ci");
    }
  }

  @Test
  void serve_containerCredentialsEndpoint_pushesAndPullsWithItsKeys() throws Exception {
    // Stands in for the EKS Pod Identity agent (or ECS's endpoint): it serves the credentials
    // document to a request that carries the token from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE.
    String token = "pod-identity-token-for-the-test";
    Path tokenFile = Files.writeString(temp.resolve("eks-pod-identity-token"), token);
    List<String> authorizations = new CopyOnWriteArrayList<>();
    byte[] document =
        ("{\"AccessKeyId\":\""
                + S3ProxyServer.ACCESS_KEY
                + "\",\"SecretAccessKey\":\""
                + S3ProxyServer.SECRET_KEY
                + "\",\"Expiration\":\"2099-01-01T00:00:00Z\"}")
            .getBytes(StandardCharsets.UTF_8);
    HttpServer agent =
        loopbackServer(
            "/v1/credentials",
            exchange -> {
              String authorization = exchange.getRequestHeaders().getFirst("Authorization");
              authorizations.add(String.valueOf(authorization));
              return token.equals(authorization)
                  ? new Answer(200, "application/json", document)
                  : new Answer(
                      401,
                      "application/json",
                      "{\"message\":\"bad token\"}".getBytes(StandardCharsets.UTF_8));
            });
    try {
      Map<String, String> environment =
          isolated(
              Map.of(
                  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                  "http://127.0.0.1:" + agent.getAddress().getPort() + "/v1/credentials",
                  "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                  tokenFile.toString()));

      try (BerthServer berth =
          BerthServer.startProcess(temp.resolve("container"), options("container"), environment)) {
        pushAndPull(berth, "chain/container");
        assertThat(berth.output()).contains("s3 credentials found", "container credentials");
      }
      assertThat(authorizations).isNotEmpty().containsOnly(token);
    } finally {
      agent.stop(0);
    }
  }

  @Test
  void serve_webIdentityRefusedBySts_exitsNamingWebIdentityAndStsAnswer() throws Exception {
    // Stands in for STS: it records the AssumeRoleWithWebIdentity request and refuses the token.
    String token = "eyJhbGciOiJSUzI1NiJ9.service-account-token-for-the-test";
    Path tokenFile = Files.writeString(temp.resolve("web-identity-token"), token);
    String role = "arn:aws:iam::123456789012:role/berth-registry";
    List<String> requests = new CopyOnWriteArrayList<>();
    byte[] refusal =
        ("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
                + "<Type>Sender</Type><Code>InvalidIdentityToken</Code>"
                + "<Message>the test's STS accepts no token</Message></Error>"
                + "<RequestId>test</RequestId></ErrorResponse>")
            .getBytes(StandardCharsets.UTF_8);
    HttpServer sts =
        loopbackServer(
            "/",
            exchange -> {
              requests.add(
                  URLDecoder.decode(
                      new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                      StandardCharsets.UTF_8));
              return new Answer(400, "text/xml", refusal);
            });
    try {
      Map<String, String> environment =
          isolated(
              Map.of(
                  "AWS_WEB_IDENTITY_TOKEN_FILE",
                  tokenFile.toString(),
                  "AWS_ROLE_ARN",
                  role,
                  "AWS_ROLE_SESSION_NAME",
                  "berth-it",
                  "AWS_REGION",
                  "us-east-1",
                  "AWS_ENDPOINT_URL_STS",
                  "http://127.0.0.1:" + sts.getAddress().getPort()));

      Processes.Result result =
          BerthServer.serveExpectingFailure(
              temp.resolve("web-identity"), options("web-identity"), environment, EXIT_TIMEOUT);

      assertThat(result.exitCode()).as(result::describe).isEqualTo(ServeCommand.FAILED_TO_START);
      String line = failureLine(result);
      assertThat(line)
          .contains("bucket " + BUCKET + " at " + s3.endpoint())
          .contains("found no AWS credentials")
          .contains("web identity (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN, via STS) failed")
          .contains("the test's STS accepts no token")
          .doesNotContain("software.amazon", token);
      assertThat(requests)
          .isNotEmpty()
          .allSatisfy(
              body ->
                  assertThat(body)
                      .contains("Action=AssumeRoleWithWebIdentity")
                      .contains("RoleArn=" + role)
                      .contains("WebIdentityToken=" + token));
    } finally {
      sts.stop(0);
    }
  }

  @Test
  void serve_noCredentialSource_exitsListingEverySource() throws Exception {
    Processes.Result result =
        BerthServer.serveExpectingFailure(
            temp.resolve("none"), options("none"), isolated(Map.of()), EXIT_TIMEOUT);

    assertThat(result.exitCode()).as(result::describe).isEqualTo(ServeCommand.FAILED_TO_START);
    assertThat(failureLine(result))
        .contains("bucket " + BUCKET + " at " + s3.endpoint())
        .contains("accesskey and secretkey are not set")
        .contains(
            "not configured: system property aws.accessKeyId, environment AWS_ACCESS_KEY_ID, web"
                + " identity")
        .contains("profile default", "container credentials", "instance metadata (IMDS)")
        .doesNotContain("software.amazon", "Exception");
  }

  /** What a stand-in server answers. */
  @SuppressWarnings("ArrayRecordComponent")
  private record Answer(int status, String contentType, byte[] body) {}

  /** A request handler of a stand-in server. */
  private interface Responder {
    Answer answer(HttpExchange exchange) throws IOException;
  }

  /** Starts an HTTP server on 127.0.0.1 and a free port that answers every request at the path. */
  private static HttpServer loopbackServer(String path, Responder responder) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        path,
        exchange -> {
          Answer answer = responder.answer(exchange);
          exchange.getResponseHeaders().add("Content-Type", answer.contentType());
          exchange.sendResponseHeaders(answer.status(), answer.body().length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body());
          }
        });
    server.start();
    return server;
  }

  /** The one line {@code berth serve} printed about why it did not start. */
  private static String failureLine(Processes.Result result) {
    return (result.stdout() + "\n" + result.stderr())
        .lines()
        .filter(line -> line.startsWith("berth: failed to start: "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no failure line:\n" + result.describe()));
  }
}
