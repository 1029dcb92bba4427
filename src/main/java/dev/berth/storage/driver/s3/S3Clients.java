package dev.berth.storage.driver.s3;

import dev.berth.config.StorageSettings;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.utils.AttributeMap;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The SDK clients of one driver: the sync {@link S3Client} on the Apache HTTP client, and the
 * {@link S3Presigner} for redirect URLs, sharing one credentials provider.
 *
 * <p>Credentials are the static keys or, without them, those of the SDK's default chain ({@link
 * S3Credentials}).
 */
final class S3Clients implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(S3Clients.class);

  /** How long to wait for a TCP connection: an unreachable endpoint fails fast. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** How long a response may stall between two packets before the attempt is retried. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  /** Attempts per request, the first included; retries back off exponentially with jitter. */
  static final int MAX_ATTEMPTS = 4;

  private final SdkHttpClient http;
  private final AwsCredentialsProvider credentials;
  private final S3Client client;
  private final S3Presigner presigner;

  S3Clients(S3Parameters parameters) {
    StorageSettings.S3 s3 = parameters.settings();
    this.credentials = S3Credentials.of(s3);
    this.http = httpClient(parameters);

    ClientOverrideConfiguration.Builder override =
        ClientOverrideConfiguration.builder()
            .retryStrategy(
                AwsRetryStrategy.standardRetryStrategy().toBuilder()
                    .maxAttempts(MAX_ATTEMPTS)
                    .build());
    if (s3.userAgent() != null && !s3.userAgent().isBlank()) {
      override.putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, s3.userAgent());
    }
    if (parameters.logRequests()) {
      override.addExecutionInterceptor(new S3RequestLogger());
    }
    if (!parameters.withoutEffect().isEmpty()) {
      log.atWarn()
          .setMessage("s3 parameters without effect")
          .addKeyValue("driver", "s3")
          .addKeyValue("s3.parameters", String.join(",", parameters.withoutEffect()))
          .addKeyValue(
              "reason",
              parameters.endpoint().isPresent()
                  ? "usedualstack and accelerate choose among AWS endpoints; regionendpoint is"
                      + " used as given"
                  : "transfer acceleration addresses buckets by host name; forcepathstyle is"
                      + " ignored")
          .log();
    }
    if (!s3.v4Auth()) {
      log.atWarn()
          .setMessage("s3 v4auth false is not supported, signing with v4")
          .addKeyValue("driver", "s3")
          .log();
    }

    S3ClientBuilder builder =
        S3Client.builder()
            .httpClient(http)
            .credentialsProvider(credentials)
            .region(parameters.region())
            .forcePathStyle(parameters.pathStyle())
            .dualstackEnabled(parameters.dualStackEndpoints())
            .accelerate(parameters.accelerateEndpoints())
            .overrideConfiguration(override.build());
    S3Presigner.Builder presignerBuilder =
        S3Presigner.builder()
            .credentialsProvider(credentials)
            .region(parameters.region())
            .dualstackEnabled(parameters.dualStackEndpoints())
            .serviceConfiguration(
                S3Configuration.builder()
                    .pathStyleAccessEnabled(parameters.pathStyle())
                    .accelerateModeEnabled(parameters.accelerateEndpoints())
                    .build());
    parameters
        .endpoint()
        .ifPresent(
            endpoint -> {
              builder.endpointOverride(endpoint);
              presignerBuilder.endpointOverride(endpoint);
            });
    if (s3.regionEndpoint() != null && !s3.regionEndpoint().isBlank()) {
      // S3-compatible stores vary in their support of the newer flexible checksums (trailing
      // CRC32 headers); ask for checksums only where the API requires them.
      builder
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    this.client = builder.build();
    this.presigner = presignerBuilder.build();
  }

  /** The S3 client; thread-safe. */
  S3Client client() {
    return client;
  }

  /** The credentials provider both clients sign with. */
  AwsCredentialsProvider credentials() {
    return credentials;
  }

  /** The presigner for redirect URLs; thread-safe. */
  S3Presigner presigner() {
    return presigner;
  }

  @Override
  public void close() {
    presigner.close();
    client.close();
    http.close();
    if (credentials instanceof SdkAutoCloseable closeable) {
      closeable.close();
    }
  }

  private static SdkHttpClient httpClient(S3Parameters parameters) {
    Apache5HttpClient.Builder builder =
        Apache5HttpClient.builder()
            .connectionTimeout(CONNECT_TIMEOUT)
            .socketTimeout(READ_TIMEOUT)
            .connectionAcquisitionTimeout(Duration.ofSeconds(30))
            .maxConnections(Math.max(64, parameters.settings().multipartCopyMaxConcurrency()));
    if (parameters.settings().skipVerify()) {
      return builder.buildWithDefaults(
          AttributeMap.builder()
              .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, Boolean.TRUE)
              .build());
    }
    return builder.build();
  }
}
