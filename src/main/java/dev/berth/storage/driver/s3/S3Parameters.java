package dev.berth.storage.driver.s3;

import dev.berth.config.StorageSettings;
import dev.berth.storage.driver.StorageException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * The s3 driver's parameters after registry:2's validation: the same ranges, the same accepted
 * values and, where registry:2 refuses a value, a start-up error naming the parameter.
 *
 * @param settings the configuration as given
 * @param region the region requests are signed for ({@code us-east-1} when only a custom endpoint
 *     is set)
 * @param endpoint the endpoint to talk to, or empty for AWS's own endpoints
 * @param rootPrefix the key prefix of the driver's root, without leading or trailing slash
 * @param storageClass the storage class to set, or empty for the store's default ({@code NONE})
 * @param acl the canned ACL to set, or empty for {@code private}, which is every store's default
 * @param encryption the server-side encryption to request, or empty
 * @param limits the multipart limits of the store
 * @see <a
 *     href="https://github.com/distribution/distribution/blob/main/docs/content/storage-drivers/s3.md">registry:2's
 *     s3 driver parameters</a>
 */
record S3Parameters(
    StorageSettings.S3 settings,
    Region region,
    Optional<URI> endpoint,
    String rootPrefix,
    Optional<StorageClass> storageClass,
    Optional<ObjectCannedACL> acl,
    Optional<ServerSideEncryption> encryption,
    S3Limits limits) {

  /** The storage classes registry:2 accepts (instant retrieval only), plus {@code NONE}. */
  static final List<String> STORAGE_CLASSES =
      List.of(
          "NONE",
          "STANDARD",
          "REDUCED_REDUNDANCY",
          "STANDARD_IA",
          "ONEZONE_IA",
          "INTELLIGENT_TIERING",
          "OUTPOSTS",
          "GLACIER_IR",
          "EXPRESS_ONEZONE");

  /** The canned ACLs registry:2 accepts. */
  static final Set<String> OBJECT_ACLS =
      Set.of(
          "private",
          "public-read",
          "public-read-write",
          "authenticated-read",
          "aws-exec-read",
          "bucket-owner-read",
          "bucket-owner-full-control");

  /** The {@code loglevel} values registry:2 knows; anything else means {@code off}, as there. */
  static final Set<String> LOG_LEVELS =
      Set.of(
          "off",
          "debug",
          "debugwithsigning",
          "debugwithhttpbody",
          "debugwithrequestretries",
          "debugwithrequesterrors",
          "debugwitheventstreambody");

  /**
   * Validates the configuration as registry:2 does.
   *
   * @throws StorageException naming the parameter and the accepted values when one is invalid
   */
  static S3Parameters of(StorageSettings.S3 s3, S3Limits limits) {
    if (s3.bucket().isBlank()) {
      throw invalid("no bucket parameter provided");
    }
    Optional<URI> endpoint = endpoint(s3);
    Region region = region(s3, endpoint.isPresent());
    if (!s3.v4Auth()
        && (endpoint.isEmpty() || endpoint.get().toString().contains("amazonaws.com"))) {
      throw invalid("on Amazon S3 this storage driver can only be used with v4 authentication");
    }

    long max = S3Limits.MAXIMUM_PART_SIZE;
    long min = limits.minimumPartSize();
    requireRange("chunksize", s3.chunkSize(), min, max);
    requireRange("multipartcopychunksize", s3.multipartCopyChunkSize(), min, max);
    requireRange("multipartcopymaxconcurrency", s3.multipartCopyMaxConcurrency(), 1, 10_000);
    requireRange("multipartcopythresholdsize", s3.multipartCopyThresholdSize(), 0, max);

    String storageClass = s3.storageClass().toUpperCase(Locale.ROOT);
    if (!STORAGE_CLASSES.contains(storageClass)) {
      throw invalid(
          "the storageclass parameter must be one of "
              + STORAGE_CLASSES
              + ", "
              + s3.storageClass()
              + " invalid");
    }
    if (!OBJECT_ACLS.contains(s3.objectAcl())) {
      throw invalid("invalid value for objectacl parameter: " + s3.objectAcl());
    }

    return new S3Parameters(
        s3,
        region,
        endpoint,
        rootPrefix(s3.rootDirectory()),
        storageClass.equals("NONE")
            ? Optional.empty()
            : Optional.of(StorageClass.fromValue(storageClass)),
        s3.objectAcl().equals("private")
            ? Optional.empty()
            : Optional.of(ObjectCannedACL.fromValue(s3.objectAcl())),
        !s3.encrypt()
            ? Optional.empty()
            : Optional.of(
                blank(s3.keyId()) ? ServerSideEncryption.AES256 : ServerSideEncryption.AWS_KMS),
        limits);
  }

  /** The bucket name. */
  String bucket() {
    return settings.bucket();
  }

  /** The KMS key for server-side encryption, when one is set and encryption is on. */
  Optional<String> kmsKeyId() {
    return encryption.isPresent() && !blank(settings.keyId())
        ? Optional.ofNullable(settings.keyId())
        : Optional.empty();
  }

  /**
   * Whether the SDK picks AWS's dual-stack (IPv6) endpoints: {@code usedualstack} on AWS. A custom
   * {@code regionendpoint} is used as given, and an insecure AWS endpoint already names the
   * dual-stack host ({@link #endpoint()}).
   */
  boolean dualStackEndpoints() {
    return settings.useDualStack() && endpoint.isEmpty();
  }

  /**
   * Whether the SDK picks S3 Transfer Acceleration endpoints: {@code accelerate} on AWS, as for
   * {@link #dualStackEndpoints()}.
   */
  boolean accelerateEndpoints() {
    return settings.accelerate() && endpoint.isEmpty();
  }

  /**
   * Whether requests use path-style addressing: {@code forcepathstyle}, except with transfer
   * acceleration on AWS, whose endpoints know buckets by host name only (registry:2 ignores
   * forcepathstyle there too).
   */
  boolean pathStyle() {
    return settings.forcePathStyle() && !acceleratedAws();
  }

  /**
   * The parameters set that this configuration leaves without effect, for a start-up warning:
   * {@code usedualstack} and {@code accelerate} choose among AWS's endpoints and do nothing with a
   * custom {@code regionendpoint}, and acceleration overrides {@code forcepathstyle}.
   */
  List<String> withoutEffect() {
    List<String> ignored = new ArrayList<>();
    if (customEndpoint()) {
      if (settings.useDualStack()) {
        ignored.add("usedualstack");
      }
      if (settings.accelerate()) {
        ignored.add("accelerate");
      }
    } else if (acceleratedAws() && settings.forcePathStyle()) {
      ignored.add("forcepathstyle");
    }
    return ignored;
  }

  private boolean customEndpoint() {
    return !blank(settings.regionEndpoint());
  }

  private boolean acceleratedAws() {
    return settings.accelerate() && !customEndpoint();
  }

  /** Where requests go, for messages: the custom endpoint or AWS's endpoint for the region. */
  String endpointDescription() {
    if (endpoint.isPresent()) {
      return endpoint.get().toString();
    }
    if (settings.accelerate()) {
      return settings.useDualStack()
          ? "s3-accelerate.dualstack.amazonaws.com"
          : "s3-accelerate.amazonaws.com";
    }
    return settings.useDualStack()
        ? "s3.dualstack." + region.id() + ".amazonaws.com"
        : "s3." + region.id() + ".amazonaws.com";
  }

  /** Whether the configured {@code loglevel} asks for request logging. */
  boolean logRequests() {
    String level = settings.logLevel().toLowerCase(Locale.ROOT);
    return LOG_LEVELS.contains(level) && !level.equals("off");
  }

  private static Optional<URI> endpoint(StorageSettings.S3 s3) {
    String scheme = s3.secure() ? "https://" : "http://";
    String given = s3.regionEndpoint();
    if (given == null || given.isBlank()) {
      if (s3.secure() || blank(s3.region())) {
        return Optional.empty();
      }
      // secure: false without an endpoint talks plain HTTP to the region's own endpoint, or to
      // the (dual-stack) acceleration endpoint, which serves every region.
      String dualStack = s3.useDualStack() ? "dualstack." : "";
      String host =
          s3.accelerate()
              ? "s3-accelerate." + dualStack + "amazonaws.com"
              : "s3." + dualStack + s3.region() + ".amazonaws.com";
      return Optional.of(URI.create(scheme + host));
    }
    String withScheme = given.contains("://") ? given : scheme + given;
    try {
      URI uri = URI.create(withScheme);
      if (uri.getHost() == null) {
        throw invalid("regionendpoint has no host: " + given);
      }
      return Optional.of(uri);
    } catch (IllegalArgumentException e) {
      throw invalid("regionendpoint is not a URL: " + given);
    }
  }

  private static Region region(StorageSettings.S3 s3, boolean customEndpoint) {
    String name = s3.region();
    if (blank(name)) {
      if (customEndpoint) {
        // A custom endpoint (MinIO, Ceph RGW...) needs a region only to sign requests.
        return Region.US_EAST_1;
      }
      throw invalid("no region parameter provided");
    }
    Region region = Region.of(name);
    if (!customEndpoint && !Region.regions().contains(region)) {
      throw invalid("invalid region provided: " + name);
    }
    return region;
  }

  private static String rootPrefix(String rootDirectory) {
    int start = 0;
    int end = rootDirectory.length();
    while (start < end && rootDirectory.charAt(start) == '/') {
      start++;
    }
    while (end > start && rootDirectory.charAt(end - 1) == '/') {
      end--;
    }
    return rootDirectory.substring(start, end);
  }

  private static void requireRange(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw invalid(
          "the "
              + name
              + " "
              + value
              + " parameter should be a number between "
              + min
              + " and "
              + max
              + " (inclusive)");
    }
  }

  private static boolean blank(@Nullable String value) {
    return value == null || value.isBlank();
  }

  private static StorageException invalid(String message) {
    return new StorageException("invalid s3 storage configuration: " + message, null);
  }
}
