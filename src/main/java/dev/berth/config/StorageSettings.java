package dev.berth.config;

import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code storage} section: one driver and the settings that apply to any driver.
 *
 * @param driver the chosen driver and its parameters
 * @param deleteEnabled {@code storage.delete.enabled}: whether blobs and manifests may be deleted
 *     (default false)
 * @param redirectDisabled {@code storage.redirect.disable}: whether blob GETs are served by the
 *     registry instead of redirecting to the store (default false)
 * @param readOnly {@code storage.maintenance.readonly.enabled}: whether writes are refused (default
 *     false)
 * @param uploadPurging {@code storage.maintenance.uploadpurging}: removing abandoned uploads
 * @param tagConcurrencyLimit {@code storage.tag.concurrencylimit}: parallel tag reads, 0 for the
 *     number of CPUs (default 0); not acted on yet
 */
public record StorageSettings(
    Driver driver,
    boolean deleteEnabled,
    boolean redirectDisabled,
    boolean readOnly,
    UploadPurging uploadPurging,
    int tagConcurrencyLimit) {

  /** The storage settings with registry:2's defaults for everything after {@code readOnly}. */
  public StorageSettings(
      Driver driver, boolean deleteEnabled, boolean redirectDisabled, boolean readOnly) {
    this(driver, deleteEnabled, redirectDisabled, readOnly, UploadPurging.defaults(), 0);
  }

  /** Filesystem storage under {@code ./data}. */
  public static StorageSettings defaults() {
    return new StorageSettings(new Filesystem(Path.of("data")), false, false, false);
  }

  /** The storage driver and its parameters. */
  public sealed interface Driver permits Filesystem, InMemory, S3 {
    /** The driver's name as written in the configuration. */
    String name();
  }

  /**
   * {@code storage.filesystem}.
   *
   * @param rootDirectory where the registry tree is stored (default {@code /var/lib/registry} in
   *     registry:2; Berth's embedded default is {@code ./data})
   */
  public record Filesystem(Path rootDirectory) implements Driver {
    @Override
    public String name() {
      return "filesystem";
    }
  }

  /** {@code storage.inmemory}: everything is lost when the process ends. For tests. */
  public record InMemory() implements Driver {
    @Override
    public String name() {
      return "inmemory";
    }
  }

  /**
   * {@code storage.s3}: the parameters of registry:2's s3 driver, same names and defaults.
   *
   * @param accessKey static access key, or null for the SDK's default credential chain
   * @param secretKey static secret key, or null
   * @param sessionToken session token for temporary static keys, or null
   * @param region the AWS region (required unless {@code regionEndpoint} is set)
   * @param regionEndpoint a custom endpoint (MinIO, Ceph RGW...), or null for AWS
   * @param forcePathStyle whether to use path-style addressing (default: true with a custom
   *     endpoint, false otherwise)
   * @param bucket the bucket name
   * @param encrypt whether objects are encrypted server side (default false)
   * @param keyId the KMS key for server-side encryption, or null for S3-managed keys
   * @param secure whether to use HTTPS (default true)
   * @param skipVerify whether to skip TLS certificate checks (default false)
   * @param v4Auth whether to sign with SigV4 (default true; SigV2 is not supported)
   * @param chunkSize the multipart part size in bytes (default 10 MiB, at least 5 MiB)
   * @param multipartCopyChunkSize the part size of server-side multipart copies (default 32 MiB)
   * @param multipartCopyMaxConcurrency parallel part copies (default 100)
   * @param multipartCopyThresholdSize size above which copies are multipart (default 32 MiB)
   * @param rootDirectory a key prefix inside the bucket (default empty)
   * @param storageClass {@code STANDARD} (default), {@code REDUCED_REDUNDANCY}... or {@code NONE}
   * @param objectAcl the canned ACL of new objects (default {@code private})
   * @param userAgent extra user agent text, or null
   * @param useDualStack whether to use dual-stack endpoints (default false)
   * @param accelerate whether to use transfer acceleration (default false)
   * @param logLevel the SDK log level (default {@code off})
   */
  public record S3(
      @Nullable String accessKey,
      @Nullable String secretKey,
      @Nullable String sessionToken,
      @Nullable String region,
      @Nullable String regionEndpoint,
      boolean forcePathStyle,
      String bucket,
      boolean encrypt,
      @Nullable String keyId,
      boolean secure,
      boolean skipVerify,
      boolean v4Auth,
      long chunkSize,
      long multipartCopyChunkSize,
      int multipartCopyMaxConcurrency,
      long multipartCopyThresholdSize,
      String rootDirectory,
      String storageClass,
      String objectAcl,
      @Nullable String userAgent,
      boolean useDualStack,
      boolean accelerate,
      String logLevel)
      implements Driver {
    @Override
    public String name() {
      return "s3";
    }

    /** The region endpoint, when one is set. */
    public Optional<String> endpoint() {
      return Optional.ofNullable(regionEndpoint);
    }
  }
}
