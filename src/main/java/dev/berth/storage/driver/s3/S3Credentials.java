package dev.berth.storage.driver.s3;

import dev.berth.config.StorageSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.ProfileFileLocation;
import software.amazon.awssdk.profiles.ProfileFileSystemSetting;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Where the driver's AWS credentials come from: the static {@code accesskey} and {@code secretkey}
 * (with {@code sessiontoken}), or, without them, the sources of the AWS SDK's default chain in its
 * order: the {@code aws.accessKeyId} system property, the environment ({@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}), web identity (IAM roles for service
 * accounts on EKS: {@code AWS_WEB_IDENTITY_TOKEN_FILE} and {@code AWS_ROLE_ARN}, exchanged at STS),
 * the shared profile files ({@code AWS_PROFILE}, {@code AWS_SHARED_CREDENTIALS_FILE}, {@code
 * AWS_CONFIG_FILE}), container credentials (EKS Pod Identity, ECS: {@code
 * AWS_CONTAINER_CREDENTIALS_FULL_URI} or {@code _RELATIVE_URI}) and instance metadata (IMDS).
 *
 * <p>The chain is assembled here from the SDK's own providers, rather than taken whole as {@code
 * DefaultCredentialsProvider}, so that when no source gives credentials the error says in words,
 * source by source, which were not configured and what went wrong with the others. The source that
 * gave credentials is asked first from then on, as the SDK's chain does. Thread-safe.
 */
final class S3Credentials implements AwsCredentialsProvider, SdkAutoCloseable {

  /** How the failure to find credentials starts, so that error mapping can recognise it. */
  static final String NONE_FOUND = "found no AWS credentials";

  private static final Logger log = LoggerFactory.getLogger(S3Credentials.class);

  /**
   * One source of the chain.
   *
   * @param name what an operator knows it as
   * @param configured whether its settings are present at all; a source without them is only listed
   *     as not configured
   * @param provider the SDK's provider
   */
  private record Source(String name, BooleanSupplier configured, AwsCredentialsProvider provider) {}

  private final List<Source> sources;
  private volatile @Nullable Source last;

  private S3Credentials(List<Source> sources) {
    this.sources = sources;
  }

  /** The credentials provider for the configuration: the static keys, or the default chain. */
  static AwsCredentialsProvider of(StorageSettings.S3 s3) {
    String accessKey = s3.accessKey();
    String secretKey = s3.secretKey();
    if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
      return defaultChain();
    }
    String token = s3.sessionToken();
    AwsCredentials keys =
        token == null || token.isBlank()
            ? AwsBasicCredentials.create(accessKey, secretKey)
            : AwsSessionCredentials.create(accessKey, secretKey, token);
    return StaticCredentialsProvider.create(keys);
  }

  private static S3Credentials defaultChain() {
    String profile = ProfileFileSystemSetting.AWS_PROFILE.getStringValueOrThrow();
    return new S3Credentials(
        List.of(
            new Source(
                "system property aws.accessKeyId",
                () -> System.getProperty("aws.accessKeyId") != null,
                SystemPropertyCredentialsProvider.create()),
            new Source(
                "environment AWS_ACCESS_KEY_ID",
                () -> System.getenv("AWS_ACCESS_KEY_ID") != null,
                EnvironmentVariableCredentialsProvider.create()),
            new Source(
                "web identity (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN, via STS)",
                () -> set(SdkSystemSetting.AWS_WEB_IDENTITY_TOKEN_FILE),
                WebIdentityTokenFileCredentialsProvider.create()),
            new Source(
                "profile "
                    + profile
                    + " (AWS_PROFILE, AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE)",
                () ->
                    ProfileFileLocation.credentialsFileLocation().isPresent()
                        || ProfileFileLocation.configurationFileLocation().isPresent(),
                ProfileCredentialsProvider.create()),
            new Source(
                "container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI or _RELATIVE_URI)",
                () ->
                    set(SdkSystemSetting.AWS_CONTAINER_CREDENTIALS_FULL_URI)
                        || set(SdkSystemSetting.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI),
                ContainerCredentialsProvider.builder().build()),
            new Source(
                "instance metadata (IMDS)",
                () -> !SdkSystemSetting.AWS_EC2_METADATA_DISABLED.getBooleanValueOrThrow(),
                InstanceProfileCredentialsProvider.builder().build())));
  }

  @Override
  public AwsCredentials resolveCredentials() {
    Source known = last;
    if (known != null) {
      try {
        return known.provider().resolveCredentials();
      } catch (RuntimeException e) {
        // Expired and not renewable, say: look through the whole chain again.
        last = null;
      }
    }
    List<String> failures = new ArrayList<>();
    List<String> absent = new ArrayList<>();
    for (Source source : sources) {
      if (!source.configured().getAsBoolean()) {
        absent.add(source.name());
        continue;
      }
      try {
        AwsCredentials credentials = source.provider().resolveCredentials();
        last = source;
        if (!source.equals(known)) {
          log.atInfo()
              .setMessage("s3 credentials found")
              .addKeyValue("driver", "s3")
              .addKeyValue("s3.credentials", source.name())
              .log();
        }
        return credentials;
      } catch (RuntimeException e) {
        failures.add(source.name() + " failed: " + S3Errors.plain(e));
      }
    }
    String tried = failures.isEmpty() ? "" : String.join("; ", failures) + "; ";
    throw SdkClientException.create(
        NONE_FOUND
            + ": accesskey and secretkey are not set, and no source of the AWS SDK's default chain"
            + " gave any: "
            + tried
            + "not configured: "
            + String.join(", ", absent));
  }

  @Override
  public void close() {
    for (Source source : sources) {
      if (source.provider() instanceof SdkAutoCloseable closeable) {
        closeable.close();
      }
    }
  }

  private static boolean set(SdkSystemSetting setting) {
    return setting.getStringValue().filter(v -> !v.isBlank()).isPresent();
  }

  @Override
  public String toString() {
    return "S3Credentials(default chain)";
  }
}
