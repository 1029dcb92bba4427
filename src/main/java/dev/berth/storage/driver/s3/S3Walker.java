package dev.berth.storage.driver.s3;

import dev.berth.storage.driver.FileInfo;
import dev.berth.storage.driver.PathNotFoundException;
import dev.berth.storage.driver.StorageKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Walks a directory with one flat listing (no delimiter) instead of a listing and a {@code HEAD}
 * per entry: S3 returns keys in lexicographic order, in which the keys below any directory are
 * contiguous, so directories are inferred as their first key appears (parents before children) and
 * a declined directory is skipped by skipping its keys.
 */
final class S3Walker {

  private final S3Bucket bucket;

  S3Walker(S3Bucket bucket) {
    this.bucket = bucket;
  }

  /**
   * Visits everything below the directory.
   *
   * @throws PathNotFoundException when nothing lies below it (and it is not the root)
   */
  void walk(String path, Predicate<FileInfo> visitor) {
    String prefix = bucket.keys().directoryPrefix(path);
    List<String> open = new ArrayList<>();
    String skipped = null;
    boolean any = false;
    ListObjectsV2Request request =
        ListObjectsV2Request.builder().bucket(bucket.name()).prefix(prefix).maxKeys(1000).build();
    // Bounded: every page advances the continuation token.
    for (int page = 0; page < 10_000_000; page++) {
      ListObjectsV2Response response;
      try {
        response = bucket.client().listObjectsV2(request);
      } catch (SdkException e) {
        throw bucket.error("ListObjectsV2", path, prefix, e);
      }
      for (S3Object object : response.contents()) {
        String[] segments = object.key().substring(prefix.length()).split("/", -1);
        if (!allSegments(segments)) {
          continue; // the driver's own pending tails, or foreign keys no path can name
        }
        any = true;
        skipped = visit(path, segments, object, open, skipped, visitor);
      }
      if (!Boolean.TRUE.equals(response.isTruncated())
          || response.nextContinuationToken() == null) {
        break;
      }
      request = request.toBuilder().continuationToken(response.nextContinuationToken()).build();
    }
    if (!any && !path.equals(StorageKeys.ROOT)) {
      throw new PathNotFoundException(path);
    }
  }

  /** Visits one object and the directories above it not yet visited; returns the skipped prefix. */
  private static @Nullable String visit(
      String base,
      String[] segments,
      S3Object object,
      List<String> open,
      @Nullable String skipped,
      Predicate<FileInfo> visitor) {
    String objectPath = base;
    for (String segment : segments) {
      objectPath = StorageKeys.child(objectPath, segment);
    }
    if (skipped != null && objectPath.startsWith(skipped)) {
      return skipped;
    }
    String directory = base;
    for (int depth = 0; depth < segments.length - 1; depth++) {
      directory = StorageKeys.child(directory, segments[depth]);
      if (depth < open.size() && open.get(depth).equals(directory)) {
        continue;
      }
      while (open.size() > depth) {
        open.remove(open.size() - 1);
      }
      open.add(directory);
      if (!visitor.test(new FileInfo(directory, 0, Instant.EPOCH, true))) {
        return directory + "/";
      }
    }
    // What the visitor answers for an object does not matter: there is nothing below it.
    boolean unused =
        visitor.test(new FileInfo(objectPath, object.size(), object.lastModified(), false));
    return null;
  }

  private static boolean allSegments(String[] segments) {
    for (String segment : segments) {
      if (!StorageKeys.isSegment(segment)) {
        return false;
      }
    }
    return true;
  }
}
