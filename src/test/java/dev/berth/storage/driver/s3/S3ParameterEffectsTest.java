package dev.berth.storage.driver.s3;

import static dev.berth.storage.driver.StorageTestData.bytes;
import static dev.berth.storage.driver.StorageTestData.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.StorageSettings;
import dev.berth.storage.driver.FileWriter;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.Type;

/**
 * What the s3 parameters without an effect on the stored bytes do to the requests the driver sends:
 * S3Proxy behind a relay that records every request ({@link S3FaultProxy#recording}). {@code
 * storageclass} and {@code objectacl} on every object written (PutObject, CreateMultipartUpload,
 * CopyObject), {@code useragent} and {@code sessiontoken} on every request, {@code
 * multipartcopymaxconcurrency} on parallel part copies, and {@code usedualstack} and {@code
 * accelerate}, which choose among AWS endpoints: with AWS the endpoints the SDK would talk to (no
 * request is sent), with a custom endpoint nothing changes. How each parameter is parsed is in
 * {@code dev.berth.config.S3ParameterParsingTest}.
 */
class S3ParameterEffectsTest {

  @RegisterExtension static final S3ProxyServer s3 = S3ProxyServer.filesystem();

  private static final String BUCKET = "effects";
  private static final long MIB = S3Settings.MIB;
  private static final AtomicInteger roots = new AtomicInteger();

  private static S3FaultProxy relay;

  private StorageSettings.S3 base;

  @BeforeAll
  static void start() throws IOException {
    s3.createBucket(BUCKET);
    relay = S3FaultProxy.recording(s3);
  }

  @AfterAll
  static void stop() {
    if (relay != null) {
      relay.close();
    }
  }

  @BeforeEach
  void freshRoot() {
    relay.clearRequests();
    // Writes above 5 MiB are multipart uploads; copies up to 32 MiB are one CopyObject.
    base =
        S3Settings.withSizes(
            relay.settings(BUCKET, "/effects-" + roots.incrementAndGet()),
            5 * MIB,
            5 * MIB,
            32 * MIB);
  }

  /** Writes one small object, one multipart upload, and copies (moves) the small one. */
  private static void writeEveryWay(S3Driver driver) {
    driver.putContent("/small", text("small"));
    try (FileWriter writer = driver.writer("/large", false)) {
      writer.write(ByteBuffer.wrap(bytes((int) (6 * MIB), 3)));
      writer.commit();
    }
    driver.move("/small", "/moved");
  }

  /** The requests that create objects: PutObject, CreateMultipartUpload, CopyObject. */
  private static List<S3FaultProxy.Request> objectCreations() {
    List<S3FaultProxy.Request> creations =
        relay.requests().stream()
            .filter(
                r ->
                    (r.method().equals("PUT") && !r.target().contains("partNumber="))
                        || (r.method().equals("POST") && r.target().endsWith("?uploads")))
            .toList();
    assertThat(creations)
        .as("PutObject, CreateMultipartUpload and CopyObject requests")
        .extracting(r -> r.method() + (r.header("x-amz-copy-source") == null ? "" : " copy"))
        .contains("PUT", "POST", "PUT copy");
    return creations;
  }

  @Test
  void storageClass_default_standardOnEveryNewObject() {
    try (S3Driver driver = S3Driver.create(base)) {
      writeEveryWay(driver);
    }

    assertThat(objectCreations())
        .allSatisfy(r -> assertThat(r.header("x-amz-storage-class")).isEqualTo("STANDARD"));
  }

  @Test
  void storageClass_reducedRedundancy_onEveryNewObject() {
    try (S3Driver driver =
        S3Driver.create(S3Settings.with(base, "storageClass", "REDUCED_REDUNDANCY"))) {
      writeEveryWay(driver);
    }

    assertThat(objectCreations())
        .allSatisfy(
            r -> assertThat(r.header("x-amz-storage-class")).isEqualTo("REDUCED_REDUNDANCY"));
  }

  @Test
  void storageClass_none_sendsNoStorageClassAndWorks() {
    try (S3Driver driver = S3Driver.create(S3Settings.with(base, "storageClass", "NONE"))) {
      writeEveryWay(driver);

      assertThat(driver.getContent("/moved")).isEqualTo(text("small"));
      assertThat(driver.stat("/large").size()).isEqualTo(6 * MIB);
      driver.delete("/large");
      driver.delete("/moved");
    }

    assertThat(relay.requests())
        .allSatisfy(r -> assertThat(r.header("x-amz-storage-class")).isNull());
  }

  @Test
  void objectAcl_default_sendsNoAclSoTheBucketDecides() {
    // private is every object's default; not sending it also works on buckets with ACLs
    // disabled (object ownership "bucket owner enforced"), which refuse any x-amz-acl but theirs.
    try (S3Driver driver = S3Driver.create(base)) {
      writeEveryWay(driver);
    }

    assertThat(relay.requests()).allSatisfy(r -> assertThat(r.header("x-amz-acl")).isNull());
  }

  @Test
  void objectAcl_publicRead_onEveryNewObjectAndInItsAcl() {
    StorageSettings.S3 settings = S3Settings.with(base, "objectAcl", "public-read");
    try (S3Driver driver = S3Driver.create(settings)) {
      writeEveryWay(driver);
    }

    assertThat(objectCreations())
        .allSatisfy(r -> assertThat(r.header("x-amz-acl")).isEqualTo("public-read"));
    String prefix = settings.rootDirectory().substring(1) + "/";
    try (S3Client client = s3.client()) {
      for (String key : List.of("large", "moved")) {
        List<Grant> grants = client.getObjectAcl(b -> b.bucket(BUCKET).key(prefix + key)).grants();
        assertThat(grants)
            .as("grants of " + key)
            .anySatisfy(
                g -> {
                  assertThat(g.grantee().type()).isEqualTo(Type.GROUP);
                  assertThat(g.grantee().uri()).endsWith("/global/AllUsers");
                  assertThat(g.permission()).isEqualTo(Permission.READ);
                });
      }
    }
  }

  @Test
  void userAgent_set_appendedToEveryRequest() {
    try (S3Driver driver =
        S3Driver.create(S3Settings.with(base, "userAgent", "acme-registry/1.2"))) {
      writeEveryWay(driver);
      driver.list("/");
    }

    assertThat(relay.requests())
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.header("user-agent")).contains("acme-registry/1.2"));
  }

  @Test
  void userAgent_unset_sdkAgentOnly() {
    try (S3Driver driver = S3Driver.create(base)) {
      driver.putContent("/a", text("a"));
    }

    assertThat(relay.requests())
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.header("user-agent")).startsWith("aws-sdk-java/"));
  }

  @Test
  void sessionToken_set_sentAsSecurityTokenOnRequestsAndInPresignedUrls() {
    String token = "FwoGZXIvYXdzEBaaDTestSessionToken";
    try (S3Driver driver = S3Driver.create(S3Settings.with(base, "sessionToken", token))) {
      URI presigned = driver.redirectUrl("/moved", "GET", Duration.ofMinutes(20)).orElseThrow();
      assertThat(presigned.getQuery()).contains("X-Amz-Security-Token=" + token);

      // S3Proxy implements no temporary credentials: it refuses any security token with 501.
      assertThatThrownBy(() -> driver.putContent("/small", text("small")))
          .hasMessageContaining("501 NotImplemented");
    }

    assertThat(relay.requests())
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.header("x-amz-security-token")).isEqualTo(token));
  }

  @Test
  void sessionToken_unset_noSecurityToken() {
    try (S3Driver driver = S3Driver.create(base)) {
      driver.putContent("/a", text("a"));
    }

    assertThat(relay.requests())
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.header("x-amz-security-token")).isNull());
  }

  @Test
  void multipartCopyMaxConcurrency_two_copiesTwoPartsAtATime() {
    Predicate<S3FaultProxy.Request> partCopy =
        r ->
            r.method().equals("PUT")
                && r.target().contains("partNumber=")
                && r.header("x-amz-copy-source") != null;
    StorageSettings.S3 settings =
        S3Settings.with(
            S3Settings.withSizes(base, 5 * MIB, 5 * MIB, 32 * 1024),
            "multipartCopyMaxConcurrency",
            2);
    byte[] content = bytes((int) (15 * MIB) + 100, 4);
    try (S3Driver driver = S3Driver.create(settings)) {
      driver.putContent("/source", content);
      // Each part copy waits at the relay until all four are in flight, for at most 2 s: a
      // driver that allowed more than two at a time would have more in flight.
      relay.holdUntilConcurrent(partCopy, 4, Duration.ofSeconds(2));

      driver.move("/source", "/target");

      assertThat(relay.maxInFlight()).as("part copies in flight at once").isEqualTo(2);
      assertThat(relay.requests().stream().filter(partCopy)).hasSize(4);
      assertThat(driver.getContent("/target")).isEqualTo(content);
      driver.delete("/target");
    } finally {
      relay.holdUntilConcurrent(r -> false, 1, Duration.ZERO);
    }
  }

  @Test
  void dualStackAndAccelerate_customEndpoint_ignoredAndPathStyleToTheEndpoint() {
    // The SDK refuses dual-stack with a custom endpoint, and acceleration with path style; a
    // configuration that registry:2 runs with them must start and work the same.
    StorageSettings.S3 settings = S3Settings.with(base, "useDualStack", true, "accelerate", true);
    S3Parameters parameters = S3Parameters.of(settings, S3Limits.AWS);
    assertThat(parameters.withoutEffect()).containsExactly("usedualstack", "accelerate");

    try (S3Driver driver = S3Driver.create(settings)) {
      driver.checkBucket();
      writeEveryWay(driver);
      assertThat(driver.getContent("/moved")).isEqualTo(text("small"));
      URI presigned = driver.redirectUrl("/moved", "GET", Duration.ofMinutes(1)).orElseThrow();
      assertThat(presigned.getAuthority()).isEqualTo(relay.endpoint().getAuthority());
      driver.delete("/large");
      driver.delete("/moved");
    }

    assertThat(relay.requests())
        .isNotEmpty()
        .allSatisfy(
            r -> {
              assertThat(r.header("host")).isEqualTo(relay.endpoint().getAuthority());
              assertThat(r.target()).startsWith("/" + BUCKET);
            });
  }

  /** The URL the driver's S3 client and its presigner would use for a key on AWS. */
  private static List<String> awsUrls(StorageSettings.S3 settings) {
    S3Parameters parameters = S3Parameters.of(settings, S3Limits.AWS);
    try (S3Clients clients = new S3Clients(parameters)) {
      String client =
          clients.client().utilities().getUrl(b -> b.bucket("registry").key("k")).toString();
      String presigned =
          clients
              .presigner()
              .presignGetObject(
                  p ->
                      p.signatureDuration(Duration.ofMinutes(1))
                          .getObjectRequest(g -> g.bucket("registry").key("k")))
              .url()
              .toString();
      return List.of(client, presigned.substring(0, presigned.indexOf('?')));
    }
  }

  private static StorageSettings.S3 aws(boolean secure, Object... changes) {
    StorageSettings.S3 onAws =
        S3Settings.with(
            S3Settings.forEndpoint("unused", "registry", "/", "ak", "sk"),
            "regionEndpoint",
            null,
            "region",
            "eu-west-1",
            "forcePathStyle",
            false,
            "secure",
            secure);
    return S3Settings.with(onAws, changes);
  }

  @Test
  void dualStackAndAccelerate_aws_chooseTheSdkEndpoints() {
    assertThat(awsUrls(aws(true))).containsOnly("https://registry.s3.eu-west-1.amazonaws.com/k");
    assertThat(awsUrls(aws(true, "useDualStack", true)))
        .containsOnly("https://registry.s3.dualstack.eu-west-1.amazonaws.com/k");
    assertThat(awsUrls(aws(true, "accelerate", true)))
        .containsOnly("https://registry.s3-accelerate.amazonaws.com/k");
    assertThat(awsUrls(aws(true, "accelerate", true, "useDualStack", true)))
        .containsOnly("https://registry.s3-accelerate.dualstack.amazonaws.com/k");
  }

  @Test
  void accelerate_awsWithForcePathStyle_accelerationWins() {
    StorageSettings.S3 settings = aws(true, "accelerate", true, "forcePathStyle", true);

    assertThat(S3Parameters.of(settings, S3Limits.AWS).withoutEffect())
        .containsExactly("forcepathstyle");
    assertThat(awsUrls(settings)).containsOnly("https://registry.s3-accelerate.amazonaws.com/k");
  }

  @Test
  void dualStackAndAccelerate_awsNotSecure_plainHttpToTheSameHosts() {
    assertThat(awsUrls(aws(false, "useDualStack", true)))
        .containsOnly("http://registry.s3.dualstack.eu-west-1.amazonaws.com/k");
    assertThat(awsUrls(aws(false, "accelerate", true)))
        .containsOnly("http://registry.s3-accelerate.amazonaws.com/k");
  }
}
