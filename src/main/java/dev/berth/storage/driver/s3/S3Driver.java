package dev.berth.storage.driver.s3;

import dev.berth.config.StorageSettings;
import dev.berth.storage.driver.FileInfo;
import dev.berth.storage.driver.FileWriter;
import dev.berth.storage.driver.InvalidOffsetException;
import dev.berth.storage.driver.PathNotFoundException;
import dev.berth.storage.driver.StorageDriver;
import dev.berth.storage.driver.StorageException;
import dev.berth.storage.driver.StorageKeys;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The {@code s3} storage driver: the registry's key space in an S3 bucket, on the AWS SDK for Java
 * v2, with the keys, parameters and semantics of registry:2's s3 driver.
 *
 * <p>Object keys are {@code <rootdirectory>/<path>} ({@link S3Keys}); directories are key prefixes,
 * listed as common prefixes. Small objects are written with one {@code PutObject}, large ones as
 * resumable multipart uploads ({@link S3FileWriter}); {@link #move} copies server side ({@link
 * S3Copier}) and then deletes the source. Reads of known keys ({@link #getContent}, {@link
 * #reader}) never list, so tag and manifest lookups cost one request.
 *
 * <p>Failures surface as {@link StorageException}; S3 asking to slow down, S3 errors 5xx and an
 * unreachable endpoint as {@link dev.berth.storage.driver.StorageUnavailableException}, after the
 * SDK's retries with backoff. Thread-safe.
 */
public final class S3Driver implements StorageDriver {

  private static final Logger log = LoggerFactory.getLogger(S3Driver.class);

  private final S3Clients clients;
  private final S3Bucket bucket;
  private final S3Keys keys;
  private final S3Copier copier;
  private final S3Walker walker;

  private S3Driver(S3Parameters parameters) {
    this.clients = new S3Clients(parameters);
    this.bucket = new S3Bucket(clients.client(), parameters);
    this.keys = bucket.keys();
    this.copier = new S3Copier(bucket);
    this.walker = new S3Walker(bucket);
  }

  /**
   * Creates the driver. It does not contact S3 yet: call {@link #checkBucket()} at start-up.
   *
   * @throws StorageException when a parameter is invalid, naming it
   */
  public static S3Driver create(StorageSettings.S3 settings) {
    return create(settings, S3Limits.AWS);
  }

  /** Creates the driver with other multipart limits (tests use small parts). */
  static S3Driver create(StorageSettings.S3 settings, S3Limits limits) {
    S3Parameters parameters = S3Parameters.of(settings, limits);
    S3Driver driver = new S3Driver(parameters);
    log.atInfo()
        .setMessage("storage driver ready")
        .addKeyValue("driver", "s3")
        .addKeyValue("s3.bucket", parameters.bucket())
        .addKeyValue("s3.endpoint", parameters.endpointDescription())
        .addKeyValue("s3.rootdirectory", parameters.rootPrefix())
        .log();
    return driver;
  }

  @Override
  public void checkAccess() {
    checkBucket();
  }

  /**
   * Checks at start-up that the bucket exists and that the driver may write and delete in it, by
   * writing and deleting a small probe object under the root.
   *
   * @throws StorageException naming the bucket, the endpoint and what was denied
   */
  public void checkBucket() {
    new S3BucketCheck(bucket, clients.credentials()).run();
  }

  @Override
  public String name() {
    return "s3";
  }

  @Override
  public byte[] getContent(String path) {
    String key = keys.key(StorageKeys.requireKey(path));
    try {
      return bucket.client().getObjectAsBytes(b -> b.bucket(bucket.name()).key(key)).asByteArray();
    } catch (SdkException e) {
      throw bucket.error("GetObject", path, key, e);
    }
  }

  @Override
  public void putContent(String path, byte[] content) {
    String key = keys.key(StorageKeys.requireKey(path));
    bucket.putObject(path, key, RequestBody.fromBytes(content));
  }

  @Override
  public InputStream reader(String path, long offset) {
    String key = keys.key(StorageKeys.requireKey(path));
    if (offset < 0) {
      throw new InvalidOffsetException(path, offset);
    }
    GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket.name()).key(key);
    if (offset > 0) {
      request.range("bytes=" + offset + "-");
    }
    try {
      return bucket.client().getObject(request.build());
    } catch (AwsServiceException e) {
      if (e.statusCode() != 416) {
        throw bucket.error("GetObject", path, key, e);
      }
    } catch (SdkException e) {
      throw bucket.error("GetObject", path, key, e);
    }
    // 416: the offset is at or past the end; at the end is an empty read, not an error.
    if (head(path, key).contentLength() == offset) {
      return InputStream.nullInputStream();
    }
    throw new InvalidOffsetException(path, offset);
  }

  @Override
  public FileWriter writer(String path, boolean append) {
    StorageKeys.requireKey(path);
    if (append) {
      return new S3FileWriter(bucket, path, S3UploadState.resume(bucket, path));
    }
    S3UploadState.discard(bucket, path);
    return new S3FileWriter(bucket, path, S3UploadState.empty());
  }

  @Override
  public FileInfo stat(String path) {
    StorageKeys.requireDirectory(path);
    if (path.equals(StorageKeys.ROOT)) {
      return new FileInfo(path, 0, Instant.EPOCH, true);
    }
    String key = keys.key(path);
    try {
      HeadObjectResponse head = bucket.client().headObject(b -> b.bucket(bucket.name()).key(key));
      return new FileInfo(path, head.contentLength(), head.lastModified(), false);
    } catch (AwsServiceException e) {
      if (e.statusCode() != 404) {
        throw bucket.error("HeadObject", path, key, e);
      }
    } catch (SdkException e) {
      throw bucket.error("HeadObject", path, key, e);
    }
    // No object: a directory if any key lies below it.
    ListObjectsV2Response below = listPage(path, keys.directoryPrefix(path), null, 1, false);
    if (below.contents().isEmpty()) {
      throw new PathNotFoundException(path);
    }
    return new FileInfo(path, 0, Instant.EPOCH, true);
  }

  @Override
  public List<String> list(String path) {
    StorageKeys.requireDirectory(path);
    String prefix = keys.directoryPrefix(path);
    List<String> children = new ArrayList<>();
    boolean anything = false;
    String token = null;
    // Bounded: every page advances the continuation token.
    for (int page = 0; page < 1_000_000; page++) {
      ListObjectsV2Response response = listPage(path, prefix, token, 1000, true);
      anything |= !response.contents().isEmpty() || !response.commonPrefixes().isEmpty();
      for (S3Object object : response.contents()) {
        addChild(children, path, object.key().substring(prefix.length()));
      }
      for (CommonPrefix common : response.commonPrefixes()) {
        String name = common.prefix().substring(prefix.length());
        addChild(children, path, name.substring(0, name.length() - 1));
      }
      token = response.nextContinuationToken();
      if (!Boolean.TRUE.equals(response.isTruncated()) || token == null) {
        break;
      }
    }
    if (!anything && !path.equals(StorageKeys.ROOT)) {
      throw new PathNotFoundException(path);
    }
    return children;
  }

  @Override
  public void move(String sourcePath, String destinationPath) {
    StorageKeys.requireKey(sourcePath);
    StorageKeys.requireKey(destinationPath);
    long size = head(sourcePath, keys.key(sourcePath)).contentLength();
    copier.copy(sourcePath, size, destinationPath);
    bucket.deleteObject(sourcePath, keys.key(sourcePath));
  }

  @Override
  public void delete(String path) {
    StorageKeys.requireKey(path);
    new S3Deleter(bucket).delete(path);
  }

  @Override
  public Optional<URI> redirectUrl(String path, String method, Duration expiry) {
    String key = keys.key(StorageKeys.requireKey(path));
    try {
      return switch (method) {
        case "GET" ->
            Optional.of(
                clients
                    .presigner()
                    .presignGetObject(
                        p ->
                            p.signatureDuration(expiry)
                                .getObjectRequest(g -> g.bucket(bucket.name()).key(key)))
                    .url()
                    .toURI());
        case "HEAD" ->
            Optional.of(
                clients
                    .presigner()
                    .presignHeadObject(
                        p ->
                            p.signatureDuration(expiry)
                                .headObjectRequest(h -> h.bucket(bucket.name()).key(key)))
                    .url()
                    .toURI());
        default -> Optional.empty();
      };
    } catch (java.net.URISyntaxException | SdkException e) {
      throw new StorageException(
          "failed to presign "
              + method
              + " for "
              + key
              + " in bucket "
              + bucket.name()
              + ": "
              + S3Errors.plain(e),
          e);
    }
  }

  @Override
  public void walk(String path, Predicate<FileInfo> visitor) {
    StorageKeys.requireDirectory(path);
    walker.walk(path, visitor);
  }

  @Override
  public void close() {
    clients.close();
  }

  private HeadObjectResponse head(String path, String key) {
    try {
      return bucket.client().headObject(b -> b.bucket(bucket.name()).key(key));
    } catch (SdkException e) {
      throw bucket.error("HeadObject", path, key, e);
    }
  }

  private ListObjectsV2Response listPage(
      String path,
      String prefix,
      @org.jspecify.annotations.Nullable String token,
      int max,
      boolean delimited) {
    ListObjectsV2Request.Builder request =
        ListObjectsV2Request.builder().bucket(bucket.name()).prefix(prefix).maxKeys(max);
    if (delimited) {
      request.delimiter("/");
    }
    if (token != null) {
      request.continuationToken(token);
    }
    try {
      return bucket.client().listObjectsV2(request.build());
    } catch (SdkException e) {
      throw bucket.error("ListObjectsV2", path, prefix, e);
    }
  }

  private static void addChild(List<String> children, String directory, String name) {
    // Skips the driver's own objects (pending tails), whose names are no valid segment.
    if (StorageKeys.isSegment(name)) {
      children.add(StorageKeys.child(directory, name));
    }
  }
}
